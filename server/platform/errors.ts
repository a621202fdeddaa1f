// One error type with a code; every other failure is translated to it here, once.
import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode, type FieldIssue } from '../../shared/errors.ts';
import { fieldLabel } from '../../shared/field-labels.ts';
import { permissionAction, type Permission } from '../../shared/permissions.ts';

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
/** 403 for a missing permission, naming the action in words: "没有发货和销售退货的权限". */
export const lacking = (permission: Permission) => forbidden(`没有${permissionAction(permission)}的权限`);
export const invalid = (field: string, message: string) => {
  const issue = labelled({ field, message });
  return new AppError('VALIDATION_FAILED', sentenceOf(issue), [issue]);
};

/** The issue with its field's Chinese label, when its field is a request path ("body.lines.0.quantity"). */
export function labelled(issue: FieldIssue): FieldIssue {
  if (issue.label !== undefined || !/^(body|query|params)(\.|$)/.test(issue.field)) return issue;
  const label = fieldLabel(issue.field);
  return label ? { field: issue.field, label, message: issue.message, ...(issue.row === undefined ? {} : { row: issue.row }) } : issue;
}

/**
 * One issue as a sentence: "第 1 行 数量：必须大于 0", "客户为必填项"; a message that already names
 * the field ("数量必须大于 0", "第 2 行最多还可发 …") is not prefixed with it twice.
 */
export function sentenceOf(issue: FieldIssue): string {
  const label = issue.label ?? labelled(issue).label;
  const message = issue.message;
  if (!label || message.includes(label) || /^第 \d+ 行/.test(message)) return message;
  const leaf = label.slice(label.lastIndexOf(' ') + 1);
  if (message.startsWith(leaf.replace(/（.*）$/, ''))) return `${label.slice(0, label.length - leaf.length)}${message}`;
  return message.startsWith('为') ? `${label}${message}` : `${label}：${message}`;
}

/** Several issues in one message: the first three, then how many more. */
export function issuesMessage(issues: readonly FieldIssue[], head?: string): string {
  const text = issues.slice(0, 3).map(sentenceOf).join('；') + (issues.length > 3 ? ` 等 ${issues.length} 处问题` : '');
  return head ? `${head}：${text}` : text;
}

/** The parameter a client probably meant by an unknown one (`search` → `q`), and what it is for. */
const QUERY_ALIASES: Record<string, [string, string]> = {
  search: ['q', '搜索'], keyword: ['q', '搜索'], keywords: ['q', '搜索'], query: ['q', '搜索'], kw: ['q', '搜索'], name: ['q', '搜索'], code: ['q', '搜索'],
  limit: ['pageSize', '每页条数'], size: ['pageSize', '每页条数'], per_page: ['pageSize', '每页条数'], perPage: ['pageSize', '每页条数'], page_size: ['pageSize', '每页条数'],
  p: ['page', '页码'], pageNo: ['page', '页码'], pageNum: ['page', '页码'], current: ['page', '页码'], offset: ['page', '页码'],
  order: ['sort', '排序'], orderBy: ['sort', '排序'], sortBy: ['sort', '排序'], sort_by: ['sort', '排序'],
};

function unknownQueryMessage(keys: readonly string[], known: readonly string[]): string {
  const hints = keys.flatMap((k) => {
    const alias = QUERY_ALIASES[k];
    if (alias && known.includes(alias[0])) return [`${alias[1]}请用 ${alias[0]}`];
    const sameButCase = known.find((n) => n.toLowerCase() === k.toLowerCase());
    return sameButCase ? [`${k} 应写作 ${sameButCase}`] : [];
  });
  const hint = hints.length ? hints.join('，') : `支持的参数：${known.join('、')}`;
  return `不支持的查询参数 ${keys.join('、')}（${hint}）`;
}

/**
 * A zod failure as one 400: each field once (its first problem: "abc" is "应为数字", not also
 * "不能小于 0"), named by its label; a missing value (parsed with reportInput) says "为必填项"
 * whatever the schema's own message for a wrong value is.
 */
