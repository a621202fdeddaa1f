// The HTTP edge: every API route is declared once with its zod schemas, which both validate the
// request and describe it in the OpenAPI document. Handlers get parsed input and the actor.
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { z } from 'zod';
import { ErrorBody } from '../../shared/schemas/common.ts';
import { permissionAction, type Permission } from '../../shared/permissions.ts';
import type { SqlSession } from '../db/sql-session.ts';
import { assertCan, type Actor } from './actor.ts';
import { AppError, fromZodError } from './errors.ts';
import { useCaseContext, type AppServices, type UseCaseContext } from './services.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  actor: Actor;
  /** the use-case context of the signed-in actor */
  ctx: UseCaseContext;
  services: AppServices;
  requestId: string;
  req: Request;
  res: Response;
}

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** express-style path below /api/v1, e.g. /customers/:id */
  path: string;
  summary: string;
  tag: string;
  /** the permission required; `null` = any signed-in user; `public` = no sign-in */
  permission: Permission | null | 'public';
  params?: P;
  query?: Q;
  body?: B;
  response?: R;
  status?: number;
  /** for routes that write the reply themselves (files): content type of a 200 reply */
  rawResponse?: { contentType: string; description: string };
  /** for routes that take multipart uploads: the field carrying the file */
  upload?: { field: string };
  /**
   * Order-entry hot path: the request's transaction opens with the sign-in (the actor is read in
   * it, pipelined with BEGIN) and the handler's first runSqlUseCase runs in it — see sql-session.ts.
   */
  session?: true;
  handler: (input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<z.input<R> | void>;
}

export interface DeclaredRoute {
  method: Method;
  path: string;
}

export class ApiRouter {
  readonly router = express.Router();
  readonly declared: DeclaredRoute[] = [];

  constructor(
    readonly registry: OpenAPIRegistry,
    private readonly services: AppServices,
    private readonly middlewares: {
      authenticate: (req: Request) => Promise<Actor>;
      /** authenticate inside a new SqlSession of the actor's company (closed by the route) */
      openSession: (req: Request) => Promise<{ actor: Actor; session: SqlSession }>;
      upload: (field: string) => express.RequestHandler;
      /** the largest file an upload takes, named in the 413 message */
      uploadMaxBytes?: number;
    },
  ) {}

  route<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType>(spec: RouteSpec<P, Q, B, R>): void {
    this.declared.push({ method: spec.method, path: spec.path });
    this.document(spec);
    // A parameter the route does not know is refused, not ignored: `?search=` must not quietly
    // return the whole list when the keyword is `q`.
    const querySchema = spec.query?.strict();
    const queryKeys = spec.query ? Object.keys(spec.query.shape) : [];
    const upload = spec.upload && { field: spec.upload.field, parser: this.middlewares.upload(spec.upload.field) };
    this.router[spec.method](spec.path, async (req: Request, res: Response, next: NextFunction) => {
      let session: SqlSession | undefined;
      try {
        let actor: Actor;
        if (spec.permission === 'public') actor = undefined as unknown as Actor;
        else if (spec.session) ({ actor, session } = await this.middlewares.openSession(req));
        else actor = await this.middlewares.authenticate(req);
        if (spec.permission && spec.permission !== 'public') assertCan(actor, spec.permission);
        // Only now is an upload read: a stranger's 9 MB body is not parsed before the 401/403.
        if (upload) await readUpload(upload.parser, upload.field, req, res, this.middlewares.uploadMaxBytes);
        const params = parse(spec.params, req.params, 'params');
        const query = parse(querySchema, req.query, 'query', queryKeys);
        const body = parse(spec.body, req.body ?? {}, 'body');
        const requestId = String(req.id ?? '');
        const ctx = actor ? { ...useCaseContext(this.services, actor, requestId), session } : (undefined as unknown as UseCaseContext);
        const out = await spec.handler({ params, query, body, actor, ctx, services: this.services, requestId, req, res } as HandlerInput<
          z.output<P>,
          z.output<Q>,
          z.output<B>
        >);
        if (spec.rawResponse || res.headersSent) return;
        const status = spec.status ?? 200;
        if (status === 204) res.status(204).end();
        else res.status(status).json(out);
      } catch (e) {
        // A refused upload's unread body would otherwise be read and discarded to keep the connection alive.
        if (upload && !req.complete) res.setHeader('Connection', 'close');
        next(e);
      } finally {
        await session?.close();
      }
    });
  }

