// Builds the Express app (no listen): main.ts serves it, tests drive it with supertest.
import compression from 'compression';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import fs from 'node:fs';
import path from 'node:path';
import { bearerToken, loadActor } from './platform/auth.ts';
import { AppError, DB_RETRY_AFTER_SECONDS, errorBody, toAppError } from './platform/errors.ts';
import { ApiRouter } from './platform/http.ts';
import { httpLogger } from './platform/logger.ts';
import { buildOpenApiDocument, docsInitScript, docsPage } from './platform/openapi.ts';
import { securityHeaders } from './platform/security-headers.ts';
import type { AppServices } from './platform/services.ts';
import { registerModules } from './modules/index.ts';
import { chatAdapters, chatCallbacksRouter } from '../bot/callbacks.ts';

export const MINIAPP_DIST = path.resolve(import.meta.dirname, '../miniapp/dist');
const FAVICON = path.resolve(import.meta.dirname, 'assets/favicon.svg');

export function buildApp(given: AppServices): { app: express.Express; api: ApiRouter } {
  const services: AppServices = { ...given, chat: given.chat ?? chatAdapters(given.config) };
  const app = express();
  app.disable('x-powered-by');
  // req.ip comes from X-Forwarded-For only through the configured number of proxies: otherwise any client could pick its own.
  app.set('trust proxy', services.config.TRUST_PROXY || false);
  app.use(httpLogger(services.log));

  app.use(securityHeaders({ frameAncestors: services.config.FRAME_ANCESTORS }));

  // Each pool answers for itself: the app role's and the system role's Prisma pools and the order
  // path's postgres.js pool can fail independently. `db` is "ok" only when all three are.
  app.get('/healthz', async (_req, res) => {
    const probe = async (q: () => PromiseLike<unknown>) => {
      try {
        await withTimeout(q(), 3000);
        return 'ok' as const;
      } catch {
        return 'unreachable' as const;
      }
    };
    const { app: appDb, system, sql } = services.database;
    const [appPool, systemPool, sqlPool] = await Promise.all([probe(() => appDb.$queryRaw`SELECT 1`), probe(() => system.$queryRaw`SELECT 1`), probe(() => sql.ping())]);
    const pools = { app: appPool, system: systemPool, sql: sqlPool };
    const ok = Object.values(pools).every((p) => p === 'ok');
    if (!ok) res.setHeader('Retry-After', String(DB_RETRY_AFTER_SECONDS));
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'error', db: ok ? 'ok' : 'unreachable', pools });
  });

  const registry = new OpenAPIRegistry();
  const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: services.config.ATTACHMENT_MAX_BYTES, files: 1 } });
  const api = new ApiRouter(registry, services, {
    authenticate: async (req) => loadActor(services.database.system, await services.tokens.verify(bearerToken(req))),
    openSession: async (req) => {
      const claims = await services.tokens.verify(bearerToken(req));
      const session = await services.database.sql.open(claims.companyId);
      try {
        return { actor: await loadActor(session, claims), session };
      } catch (e) {
        await session.close();
        throw e;
      }
    },
    upload: (field) => upload.single(field),
    uploadMaxBytes: services.config.ATTACHMENT_MAX_BYTES,
  });
  registerModules(api);

  let openapi: object | undefined;
  app.get('/api/v1/openapi.json', (_req, res) => {
    openapi ??= buildOpenApiDocument(registry);
    res.json(openapi);
  });
  app.get('/api/docs', (_req, res) => res.type('html').send(docsPage()));
  app.get('/api/docs/init.js', (_req, res) => res.type('js').send(docsInitScript('/api/v1/openapi.json')));
  app.use('/api/docs/assets', express.static(path.dirname(fileURLToPathSafe(import.meta.resolve('swagger-ui-dist/package.json')))));

  app.use('/api/v1', express.json({ limit: '2mb' }), api.router);
  // Chat platforms' callbacks: each router reads the raw body itself (signatures cover the bytes).
  app.use('/callbacks', chatCallbacksRouter(services, services.chat));
  app.use('/api', (_req, _res, next) => next(new AppError('NOT_FOUND', '接口不存在')));

  // The mini-app: built files, and index.html for every client-side route.
  // Hashed assets are immutable; index.html is revalidated so a new deploy is seen at once.
  // Compressed on the way out (text only, as compression's filter decides): on a phone's 1.6 Mbps
  // link the uncompressed bundle was most of the first paint (BENCH miniapp_load).
  app.use('/m', compression());
  app.use('/m/assets', express.static(path.join(MINIAPP_DIST, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use('/m', express.static(MINIAPP_DIST, { index: 'index.html', setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
  app.get(/^\/m(\/.*)?$/, (_req, res, next) => {
    const index = path.join(MINIAPP_DIST, 'index.html');
    if (fs.existsSync(index)) res.setHeader('Cache-Control', 'no-cache').sendFile(index);
    else next(new AppError('NOT_FOUND', '移动端尚未构建：请运行 npm run build'));
  });
  app.get('/', (_req, res) => res.redirect('/m/'));
  // Browsers ask for /favicon.ico on every page: a small SVG (served for both names) instead of a 404.
  app.get(['/favicon.ico', '/favicon.svg'], (_req, res) => {
    res.type('image/svg+xml').setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(FAVICON);
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = err instanceof AppError ? err : bodyParserError(err) ?? toAppError(err);
    if (appError.code === 'DB_UNAVAILABLE') {
      req.log?.warn({ err: { message: (err as Error)?.message } }, '数据库暂不可用');
      res.setHeader('Retry-After', String(DB_RETRY_AFTER_SECONDS));
    } else if (appError.status >= 500) req.log?.error({ err }, 'unhandled error');
    res.status(appError.status).json(errorBody(appError));
  });

  return { app, api };
}

/** JSON syntax errors, oversized bodies and upload limits from express/multer, in our error shape. */
function bodyParserError(err: unknown): AppError | undefined {
  const e = err as { type?: string; code?: string; status?: number; field?: string } | undefined;
  if (e?.type === 'entity.parse.failed') return new AppError('VALIDATION_FAILED', '请求体不是合法的 JSON', [{ field: 'body', message: 'JSON 格式错误' }]);
  if (e?.status === 404) return new AppError('NOT_FOUND', '文件不存在');
  if (e?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', '请求体过大');
  if (e?.code === 'LIMIT_FILE_SIZE') return new AppError('PAYLOAD_TOO_LARGE', '文件超过大小限制', [{ field: e.field ?? 'file', message: '文件过大' }]);
  if (typeof e?.code === 'string' && e.code.startsWith('LIMIT_')) return new AppError('VALIDATION_FAILED', '上传格式有误', [{ field: e.field ?? 'file', message: e.code }]);
  return undefined;
}

function fileURLToPathSafe(url: string): string {
  return new URL(url).pathname;
}

/** Rejects when `p` has not settled within `ms` (a health probe must answer even when a pool hangs). */
function withTimeout<T>(p: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.resolve(p).finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); }),
  ]);
}