export function fromZodError(err: z.ZodError, where?: string, knownKeys?: readonly string[]): AppError {
  const seen = new Set<string>();
  const details: FieldIssue[] = [];
  for (const i of err.issues) {
    const path = [where, ...i.path.map(String)].filter((s): s is string => Boolean(s));
    const field = path.join('.') || '(root)';
    if (seen.has(field)) continue;
    seen.add(field);
    const missing = 'input' in i && i.input === undefined && i.code !== 'custom';
    let message = missing ? '为必填项' : i.message;
    if (i.code === 'unrecognized_keys') {
      message = where === 'query' && knownKeys ? unknownQueryMessage(i.keys, knownKeys) : `不支持的字段 ${i.keys.join('、')}`;
      details.push({ field: i.keys.length === 1 ? [...path, i.keys[0]].join('.') : field, label: i.keys.join('、'), message });
      continue;
    }
    const label = fieldLabel(path);
    details.push(label ? { field, label, message } : { field, message });
  }
  return new AppError('VALIDATION_FAILED', issuesMessage(details), details);
}

interface PrismaLikeError {
  name?: string;
  code?: string;
  meta?: { target?: string[] | string; modelName?: string; field_name?: string; driverAdapterError?: { cause?: { originalCode?: string; originalMessage?: string; constraint?: { fields?: string[] } } } };
  cause?: { originalCode?: string; originalMessage?: string; kind?: string; constraint?: { fields?: string[]; index?: string } };
  message?: string;
}

function sqlState(e: PrismaLikeError): string | undefined {
  return e.cause?.originalCode ?? e.meta?.driverAdapterError?.cause?.originalCode;
}

/** What a referencing table is called, for "该记录正被…引用". */
const REFERENCING_TABLE: Record<string, string> = {
  stock_move: '库存流水', stock_balance: '库存余额', stock_level: '库存', item_stock: '库存成本', reservation: '库存预留',
  stock_transfer: '调拨单', stock_transfer_line: '调拨单', stock_count: '盘点单', stock_count_line: '盘点单',
  quotation: '报价单', quotation_line: '报价单', sales_order: '销售订单', sales_order_line: '销售订单',
  shipment: '销售出库单', shipment_line: '销售出库单', sales_return: '销售退货单', sales_return_line: '销售退货单',
  advance_receipt: '预收款', purchase_requisition: '请购单', purchase_requisition_line: '请购单',
  purchase_order: '采购订单', purchase_order_line: '采购订单', receipt: '采购入库单', receipt_line: '采购入库单',
  purchase_return: '采购退货单', purchase_return_line: '采购退货单', supplier_price: '供应商价目表',
  item: '物料', customer: '客户', contact: '联系人', app_user: '用户', warehouse: '仓库', unit_conversion: '物料单位换算', visit: '拜访',
  lead: '线索', opportunity: '商机', opportunity_stage: '商机阶段', follow_up: '跟进记录',
};

/** Unique constraints whose offending field is not simply the column after company_id. */
const UNIQUE_FIELD: Record<string, string> = {
  exchange_rate_company_id_currency_id_rate_date_key: 'rateDate',
  unit_conversion_company_id_item_id_unit_id_key: 'unitId',
  platform_identity_company_id_platform_external_user_id_key: 'externalUserId',
  platform_identity_company_id_user_id_platform_key: 'platform',
  currency_one_base_per_company: 'isBase',
  company_platform_platform_org_key_key: 'orgKey',
};

/**
 * The request field behind a unique violation. With row-level security PostgreSQL leaves the key
 * out of the error, so the constraint's name is what tells: company_id + the column(s) + _key.
 */
function duplicateField(e: PrismaLikeError): string {
  const message = e.meta?.driverAdapterError?.cause?.originalMessage ?? '';
  const constraint = /constraint "([^"]+)"/.exec(message)?.[1] ?? '';
  if (UNIQUE_FIELD[constraint]) return UNIQUE_FIELD[constraint];
  const column = /_company_id_(.+)_key$/.exec(constraint)?.[1];
  if (column) return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const target = [e.meta?.target].flat().find((f): f is string => typeof f === 'string' && f !== 'company_id' && f !== 'companyId');
  return target ?? 'code';
}

/** Translates database and driver errors into AppError; anything unknown stays a 500. */
/** Seconds a client should wait before retrying while the database is unreachable. */
export const DB_RETRY_AFTER_SECONDS = 5;

