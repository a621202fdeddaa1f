// One error type with a code; every other failure is translated to it here, once.
import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode, type FieldIssue } from '../../shared/errors.ts';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: FieldIssue[];
  constructor(code: ErrorCode, message: string, details?: FieldIssue[]) {
    super(message);
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what}不存在`);
export const forbidden = (message = '没有权限执行此操作') => new AppError('FORBIDDEN', message);
export const invalid = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }]);

export function fromZodError(err: z.ZodError, prefix?: string): AppError {
  const details = err.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: i.message,
  }));
  const head = details.slice(0, 3).map((d) => `${d.field}: ${d.message}`).join('；');
  return new AppError('VALIDATION_FAILED', `请求参数有误 — ${head}${details.length > 3 ? ' 等' : ''}`, details);
}

interface PrismaLikeError {
  name?: string;
  code?: string;
  meta?: { target?: string[] | string; modelName?: string; field_name?: string; driverAdapterError?: { cause?: { originalCode?: string; constraint?: { fields?: string[] } } } };
  cause?: { originalCode?: string; kind?: string; constraint?: { fields?: string[]; index?: string } };
}

function sqlState(e: PrismaLikeError): string | undefined {
  return e.cause?.originalCode ?? e.meta?.driverAdapterError?.cause?.originalCode;
}

/** Translates database and driver errors into AppError; anything unknown stays a 500. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return fromZodError(err);
  const e = (err ?? {}) as PrismaLikeError;
  const state = sqlState(e);
  if (e.code === 'P2002' || state === '23505') {
    const fields = [e.meta?.target, e.meta?.driverAdapterError?.cause?.constraint?.fields, e.cause?.constraint?.fields]
      .flat()
      .filter((f): f is string => typeof f === 'string' && f !== 'company_id' && f !== 'companyId');
    const field = fields[0] ?? 'code';
    return new AppError('DUPLICATE', `${field === 'code' ? '编码' : field}已存在，不能重复`, [{ field: `body.${field}`, message: '已存在' }]);
  }
  if (e.code === 'P2003' || state === '23503') {
    return new AppError('IN_USE', '该记录正被其他数据引用，不能删除或修改引用关系');
  }
  if (e.code === 'P2025') return new AppError('NOT_FOUND', '记录不存在');
  if (state === '42501') return new AppError('FORBIDDEN', '数据不属于当前公司，拒绝访问');
  if (state === '40001' || state === '40P01') return new AppError('CONFLICT', '并发冲突，请重试');
  if (e.code === 'P2034') return new AppError('CONFLICT', '并发冲突，请重试');
  return new AppError('INTERNAL', '服务器内部错误');
}

export function errorBody(err: AppError) {
  return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
}
