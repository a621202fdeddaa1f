import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';
import { pinoHttp, type Options } from 'pino-http';

export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'yunqiao' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/**
 * Query parameters whose values are credentials: OAuth codes and state, the chat platforms'
 * callback signatures, timestamps and nonces (with the signature they replay a request), WeCom's echostr.
 */
const SECRET_QUERY = ['code', 'state', 'echostr', 'msg_signature', 'signature', 'sign', 'timestamp', 'timeStamp', 'nonce', 'token', 'access_token', 'ticket', 'password', 'bindToken', 'session'];
/** Headers carrying credentials: bearer tokens, cookies, DingTalk robots' timestamp + sign, Feishu's signature headers. */
const SECRET_HEADERS = ['authorization', 'cookie', 'sign', 'timestamp', 'x-lark-signature', 'x-lark-request-timestamp', 'x-lark-request-nonce', 'x-api-key'];
export const REDACTED = '[REDACTED]';

/** pino `redact` paths: what the request serializer leaves as objects (headers, query, a body if anyone logs one). */
const REDACT_PATHS = [
  ...SECRET_HEADERS.map((h) => `req.headers["${h}"]`),
  ...SECRET_QUERY.map((q) => `req.query["${q}"]`),
  'res.headers["set-cookie"]',
  'req.body.password',
  '*.password',
];

/** The URL with every secret query value replaced (pino's redact cannot reach inside a string). */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  let changed = false;
  for (const key of new Set(params.keys())) {
    if (SECRET_QUERY.includes(key)) {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, at)}?${params.toString()}` : url;
}

/** The request log (pino-http) with credentials redacted, whatever logger the app was given. */
export function httpLogger(logger: Logger) {
  const options: Options<IncomingMessage, ServerResponse> = {
    logger,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req: (req: { url?: string }) => {
        if (typeof req.url === 'string') req.url = redactUrl(req.url);
        return req;
      },
    },
    genReqId: (req, res) => {
      const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || crypto.randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  };
  return pinoHttp(options);
}