// Connection-level failures, as each driver reports them: socket errors (node), postgres.js's own
// codes, SQLSTATE class 08 and the shutdown states (57P01–57P03), Prisma's adapter kinds.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
  'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', 'QUEUE_TIMEOUT',
  '57P01', '57P02', '57P03', 'P1001', 'P1002', 'P1017', 'DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout',
]);

/** Whether an error means "the database cannot be reached right now" (not a bug, not bad input). */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as Record<string, unknown>;
  for (const key of ['code', 'originalCode', 'kind'] as const) {
    const v = e[key];
    if (typeof v === 'string' && (UNAVAILABLE_CODES.has(v) || /^08/.test(v))) return true;
  }
  if (typeof e.message === 'string' && /Connection terminated unexpectedly|Can't reach database server/.test(e.message)) return true;
  const meta = e.meta as Record<string, unknown> | undefined;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(meta?.driverAdapterError, depth + 1);
}

function isPoolWaitTimeout(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { message?: unknown; cause?: unknown };
  if (typeof e.message === 'string' && e.message.includes('timeout exceeded when trying to connect')) return true;
  return isPoolWaitTimeout(e.cause, depth + 1);
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return fromZodError(err);
  if (isDatabaseUnavailable(err)) return new AppError('DB_UNAVAILABLE', '数据库暂不可用，请稍后重试');
  const e = (err ?? {}) as PrismaLikeError;
  const state = sqlState(e);
  if (e.code === 'P2002' || state === '23505') {
    const field = duplicateField(e);
    return new AppError('DUPLICATE', `${fieldLabel([field])}已存在，不能重复`, [{ field: `body.${field}`, message: '已存在' }]);
  }
  // 23001: a key declared ON DELETE RESTRICT says the same as 23503, only earlier in the statement.
  if (e.code === 'P2003' || state === '23503' || state === '23001') {
    // Prisma's P2003 carries the database's text in meta; a raw driver error (23001 from a query the
    // adapter ran itself) in cause or its own message.
    const message = e.meta?.driverAdapterError?.cause?.originalMessage ?? e.cause?.originalMessage ?? e.message ?? '';
    const constraint = /constraint "([a-z_]+_fkey)"/.exec(message)?.[1] ?? '';
    const table = Object.keys(REFERENCING_TABLE).sort((a, b) => b.length - a.length).find((t) => constraint.startsWith(`${t}_`));
    // "insert or update on table …": the row names something that does not exist (services check
    // references first; this is the database's last word). "update or delete …": it is in use.
    if (message.startsWith('insert or update')) {
      const column = table ? constraint.slice(table.length + 1, -'_fkey'.length).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : undefined;
      return new AppError('VALIDATION_FAILED', '引用的记录不存在', [{ field: column ? `body.${column}` : 'body', message: '不存在' }]);
    }
    const by = table && REFERENCING_TABLE[table];
    return new AppError('IN_USE', by ? `该记录正被${by}引用，不能删除` : '该记录正被其他数据引用，不能删除或修改引用关系');
  }
  if (e.code === 'P2025') return new AppError('NOT_FOUND', '记录不存在');
  // Text PostgreSQL cannot store (a NUL byte, %00, in any parameter): the client's input, not our bug.
  if (state === '22021' || state === '22P05') return new AppError('VALIDATION_FAILED', '参数包含无效字符（如空字符 %00）');
  if (state === '42501') return new AppError('FORBIDDEN', '数据不属于当前公司，拒绝访问');
  if (state === '40001' || state === '40P01') return new AppError('CONFLICT', '并发冲突，请重试');
  if (e.code === 'P2034') return new AppError('CONFLICT', '并发冲突，请重试');
  // No connection or transaction could be had in time: the server is saturated, not broken.
  if (e.code === 'P2028' || e.code === 'P2024') return new AppError('BUSY', '系统繁忙，请稍后重试');
  // pg-pool's own wait for a free connection ran out (connectionTimeoutMillis): saturated, not broken.
  if (isPoolWaitTimeout(err)) return new AppError('BUSY', '系统繁忙，请稍后重试');
  return new AppError('INTERNAL', '服务器内部错误');
}

export function errorBody(err: AppError) {
  return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details.map(labelled) } : {}) } };
}
