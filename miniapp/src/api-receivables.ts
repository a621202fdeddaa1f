// 应收 endpoints: aging, customer statement (and its Excel), sales invoices and receipts.
import type { AgingReport, CustomerReceipt, CustomerReceiptCreate, CustomerStatement, SalesInvoice, SalesInvoiceCreate, StatementSendResult } from '../../shared/schemas/sales/receivables';
import { request } from './api';
import { useAuthStore } from './stores/auth';

export function getAging(query: { asOf?: string; customerId?: string } = {}): Promise<AgingReport> {
  return request<AgingReport>('/api/v1/receivables/aging', { query, silent: true });
}

export function getCustomerStatement(customerId: string, from: string, to: string): Promise<CustomerStatement> {
  return request<CustomerStatement>(`/api/v1/receivables/customers/${encodeURIComponent(customerId)}/statement`, { query: { from, to }, silent: true });
}

/** 发送到客户群: the statement's totals as a card to the customer's chat groups. */
export function sendCustomerStatement(customerId: string, from: string, to: string): Promise<StatementSendResult> {
  return request<StatementSendResult>(`/api/v1/customer-statements/${encodeURIComponent(customerId)}/send`, { method: 'POST', body: { from, to } });
}

/** The statement's workbook as an object URL to download (the API needs the sign-in header, a plain link would not carry it). */
export async function customerStatementFile(customerId: string, from: string, to: string): Promise<string> {
  const token = useAuthStore().token;
  const url = `${import.meta.env.VITE_API_BASE ?? ''}/api/v1/receivables/customers/${encodeURIComponent(customerId)}/statement/export?from=${from}&to=${to}`;
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error('导出失败');
  return URL.createObjectURL(await res.blob());
}

export function createSalesInvoice(body: SalesInvoiceCreate): Promise<SalesInvoice> {
  return request<SalesInvoice>('/api/v1/sales-invoices', { method: 'POST', body });
}

export function issueSalesInvoice(id: string, invoiceNo: string): Promise<SalesInvoice> {
  return request<SalesInvoice>(`/api/v1/sales-invoices/${encodeURIComponent(id)}/issue`, { method: 'POST', body: { invoiceNo } });
}

export function createCustomerReceipt(body: Partial<CustomerReceiptCreate> & { customerId: string; amount: string }): Promise<CustomerReceipt> {
  return request<CustomerReceipt>('/api/v1/customer-receipts', { method: 'POST', body });
}
