// 应付's endpoints for the mini-app: payables per supplier, the supplier statement (and its Excel),
// the lines an invoice can cover, registering invoices and payments. Kept beside api.ts (same
// request helper) so the 应付 pages come with their calls.
import type {
  Payables, PurchaseInvoice, PurchaseInvoiceCreate, SupplierPayment, SupplierPaymentCreate, SupplierStatement, UninvoicedLine,
} from '../../shared/schemas/payables';
import type { Supplier } from '../../shared/schemas/purchase';
import type { Page } from '../../shared/schemas/common';
import { ApiError, buildUrl, request } from './api';
import { useAuthStore } from './stores/auth';

const enc = encodeURIComponent;

export function getPayables(asOf?: string): Promise<Payables> {
  return request<Payables>('/api/v1/payables', { query: { asOf }, silent: true });
}

export function getSupplierStatement(supplierId: string, dateFrom: string, dateTo: string): Promise<SupplierStatement> {
  return request<SupplierStatement>(`/api/v1/supplier-statements/${enc(supplierId)}`, { query: { dateFrom, dateTo }, silent: true });
}

/** The statement as an .xlsx download (the file needs the token, so it is fetched and handed over as an object URL). */
export async function downloadSupplierStatement(supplierId: string, dateFrom: string, dateTo: string): Promise<void> {
  const token = useAuthStore().token;
  const res = await fetch(buildUrl(`/api/v1/supplier-statements/${enc(supplierId)}/export`, { dateFrom, dateTo }), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, `导出失败（${res.status}）`);
  const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name ? decodeURIComponent(name) : '对账单.xlsx';
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export function searchSuppliers(q: string): Promise<Page<Supplier>> {
  return request<Page<Supplier>>('/api/v1/suppliers', { query: { q: q || undefined, pageSize: 30, active: 'true' }, silent: true });
}

export function getSupplier(id: string): Promise<Supplier> {
  return request<Supplier>(`/api/v1/suppliers/${enc(id)}`, { silent: true });
}

export function uninvoicedLines(supplierId: string): Promise<{ items: UninvoicedLine[] }> {
  return request<{ items: UninvoicedLine[] }>('/api/v1/purchase-invoices/uninvoiced-lines', { query: { supplierId }, silent: true });
}

export function openInvoices(supplierId: string): Promise<Page<PurchaseInvoice>> {
  return request<Page<PurchaseInvoice>>('/api/v1/purchase-invoices', { query: { supplierId, open: 'true', sort: 'invoiceDate', pageSize: 200 }, silent: true });
}

export function createPurchaseInvoice(body: PurchaseInvoiceCreate): Promise<PurchaseInvoice> {
  return request<PurchaseInvoice>('/api/v1/purchase-invoices', { method: 'POST', body, silent: true });
}

export function createSupplierPayment(body: SupplierPaymentCreate): Promise<SupplierPayment> {
  return request<SupplierPayment>('/api/v1/supplier-payments', { method: 'POST', body, silent: true });
}
