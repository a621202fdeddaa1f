// fetch wrapper: JSON in/out, Bearer token, Chinese error toasts, 401 → login.
import { showFailToast } from 'vant';
import { useAuthStore } from './stores/auth';
// The API's shapes are the shared contract's (type-only imports: erased, so zod stays out of the bundle).
import type { ApprovalDetail, ApprovalListItem, ApprovalListQuery } from '../../shared/schemas/approvals';
import type { Attachment } from '../../shared/schemas/attachments';
import type { LoginResponse, PlatformBinding, PlatformSignInResponse } from '../../shared/schemas/auth';
import type { ErrorBody, Page } from '../../shared/schemas/common';
import type { Contract } from '../../shared/schemas/contracts';
import type { Kitting, ProductionTaskKitting, SalesOrderKitting } from '../../shared/schemas/manufacturing';
import type { Customer, CustomerListQuery } from '../../shared/schemas/crm';
import type {
  ExpenseClaim,
  ExpenseClaimCreateInput,
  ExpenseClaimListQuery,
  LeaveDays,
  LeaveRequest,
  LeaveRequestCreateInput,
  LeaveRequestListQuery,
} from '../../shared/schemas/oa';
import type {
  Bom,
  BomCostRollup,
  BomExplosion,
  BomListQuery,
  BomSummary,
  BomWhereUsed,
  CostClose,
  CostCloseDetail,
  CostCloseListQuery,
  MrpReleaseResult,
  MrpRun,
  MrpSuggestion,
  MrpSuggestionListQuery,
  MrpSuggestionUpdate,
  ShortageAnalysisQuery,
  ShortageTask,
  ProductionTask,
  ProductionTaskDetail,
  ProductionTaskListQuery,
  WorkReport,
  WorkReportCreate,
} from '../../shared/schemas/manufacturing';
import type { Forecast, ForecastCreate, ForecastListQuery, ForecastUpdate } from '../../shared/schemas/forecast';
import type { Item } from '../../shared/schemas/inventory';
import type { Colleague } from '../../shared/schemas/org';
import type { PurchaseOrder } from '../../shared/schemas/purchasing';
import type { QualityInspection, QualityInspectionDetail, QualityInspectionListQuery, QualityInspectionRecord } from '../../shared/schemas/quality';
import type { Warehouse } from '../../shared/schemas/warehouse';
import type { SalesOrder, SalesOrderListQuery, TimelineEntry } from '../../shared/schemas/sales/orders';
import type { StockLevelListQuery, StockLevelRow, StockPosition } from '../../shared/schemas/stock';
import type { AccountList, OpeningBalances, OpeningBalancesPut, TrialBalance, Voucher, VoucherListQuery } from '../../shared/schemas/vouchers';
import type { BalanceSheet, BossDashboard, Ledger, MonthEndStatus, MonthEndStepResult, ProfitStatement } from '../../shared/schemas/finance-reports';

/** An error reply's body as far as it came (any part may be missing). */
type ApiErrorBody = { error?: Partial<ErrorBody['error']> };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** don't toast the error message (the caller shows it) */
  silent?: boolean;
  signal?: AbortSignal;
  /** send no token (public endpoints: a 401 there is an ordinary error, not an expired session) */
  anonymous?: boolean;
}

const API_BASE: string = import.meta.env.VITE_API_BASE ?? '';

let unauthorizedHandler: () => void = () => {
  useAuthStore().logout();
};

