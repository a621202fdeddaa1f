// Creating from the phone: quotations, sales orders (submit → approval when a rule applies),
// customers (create / edit), and the 工作台's alerts. The writes are silent: the forms put the
// server's messages next to their fields and toast the rest themselves.
import type { Page } from '../../shared/schemas/common';
import type { Customer, CustomerCreate, CustomerUpdate } from '../../shared/schemas/crm';
import type { Item } from '../../shared/schemas/inventory';
import type { ShortageTask } from '../../shared/schemas/manufacturing';
import type { AgingReport } from '../../shared/schemas/sales/receivables';
import type { SalesOrder, SalesOrderCreate, SalesOrderUpdate } from '../../shared/schemas/sales/orders';
import type { Quotation, QuotationConvert, QuotationCreate, QuotationListQuery } from '../../shared/schemas/sales/quotations';
import type { StockLevelRow } from '../../shared/schemas/stock';
import { request } from './api';

const enc = encodeURIComponent;

/** customers in the user's data scope whose code / name / city … contain the keyword */
export function searchCustomers(q: string, signal?: AbortSignal): Promise<Page<Customer>> {
  return request<Page<Customer>>('/api/v1/customers', { query: { q, pageSize: 20, active: 'true', sort: 'code' }, signal, silent: true });
}

/** active items whose code or name contains the keyword, with their units and conversions */
export function searchSaleItems(q: string, signal?: AbortSignal): Promise<Page<Item>> {
  return request<Page<Item>>('/api/v1/items', { query: { q, pageSize: 20, active: 'true' }, signal, silent: true });
}

export function createSalesOrder(body: SalesOrderCreate): Promise<SalesOrder> {
  return request<SalesOrder>('/api/v1/sales-orders', { method: 'POST', body, silent: true });
}

/** 修改 a draft order (only the fields sent; the version read). */
export function updateSalesOrder(id: string, body: SalesOrderUpdate): Promise<SalesOrder> {
  return request<SalesOrder>(`/api/v1/sales-orders/${enc(id)}`, { method: 'PATCH', body, silent: true });
}

/** 提交: the API starts the discount / amount approval when a rule applies (→ 待审批), else confirms it. */
export function submitSalesOrder(id: string): Promise<SalesOrder> {
  return request<SalesOrder>(`/api/v1/sales-orders/${enc(id)}/submit`, { method: 'POST', body: {}, silent: true });
}

export function createQuotation(body: QuotationCreate): Promise<Quotation> {
  return request<Quotation>('/api/v1/quotations', { method: 'POST', body, silent: true });
}

export type QuotationQuery = Pick<QuotationListQuery, 'page' | 'pageSize' | 'q' | 'state' | 'sort'>;

export function listQuotations(query: QuotationQuery, signal?: AbortSignal): Promise<Page<Quotation>> {
  return request<Page<Quotation>>('/api/v1/quotations', { query: { ...query }, signal, silent: true });
}

export function getQuotation(id: string): Promise<Quotation> {
  return request<Quotation>(`/api/v1/quotations/${enc(id)}`, { silent: true });
}

/** 转为订单: a draft order with the quotation's lines at the quoted prices. */
export function convertQuotation(id: string, body: QuotationConvert = {}): Promise<SalesOrder> {
  return request<SalesOrder>(`/api/v1/quotations/${enc(id)}/convert`, { method: 'POST', body, silent: true });
}

export function createCustomer(body: Partial<CustomerCreate>): Promise<Customer> {
  return request<Customer>('/api/v1/customers', { method: 'POST', body, silent: true });
}

export function updateCustomer(id: string, body: CustomerUpdate): Promise<Customer> {
  return request<Customer>(`/api/v1/customers/${enc(id)}`, { method: 'PATCH', body, silent: true });
}

// ---- 工作台 提醒 (each a hint: failures are swallowed by the caller, never toasted) ----

export function overdueReceivables(): Promise<AgingReport> {
  return request<AgingReport>('/api/v1/receivables/aging', { silent: true });
}

export function lowStockCount(): Promise<Page<StockLevelRow>> {
  return request<Page<StockLevelRow>>('/api/v1/stock/levels', { query: { belowSafety: 'true', pageSize: 1 }, silent: true });
}

export function shortTaskCount(): Promise<Page<ShortageTask>> {
  return request<Page<ShortageTask>>('/api/v1/production-tasks/shortage-analysis', { query: { shortOnly: 'true', pageSize: 1 }, silent: true });
}
