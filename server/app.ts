// Builds the Express app (no listen): main.ts serves it, tests drive it with supertest.
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pinoHttp } from 'pino-http';
import { bearerToken, loadActor } from './platform/auth.ts';
import { AppError, errorBody, toAppError } from './platform/errors.ts';
import { ApiRouter } from './platform/http.ts';
import { buildOpenApiDocument, docsInitScript, docsPage } from './platform/openapi.ts';
import { securityHeaders } from './platform/security-headers.ts';
import type { AppServices } from './platform/services.ts';
import { registerModules } from './modules/index.ts';
import { chatAdapters, chatCallbacksRouter } from '../bot/callbacks.ts';

export const MINIAPP_DIST = path.resolve(import.meta.dirname, '../miniapp/dist');

export function buildApp(given: AppServices): { app: express.Express; api: ApiRouter } {
  const services: AppServices = { ...given, chat: given.chat ?? chatAdapters(given.config) };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(
    pinoHttp({
      logger: services.log,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || crypto.randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );

  app.use(securityHeaders({ frameAncestors: services.config.FRAME_ANCESTORS }));

  app.get('/healthz', async (_req, res) => {
    try {
      await services.database.app.$queryRaw`SELECT 1`;
      res.json({ status: 'ok', db: 'ok' });
    } catch {
      res.status(503).json({ status: 'error', db: 'unreachable' });
    }
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
  app.use('/m/assets', express.static(path.join(MINIAPP_DIST, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use('/m', express.static(MINIAPP_DIST, { index: 'index.html', setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
  app.get(/^\/m(\/.*)?$/, (_req, res, next) => {
    const index = path.join(MINIAPP_DIST, 'index.html');
    if (fs.existsSync(index)) res.setHeader('Cache-Control', 'no-cache').sendFile(index);
    else next(new AppError('NOT_FOUND', '移动端尚未构建：请运行 npm run build'));
  });
  app.get('/', (_req, res) => res.redirect('/m/'));

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = err instanceof AppError ? err : bodyParserError(err) ?? toAppError(err);
    if (appError.status >= 500) req.log?.error({ err }, 'unhandled error');
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