/** What to do when a logged-in request gets 401 (main.ts: log out and go to /login). */
export function setUnauthorizedHandler(handler: () => void): void {
  unauthorizedHandler = handler;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? (path.includes('?') ? '&' : '?') + qs : ''}`;
}

async function parseBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function defaultMessage(status: number): string {
  if (status === 401) return '登录已过期，请重新登录';
  if (status === 403) return '没有权限执行此操作';
  if (status === 404) return '数据不存在或已被删除';
  if (status === 409) return '数据已被他人修改，请刷新后重试';
  if (status === 429) return '请求过于频繁，请稍后再试';
  if (status >= 500) return '服务器开小差了，请稍后再试';
  return `请求失败（${status}）`;
}

/** The ApiError of a failed response (and the 401 handling every request shares). */
async function failure(res: Response, hadToken: boolean): Promise<ApiError> {
  const body = ((await parseBody(res)) ?? {}) as ApiErrorBody;
  if (res.status === 401 && hadToken) unauthorizedHandler();
  return new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message || defaultMessage(res.status), body.error?.details);
}

/** A file of the user's (invoice photo, scanned contract) → POST /api/v1/attachments (multipart field `file`). */
export async function uploadAttachment(file: File, link: { entity?: string; entityId?: string } = {}): Promise<Attachment> {
  const token = useAuthStore().token;
  const form = new FormData();
  form.append('file', file, file.name);
  if (link.entity) form.append('entity', link.entity);
  if (link.entityId) form.append('entityId', link.entityId);
  let res: Response;
  try {
    res = await fetch(buildUrl('/api/v1/attachments'), { method: 'POST', headers: token ? { Authorization: `Bearer ${token}` } : {}, body: form });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络异常，请检查网络连接');
  }
  if (!res.ok) throw await failure(res, !!token);
  return (await res.json()) as Attachment;
}

/** An attachment's content as an object URL (the content needs the token, so an <img src> cannot fetch it); revoke it when done. */
export async function attachmentObjectUrl(id: string): Promise<{ url: string; mimeType: string }> {
  const token = useAuthStore().token;
  const res = await fetch(buildUrl(`/api/v1/attachments/${enc(id)}/content`), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw await failure(res, !!token);
  const blob = await res.blob();
  return { url: URL.createObjectURL(blob), mimeType: res.headers.get('content-type') ?? blob.type };
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const auth = useAuthStore();
  const token = options.anonymous ? null : auth.token;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'),
      headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    const error = new ApiError(0, 'NETWORK_ERROR', '网络异常，请检查网络连接');
    if (!options.silent) showFailToast(error.message);
    throw error;
  }

  const data = await parseBody(res);
  if (res.ok) return data as T;

  const body = (data ?? {}) as ApiErrorBody;
  const error = new ApiError(
    res.status,
    body.error?.code ?? `HTTP_${res.status}`,
    body.error?.message || defaultMessage(res.status),
    body.error?.details,
  );
  // 401 without a token (e.g. wrong password at login) is an ordinary error.
  if (res.status === 401 && token) {
    showFailToast(defaultMessage(401));
    unauthorizedHandler();
  } else if (!options.silent) {
    showFailToast(error.message);
  }
  throw error;
}

// ---- endpoints ----

export function login(username: string, password: string): Promise<LoginResponse> {
  return request<LoginResponse>('/api/v1/auth/login', { method: 'POST', body: { username, password } });
}

export type CustomerQuery = Pick<CustomerListQuery, 'page' | 'pageSize' | 'q' | 'sort'>;

export function listCustomers(query: CustomerQuery, signal?: AbortSignal): Promise<Page<Customer>> {
  return request<Page<Customer>>('/api/v1/customers', { query: { ...query }, signal });
}

export function getCustomer(id: string): Promise<Customer> {
  return request<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`);
}

const enc = encodeURIComponent;

// ---- 库存 ----

/** belowSafety: only items whose available stock (all warehouses) is below their safety stock */
export type StockLevelQuery = Pick<StockLevelListQuery, 'page' | 'pageSize' | 'q' | 'belowSafety' | 'warehouseId' | 'sort'>;

export function listStockLevels(query: StockLevelQuery, signal?: AbortSignal): Promise<Page<StockLevelRow>> {
  // belowSafety=false would mean "only items NOT below": send the filter only when it is on.
  const { belowSafety, ...rest } = query;
  return request<Page<StockLevelRow>>('/api/v1/stock/levels', {
    query: { ...rest, belowSafety: belowSafety ? 'true' : undefined },
    signal,
    silent: true,
  });
}

export function getStockPosition(itemId: string): Promise<StockPosition> {
  return request<StockPosition>(`/api/v1/stock/items/${enc(itemId)}`, { silent: true });
}

// ---- 销售订单 ----

export type SalesOrderQuery = Pick<SalesOrderListQuery, 'page' | 'pageSize' | 'q' | 'state' | 'sort'>;

export function listSalesOrders(query: SalesOrderQuery, signal?: AbortSignal): Promise<Page<SalesOrder>> {
  return request<Page<SalesOrder>>('/api/v1/sales-orders', { query: { ...query }, signal, silent: true });
}

