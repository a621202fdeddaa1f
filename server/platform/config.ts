// Environment configuration, parsed once. Every variable is optional; a chat platform whose
// settings are absent is off.
import { z } from 'zod';

const optional = z.string().trim().min(1).optional();

const ConfigSchema = z.object({
  DATABASE_URL: optional,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  JWT_SECRET: optional,
  PUBLIC_BASE_URL: optional,
  DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** how many reverse proxies in front of the server append to X-Forwarded-For; 0 = none, the socket's address is the client */
  TRUST_PROXY: z.coerce.number({ message: 'TRUST_PROXY 必须是代理层数（整数）' }).int().min(0).max(10).default(0),
  /** who may frame the mini-app (CSP frame-ancestors), space separated; unset = Feishu/Lark, WeCom, DingTalk */
  FRAME_ANCESTORS: optional,
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  LARK_APP_ID: optional,
  LARK_APP_SECRET: optional,
  LARK_VERIFICATION_TOKEN: optional,
  LARK_ENCRYPT_KEY: optional,
  LARK_BASE_URL: z.string().default('https://open.feishu.cn'),
  LARK_TENANT_KEY: optional,
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional,
  WECOM_SECRET: optional,
  WECOM_TOKEN: optional,
  WECOM_ENCODING_AES_KEY: optional,
  WECOM_BASE_URL: z.string().default('https://qyapi.weixin.qq.com'),
  DINGTALK_APP_KEY: optional,
  DINGTALK_APP_SECRET: optional,
  DINGTALK_ROBOT_CODE: optional,
  DINGTALK_TOKEN: optional,
  DINGTALK_AES_KEY: optional,
  DINGTALK_CARD_TEMPLATE_ID: optional,
  /** the route key registered for card callbacks (/v1.0/card/callbacks/register → our /callbacks/dingtalk) */
  DINGTALK_CARD_CALLBACK_ROUTE_KEY: optional,
  DINGTALK_BASE_URL: z.string().default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE_URL: z.string().default('https://oapi.dingtalk.com'),
  DINGTALK_CORP_ID: optional,
  /** the H5 micro-app's AgentId (dd.config needs it for the JS-API) */
  DINGTALK_AGENT_ID: optional,
  /** 通知投递: how often the worker looks for due notices, and how long a claimed notice stays claimed */
  DELIVERY_POLL_MS: z.coerce.number().int().min(10).default(1000),
  DELIVERY_LEASE_MS: z.coerce.number().int().min(100).default(60_000),
  /** 发件箱保留: delivered outbox events are deleted this many days after delivery (global, all companies) */
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /** WeChat groups through wechaty: the puppet package (e.g. wechaty-puppet-service) and its token */
  WECHATY_PUPPET: optional,
  WECHATY_PUPPET_TOKEN: optional,
  /** the bot's display name in WeChat groups (to strip "@云桥助手") */
  WECHATY_BOT_NAME: z.string().default('云桥助手'),
  /** which company the WeChat bot serves (default: the only company in the database) */
  WECHATY_COMPANY_CODE: optional,
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`环境变量配置有误:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