  private document(spec: RouteSpec<AnyObject, AnyObject, z.ZodType, z.ZodType>): void {
    const status = spec.status ?? 200;
    const errors = Object.fromEntries(
      [
        ['400', '请求参数有误'],
        ...(spec.permission === 'public' ? [] : [['401', '未登录或登录已过期'], ['403', '没有权限']]),
        ['404', '不存在'],
        ['409', '冲突（重复、被引用或版本不一致）'],
      ].map(([code, description]) => [code, { description: description!, content: { 'application/json': { schema: ErrorBody } } }]),
    );
    const ok = spec.rawResponse
      ? { description: spec.rawResponse.description, content: { [spec.rawResponse.contentType]: { schema: { type: 'string' as const, format: 'binary' } } } }
      : status === 204
        ? { description: '成功' }
        : { description: '成功', content: { 'application/json': { schema: spec.response! } } };
    const body = spec.upload
      ? {
          content: {
            'multipart/form-data': {
              schema: { type: 'object' as const, properties: { [spec.upload.field]: { type: 'string' as const, format: 'binary' } }, required: [spec.upload.field] },
            },
          },
        }
      : spec.body
        ? { content: { 'application/json': { schema: spec.body } } }
        : undefined;
    this.registry.registerPath({
      method: spec.method,
      path: '/api/v1' + spec.path.replace(/:(\w+)/g, '{$1}'),
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.permission === 'public' ? {} : { security: [{ bearerAuth: [] }] }),
      description: spec.permission && spec.permission !== 'public' ? `需要权限 \`${spec.permission}\`（${permissionAction(spec.permission)}）` : undefined,
      request: {
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(body ? { body } : {}),
      },
      responses: { [String(status)]: ok, ...errors },
    });
  }
}

/** Runs the multipart parser; a malformed or truncated form is the client's fault (400), an oversized file 413. */
function readUpload(upload: express.RequestHandler, field: string, req: Request, res: Response, maxBytes?: number): Promise<void> {
  return new Promise((resolve, reject) =>
    upload(req, res, (err?: unknown) => {
      if (!err) return resolve();
      const e = err as { code?: string; field?: string; message?: string };
      if (e.code === 'LIMIT_FILE_SIZE') {
        const limit = maxBytes ? `（最大 ${formatBytes(maxBytes)}），请压缩后重试` : '';
        return reject(new AppError('PAYLOAD_TOO_LARGE', `文件超过大小限制${limit}`, [{ field: e.field ?? field, message: '文件过大' }]));
      }
      if (typeof e.code === 'string' && e.code.startsWith('LIMIT_')) {
        const why = e.code === 'LIMIT_UNEXPECTED_FILE' ? `文件字段名不对（应为 ${field}）` : UPLOAD_LIMITS[e.code] ?? e.code;
        return reject(new AppError('VALIDATION_FAILED', `上传表单有误：${why}`, [{ field: e.field ?? field, message: why }]));
      }
      reject(new AppError('VALIDATION_FAILED', '上传内容不是有效的 multipart/form-data 表单（格式错误或不完整）', [{ field, message: '表单格式错误' }]));
    }),
  );
}

/** 10 MB, 512 KB: a size limit as people read it. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / 1024 / 1024).toFixed(1))} MB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KB`;
  return `${n} 字节`;
}

const UPLOAD_LIMITS: Record<string, string> = {
  LIMIT_FILE_COUNT: '一次只能上传一个文件',
  LIMIT_PART_COUNT: '表单字段过多',
  LIMIT_FIELD_KEY: '字段名过长',
  LIMIT_FIELD_VALUE: '字段内容过长',
  LIMIT_FIELD_COUNT: '表单字段过多',
};

function parse<S extends z.ZodType | undefined>(schema: S, value: unknown, where: string, knownKeys?: readonly string[]): unknown {
  if (!schema) return undefined;
  // reportInput: the issue keeps the value, so a missing field reads "为必填项", not "应为数字"
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) throw fromZodError(r.error, where, knownKeys);
  return r.data;
}

export { AppError };