export function getSalesOrder(id: string): Promise<SalesOrder> {
  return request<SalesOrder>(`/api/v1/sales-orders/${enc(id)}`, { silent: true });
}

// ---- 齐套分析 ----

/** How many of an item (with a BOM) can be made now: quantity in its base unit; date picks the BOM version. */
export function getKitting(query: { itemId: string; quantity: string; date?: string | null }): Promise<Kitting> {
  return request<Kitting>('/api/v1/kitting', { query: { ...query }, silent: true });
}

/** The same for each line of a sales order still to be made (lines share stock and open POs in line order). */
export function getSalesOrderKitting(id: string, date?: string | null): Promise<SalesOrderKitting> {
  return request<SalesOrderKitting>(`/api/v1/kitting/sales-orders/${enc(id)}`, { query: { date }, silent: true });
}

/** The same for chosen production tasks: each one's quantity not yet kitted, sharing stock and POs in start order. */
export function getProductionTaskKitting(ids: readonly string[]): Promise<ProductionTaskKitting> {
  return request<ProductionTaskKitting>('/api/v1/kitting/production-tasks', { query: { productionTaskIds: ids.join(',') }, silent: true });
}

// ---- 采购订单 ----

export function getPurchaseOrder(id: string): Promise<PurchaseOrder> {
  return request<PurchaseOrder>(`/api/v1/purchase-orders/${enc(id)}`, { silent: true });
}

// ---- 凭证与科目余额表 ----

export type VoucherQuery = Pick<VoucherListQuery, 'page' | 'pageSize' | 'q' | 'sort' | 'period'>;

export function listVouchers(query: VoucherQuery, signal?: AbortSignal): Promise<Page<Voucher>> {
  return request<Page<Voucher>>('/api/v1/vouchers', { query: { ...query }, signal, silent: true });
}

export function getVoucher(id: string): Promise<Voucher> {
  return request<Voucher>(`/api/v1/vouchers/${enc(id)}`, { silent: true });
}

/**
 * 凭证打印: the print page needs the sign-in header, so it is fetched and shown from a blob: URL in
 * the window the caller opened (opened on the tap itself, or a popup blocker stops it); relative
 * links (its stylesheet) resolve against the API through a <base>. Then the browser's print dialog.
 */
