// Boots Yunqiao: database (embedded or DATABASE_URL), migrations, demo data on an empty
// database and the configured IM organisations bound to it (startup.ts), then HTTP. Stops
// cleanly on SIGINT/SIGTERM (the embedded PostgreSQL too).
import type { Server } from 'node:http';
import { chatAdapters, describeChatPlatforms } from '../bot/callbacks.ts';
import { startChatRuntime, type ChatRuntime } from '../bot/runtime.ts';
import { runApprovalTimers } from './modules/approvals/index.ts';
import { buildApp } from './app.ts';
import { openDatabase } from './db/database.ts';
import { loadJwtSecret, TokenSigner } from './platform/auth.ts';
import { loadConfig } from './platform/config.ts';
import { createLogger } from './platform/logger.ts';
import { chatSettingWarnings, prepareData } from './startup.ts';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);

/** Start-up cannot go on: say why in words a person can act on (not a bare stack), exit 1. */
function startFailed(e: unknown): never {
  const reason = e instanceof Error ? e.message : String(e);
  log.fatal({ err: e }, `启动失败：${reason}`);
  console.error(`\n云桥启动失败：${reason}\n`);
  process.exit(1);
}

const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log: (m) => log.info(m) }).catch(startFailed);
let server: Server | undefined;
let chatRuntime: ChatRuntime | undefined;
let approvalTimers: NodeJS.Timeout | undefined;
let stopping = false;

/** Whatever is still open after this long is abandoned: a stop never waits on a hung request or pool. */
const SHUTDOWN_DEADLINE_MS = 8_000;

async function shutdown(signal: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info(`收到 ${signal}，正在停止…`);
  setTimeout(() => {
    log.warn(`停止超过 ${SHUTDOWN_DEADLINE_MS / 1000} 秒，强制退出`);
    process.exit(code);
  }, SHUTDOWN_DEADLINE_MS).unref();
  const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  // Idle keep-alive sockets would hold close() open until they time out; requests in flight get
  // their chance to finish until the deadline.
  server?.closeIdleConnections();
  await closed;
  clearInterval(approvalTimers);
  await chatRuntime?.stop();
  await database.close();
  log.info('已停止');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await prepareData(database, config, { info: (m) => log.info(m), warn: (m) => log.warn(m) });
  const tokens = new TokenSigner(await loadJwtSecret(database.system, config.JWT_SECRET));
  const chat = chatAdapters(config);
  for (const line of describeChatPlatforms(config)) log.info(line);
  for (const w of chatSettingWarnings(config, [...chat.keys(), ...(config.WECHATY_PUPPET ? ['wechat' as const] : [])])) log.warn(w);
  const { app } = buildApp({ database, config, log, tokens, chat });
  chatRuntime = startChatRuntime({ database, config, log, tokens }, chat);
  // 审批催办与升级: once a minute (the timers themselves are race-safe across processes).
  approvalTimers = setInterval(() => {
    runApprovalTimers(database.system, new Date()).catch((e: unknown) => log.error({ err: e }, '审批催办/升级出错'));
  }, 60_000);
  server = app.listen(config.PORT, (err?: Error) => {
    if (err) {
      const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
      log.fatal({ err }, inUse ? `启动失败：端口 ${config.PORT} 已被占用。停止占用它的程序，或用环境变量 PORT 换一个端口` : `启动失败：无法监听端口 ${config.PORT}`);
      server = undefined;
      void shutdown('error', 1);
      return;
    }
    const port = (server!.address() as { port: number }).port;
    log.info(`云桥已启动: http://127.0.0.1:${port}  (移动端 /m/ · API 文档 /api/docs)`);
  });
} catch (e) {
  log.error({ err: e }, '启动失败');
  await shutdown('error', 1);
}