export async function printVoucher(id: string, paper: 'a4' | 'voucher', target: Window | null): Promise<void> {
  const token = useAuthStore().token;
  const res = await fetch(buildUrl(`/api/v1/vouchers/${enc(id)}/print`, { paper }), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    target?.close();
    throw await failure(res, !!token);
  }
  const base = new URL(buildUrl('/'), window.location.href).href;
  const html = (await res.text()).replace('<head>', `<head><base href="${base}">`);
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  const w = target ?? window.open('', '_blank');
  if (!w) {
    window.location.href = url;
    return;
  }
  w.location.href = url;
  w.addEventListener?.('load', () => w.print());
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function getTrialBalance(period: string): Promise<TrialBalance> {
  return request<TrialBalance>('/api/v1/trial-balance', { query: { period }, silent: true });
}

export function listAccounts(): Promise<AccountList> {
  return request<AccountList>('/api/v1/accounts', { silent: true });
}

export function getOpeningBalances(): Promise<OpeningBalances> {
  return request<OpeningBalances>('/api/v1/opening-balances', { silent: true });
}

export function putOpeningBalances(body: OpeningBalancesPut): Promise<OpeningBalances> {
  return request<OpeningBalances>('/api/v1/opening-balances', { method: 'PUT', body, silent: true });
}

// ---- 报表、账簿与老板看板 ----

export function getBalanceSheet(period: string): Promise<BalanceSheet> {
  return request<BalanceSheet>('/api/v1/balance-sheet', { query: { period }, silent: true });
}

export function getProfitStatement(period: string): Promise<ProfitStatement> {
  return request<ProfitStatement>('/api/v1/profit-statement', { query: { period }, silent: true });
}

export function getLedger(period: string, accountCode: string, projectId?: string): Promise<Ledger> {
  return request<Ledger>('/api/v1/ledger', { query: { period, accountCode, projectId: projectId || undefined }, silent: true });
}

export function getMonthEnd(period: string): Promise<MonthEndStatus> {
  return request<MonthEndStatus>(`/api/v1/month-end/${enc(period)}`, { silent: true });
}

export function runMonthEndStep(period: string, step: MonthEndStepResult['step']): Promise<MonthEndStepResult> {
  return request<MonthEndStepResult>(`/api/v1/month-end/${enc(period)}/${step}`, { method: 'POST' });
}

export function closeAccountingPeriod(period: string): Promise<unknown> {
  return request<unknown>(`/api/v1/accounting-periods/${enc(period)}/close`, { method: 'POST' });
}

export function getBossDashboard(): Promise<BossDashboard> {
  return request<BossDashboard>('/api/v1/dashboard/boss', { silent: true });
}

/** Saves a statement's Excel (the download needs the token, so it is fetched, then handed to the browser). */
export async function downloadStatement(kind: 'balance-sheet' | 'profit-statement' | 'trial-balance', period: string, fileName: string): Promise<void> {
  const token = useAuthStore().token;
  const res = await fetch(buildUrl(`/api/v1/${kind}/export`, { period }), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw await failure(res, !!token);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---- 物料清单 ----

export type BomQuery = Pick<BomListQuery, 'page' | 'pageSize' | 'q' | 'sort'>;

export function listBoms(query: BomQuery, signal?: AbortSignal): Promise<Page<BomSummary>> {
  return request<Page<BomSummary>>('/api/v1/boms', { query: { ...query }, signal, silent: true });
}

export function getBom(id: string, signal?: AbortSignal): Promise<Bom> {
  return request<Bom>(`/api/v1/boms/${enc(id)}`, { signal, silent: true });
}

/** quantity: of the parent, its base unit; date: the versions valid that day (default today) */
export function explodeBom(query: { itemId: string; quantity: string; date?: string }, signal?: AbortSignal): Promise<BomExplosion> {
  return request<BomExplosion>('/api/v1/boms/explode', { query: { ...query }, signal, silent: true });
}

/** BOM 成本卷积 (模拟报价): quantity of the parent (base unit), basis of the leaves' prices, the versions valid on date */
export function bomCostRollup(itemId: string, query: { basis: BomCostRollup['basis']; quantity: string; date?: string }): Promise<BomCostRollup> {
  return request<BomCostRollup>(`/api/v1/boms/${enc(itemId)}/cost-rollup`, { query: { ...query }, silent: true });
}

/** date: only the versions valid that day (default every version) */
export function bomWhereUsed(query: { itemId: string; date?: string }): Promise<BomWhereUsed> {
  return request<BomWhereUsed>('/api/v1/boms/where-used', { query: { ...query }, silent: true });
}

// ---- 成本计算 ----

export type CostCloseQuery = Pick<CostCloseListQuery, 'page' | 'pageSize' | 'q' | 'sort'>;

export function listCostCloses(query: CostCloseQuery, signal?: AbortSignal): Promise<Page<CostClose>> {
  return request<Page<CostClose>>('/api/v1/cost-closes', { query: { ...query }, signal, silent: true });
}

export function getCostClose(id: string): Promise<CostCloseDetail> {
  return request<CostCloseDetail>(`/api/v1/cost-closes/${enc(id)}`, { silent: true });
}

// ---- 物料需求计划 (MRP) ----

/** The latest runs first (pageSize 1: the latest, a running one included). */
export function listMrpRuns(query: { page?: number; pageSize?: number }, signal?: AbortSignal): Promise<Page<MrpRun>> {
  return request<Page<MrpRun>>('/api/v1/mrp/runs', { query: { ...query }, signal, silent: true });
}

export function getMrpRun(id: string): Promise<MrpRun> {
  return request<MrpRun>(`/api/v1/mrp/runs/${enc(id)}`, { silent: true });
}

/** Runs MRP inside the request (answers when the run ends); 409 when another run is under way. */
export function startMrpRun(): Promise<MrpRun> {
  return request<MrpRun>('/api/v1/mrp/runs', { method: 'POST', silent: true });
}

/** pastDue=false would mean "only those not past due": send the filter only when it is on. */
export type MrpSuggestionQuery = Pick<MrpSuggestionListQuery, 'page' | 'pageSize' | 'q' | 'sort' | 'runId' | 'kind' | 'state' | 'pastDue'>;

export function listMrpSuggestions(query: MrpSuggestionQuery, signal?: AbortSignal): Promise<Page<MrpSuggestion>> {
  const { pastDue, ...rest } = query;
  return request<Page<MrpSuggestion>>('/api/v1/mrp/suggestions', { query: { ...rest, pastDue: pastDue ? 'true' : undefined }, signal, silent: true });
}

export function updateMrpSuggestion(id: string, input: MrpSuggestionUpdate): Promise<MrpSuggestion> {
  return request<MrpSuggestion>(`/api/v1/mrp/suggestions/${enc(id)}`, { method: 'PATCH', body: input, silent: true });
}

export function firmMrpSuggestions(ids: string[]): Promise<{ firmed: number }> {
  return request<{ firmed: number }>('/api/v1/mrp/suggestions/firm', { method: 'POST', body: { ids }, silent: true });
}

/** 合并投放: the selected purchase suggestions → one requisition. */
export function releaseMrpSuggestions(ids: string[]): Promise<MrpReleaseResult> {
  return request<MrpReleaseResult>('/api/v1/mrp/suggestions/release', { method: 'POST', body: { ids }, silent: true });
}

// ---- 生产任务单与报工 ----

export type ProductionTaskQuery = Pick<ProductionTaskListQuery, 'page' | 'pageSize' | 'q' | 'state' | 'sort'>;

export function listProductionTasks(query: ProductionTaskQuery, signal?: AbortSignal): Promise<Page<ProductionTask>> {
  return request<Page<ProductionTask>>('/api/v1/production-tasks', { query: { ...query }, signal, silent: true });
}

export function getProductionTask(id: string): Promise<ProductionTaskDetail> {
  return request<ProductionTaskDetail>(`/api/v1/production-tasks/${enc(id)}`, { silent: true });
}

/** 下达 / 关闭 / 取消: the task as it now is */
export function productionTaskAction(id: string, action: 'release' | 'close' | 'cancel'): Promise<ProductionTaskDetail> {
  return request<ProductionTaskDetail>(`/api/v1/production-tasks/${enc(id)}/${action}`, { method: 'POST', silent: true });
}

/** 配套领料 (issue) or 完工入库 (receipts) of `quantity` finished goods */
export function moveProductionTask(id: string, move: 'issue' | 'receipts', quantity: string): Promise<ProductionTaskDetail> {
  return request<ProductionTaskDetail>(`/api/v1/production-tasks/${enc(id)}/${move}`, { method: 'POST', body: { quantity }, silent: true });
}

export function listTaskWorkReports(id: string): Promise<WorkReport[]> {
  return request<WorkReport[]>(`/api/v1/production-tasks/${enc(id)}/work-reports`, { silent: true });
}

/** 报工: the fields as z.input (quantities as strings; worker and date default on the server) */
export function reportWork(id: string, input: Partial<WorkReportCreate>): Promise<WorkReport> {
  return request<WorkReport>(`/api/v1/production-tasks/${enc(id)}/work-reports`, { method: 'POST', body: input, silent: true });
}

// ---- 免登 / 绑定 ----

// ---- 销售预测 and 足缺料分析

export type ForecastQuery = Pick<ForecastListQuery, 'page' | 'pageSize' | 'q' | 'sort'>;

export function listForecasts(query: ForecastQuery, signal?: AbortSignal): Promise<Page<Forecast>> {
  return request<Page<Forecast>>('/api/v1/forecasts', { query: { ...query }, signal, silent: true });
}

export function createForecast(input: ForecastCreate): Promise<Forecast> {
  return request<Forecast>('/api/v1/forecasts', { method: 'POST', body: input, silent: true });
}

export function updateForecast(id: string, input: ForecastUpdate): Promise<Forecast> {
  return request<Forecast>(`/api/v1/forecasts/${enc(id)}`, { method: 'PATCH', body: input, silent: true });
}

export function deleteForecast(id: string): Promise<void> {
  return request<void>(`/api/v1/forecasts/${enc(id)}`, { method: 'DELETE', silent: true });
}

/** items whose code or name contains the keyword (the first few), for picking a forecast's item */
export function searchItems(q: string): Promise<Page<Item>> {
  return request<Page<Item>>('/api/v1/items', { query: { q, pageSize: 10 }, silent: true });
}

export type ShortageQuery = Pick<ShortageAnalysisQuery, 'page' | 'pageSize' | 'q' | 'sort'> & { shortOnly?: boolean };

export function listShortageAnalysis(query: ShortageQuery, signal?: AbortSignal): Promise<Page<ShortageTask>> {
  const { shortOnly, ...rest } = query;
  return request<Page<ShortageTask>>('/api/v1/production-tasks/shortage-analysis', { query: { ...rest, ...(shortOnly ? { shortOnly: 'true' } : {}) }, signal, silent: true });
}

export function signInWithPlatform(platform: string, code: string): Promise<PlatformSignInResponse> {
  return request<PlatformSignInResponse>(`/api/v1/auth/platform/${enc(platform)}`, {
    method: 'POST',
    body: { code },
    silent: true,
    anonymous: true,
  });
}

export function bindPlatform(platform: string, proof: { bindToken: string } | { code: string }): Promise<PlatformBinding> {
  return request<PlatformBinding>(`/api/v1/auth/platform/${enc(platform)}/bind`, { method: 'POST', body: proof, silent: true });
}

// ---- 审批 ----

/** 待我审批 / 我发起的 / 抄送我的 */
export type ApprovalBox = 'pending' | 'submitted' | 'cc';

export type ApprovalQuery = Pick<ApprovalListQuery, 'page' | 'pageSize' | 'q' | 'state' | 'businessType' | 'sort'>;

export function listApprovals(box: ApprovalBox, query: ApprovalQuery, signal?: AbortSignal): Promise<Page<ApprovalListItem>> {
  return request<Page<ApprovalListItem>>(`/api/v1/approvals/${box}`, { query: { ...query }, signal, silent: true });
}

export function getApproval(id: string): Promise<ApprovalDetail> {
  return request<ApprovalDetail>(`/api/v1/approvals/${enc(id)}`, { silent: true });
}

/** The approval actions answer with the approval as it is now; errors are the caller's to show. */
function approvalAction(id: string, action: string, body: Record<string, unknown>): Promise<ApprovalDetail> {
  return request<ApprovalDetail>(`/api/v1/approvals/${enc(id)}/${action}`, { method: 'POST', body, silent: true });
}

export function decideApproval(
  id: string,
  input: { decision: 'agree' | 'reject'; comment?: string | null; documentVersion: number },
): Promise<ApprovalDetail> {
  return approvalAction(id, 'decide', { ...input, comment: input.comment || null });
}

export function withdrawApproval(id: string, comment?: string | null): Promise<ApprovalDetail> {
  return approvalAction(id, 'withdraw', { comment: comment || null });
}

export function transferApproval(id: string, toUserId: string, comment?: string | null): Promise<ApprovalDetail> {
  return approvalAction(id, 'transfer', { toUserId, comment: comment || null });
}

export function addApprover(id: string, userId: string, comment?: string | null): Promise<ApprovalDetail> {
  return approvalAction(id, 'add-approver', { userId, comment: comment || null });
}

export function commentOnApproval(id: string, comment: string): Promise<ApprovalDetail> {
  return approvalAction(id, 'comment', { comment });
}

/** The 通讯录 (any signed-in user; active colleagues only): the 转交 / 加签 picker. */
export function searchUsers(q: string, signal?: AbortSignal): Promise<Page<Colleague>> {
  return request<Page<Colleague>>('/api/v1/colleagues', { query: { q: q || undefined, page: 1, pageSize: 30, sort: 'name' }, signal, silent: true });
}

// ---- 费用报销 / 请假 ----

/** readyForPayment: true = 已批准、待付款 */
export type ExpenseClaimQuery = Pick<ExpenseClaimListQuery, 'page' | 'pageSize' | 'q' | 'state' | 'readyForPayment' | 'sort'>;
export type LeaveRequestQuery = Pick<LeaveRequestListQuery, 'page' | 'pageSize' | 'q' | 'state' | 'sort'>;

export function listExpenseClaims(query: ExpenseClaimQuery, signal?: AbortSignal): Promise<Page<ExpenseClaim>> {
  return request<Page<ExpenseClaim>>('/api/v1/expense-claims', { query: { ...query }, signal, silent: true });
}

export function getExpenseClaim(id: string): Promise<ExpenseClaim> {
  return request<ExpenseClaim>(`/api/v1/expense-claims/${enc(id)}`, { silent: true });
}

export function createExpenseClaim(input: ExpenseClaimCreateInput): Promise<ExpenseClaim> {
  return request<ExpenseClaim>('/api/v1/expense-claims', { method: 'POST', body: input, silent: true });
}

export function submitExpenseClaim(id: string): Promise<ExpenseClaim> {
  return request<ExpenseClaim>(`/api/v1/expense-claims/${enc(id)}/submit`, { method: 'POST', body: {}, silent: true });
}

/** 付款 (expense:pay): the approved claim → 已付款. */
export function payExpenseClaim(id: string, input: { paidOn?: string; account: string }): Promise<ExpenseClaim> {
  return request<ExpenseClaim>(`/api/v1/expense-claims/${enc(id)}/pay`, { method: 'POST', body: input, silent: true });
}

/** 请假天数 as the server counts them on the company's work calendar. */
export function previewLeaveDays(startAt: string, endAt: string, signal?: AbortSignal): Promise<LeaveDays> {
  return request<LeaveDays>('/api/v1/leave-requests/days', { query: { startAt, endAt }, signal, silent: true });
}

export function listLeaveRequests(query: LeaveRequestQuery, signal?: AbortSignal): Promise<Page<LeaveRequest>> {
  return request<Page<LeaveRequest>>('/api/v1/leave-requests', { query: { ...query }, signal, silent: true });
}

export function getContract(id: string): Promise<Contract> {
  return request<Contract>(`/api/v1/contracts/${enc(id)}`, { silent: true });
}

export function submitContract(id: string): Promise<Contract> {
  return request<Contract>(`/api/v1/contracts/${enc(id)}/submit`, { method: 'POST', body: {}, silent: true });
}

// ---- 质检 ----

export type QualityInspectionQuery = Pick<QualityInspectionListQuery, 'page' | 'pageSize' | 'q' | 'state' | 'sort'>;

export function listQualityInspections(query: QualityInspectionQuery, signal?: AbortSignal): Promise<Page<QualityInspection>> {
  return request<Page<QualityInspection>>('/api/v1/quality-inspections', { query: { ...query }, signal, silent: true });
}

export function getQualityInspection(id: string): Promise<QualityInspectionDetail> {
  return request<QualityInspectionDetail>(`/api/v1/quality-inspections/${enc(id)}`, { silent: true });
}

/** 录入质检结果 (qualityInspection:record): quantities in the base unit; 不合格 to the reject warehouse. */
export function recordQualityInspection(id: string, input: Partial<QualityInspectionRecord>): Promise<QualityInspectionDetail> {
  return request<QualityInspectionDetail>(`/api/v1/quality-inspections/${enc(id)}/results`, { method: 'POST', body: input, silent: true });
}

/** Active warehouses (the reject warehouse picker). */
export function listActiveWarehouses(): Promise<Page<Warehouse>> {
  return request<Page<Warehouse>>('/api/v1/warehouses', { query: { active: true, pageSize: 200, sort: 'code' }, silent: true });
}

export function getLeaveRequest(id: string): Promise<LeaveRequest> {
  return request<LeaveRequest>(`/api/v1/leave-requests/${enc(id)}`, { silent: true });
}

export function createLeaveRequest(input: LeaveRequestCreateInput): Promise<LeaveRequest> {
  return request<LeaveRequest>('/api/v1/leave-requests', { method: 'POST', body: input, silent: true });
}

export function submitLeaveRequest(id: string): Promise<LeaveRequest> {
  return request<LeaveRequest>(`/api/v1/leave-requests/${enc(id)}/submit`, { method: 'POST', body: {}, silent: true });
}

/** Approved leave of my department (and below) overlapping [from, to]. */
export function leaveCalendar(from: string, to: string): Promise<LeaveRequest[]> {
  return request<LeaveRequest[]>('/api/v1/leave-requests/calendar', { query: { from, to }, silent: true });
}

/** The server's per-field messages (400): { 'body.lines.0.amount': '金额必须大于 0' }. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return out;
  for (const d of error.details as unknown[]) {
    if (d && typeof d === 'object' && typeof (d as { field?: unknown }).field === 'string') {
      const { field, message } = d as { field: string; message?: unknown };
      if (!(field in out)) out[field] = typeof message === 'string' ? message : '有误';
    }
  }
  return out;
}

/** 404, 403, or an id the server refuses (400): "it isn't there for you" on a detail page. */
export function isNotVisible(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 403 || error.status === 400);
}

/** The Chinese message to show for any failure. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return '出错了，请稍后再试';
}
