// 应付 routes: 采购发票 (purchaseInvoice:write to register, read to see), 付款单 and 核销
// (supplierPayment:write / read), 应付账龄 and 供应商对账单 (purchaseInvoice:read), 退货红字发票
// (purchaseInvoice:read; recording its number purchaseInvoice:write).
import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  Payables, PayablesQuery, PurchaseInvoice, PurchaseRedInvoice, PurchaseRedInvoiceListQuery, PurchaseRedInvoicePage, PurchaseRedInvoiceUpdate, PurchaseInvoiceCreate, PurchaseInvoiceListQuery, PurchaseInvoicePage, SettlementCreate, SettlementResult,
  StatementQuery, SupplierPayment, UninvoicedLines, UninvoicedQuery, SupplierPaymentCreate, SupplierPaymentListQuery, SupplierPaymentPage, SupplierStatement,
} from '../../../../shared/schemas/payables.ts';
import { sendWorkbook, XLSX_MIME } from '../../../platform/excel.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createPurchaseInvoice, getPurchaseInvoice, listPurchaseInvoices, uninvoicedLines } from '../invoices/service.ts';
import { getRedInvoice, listRedInvoices, recordRedInvoiceNo } from './red-invoices.ts';
import { exportSupplierStatement, payables, supplierStatement } from './reports.ts';
import { createSupplierPayment, getSupplierPayment, listSupplierPayments, settlePayables } from './service.ts';

export function payableRoutes(api: ApiRouter): void {
  const tag = '应付';
  api.route({
    method: 'post', path: '/purchase-invoices', tag, summary: '登记采购发票（冲销所开票入库的暂估，生成发票凭证；与暂估的差额调整库存或主营业务成本）',
    permission: 'purchaseInvoice:write', status: 201, body: PurchaseInvoiceCreate, response: PurchaseInvoice,
    handler: ({ ctx, body }) => createPurchaseInvoice(ctx, body),
  });
  api.route({
    method: 'get', path: '/purchase-invoices', tag, summary: '采购发票列表（分页、搜索单号/发票号码/供应商、按供应商/日期/未核销筛选）', permission: 'purchaseInvoice:read',
    query: PurchaseInvoiceListQuery, response: PurchaseInvoicePage,
    handler: ({ ctx, query }) => listPurchaseInvoices(ctx, query),
  });
  // Before /purchase-invoices/:id, so the fixed path is not read as an id.
  api.route({
    method: 'get', path: '/purchase-invoices/uninvoiced-lines', tag, summary: '供应商入库未开票的明细（开票时选择）', permission: 'purchaseInvoice:read',
    query: UninvoicedQuery, response: UninvoicedLines,
    handler: ({ ctx, query }) => uninvoicedLines(ctx, query.supplierId),
  });
  api.route({
    method: 'get', path: '/purchase-invoices/:id', tag, summary: '采购发票详情', permission: 'purchaseInvoice:read',
    params: IdParams, response: PurchaseInvoice,
    handler: ({ ctx, params }) => getPurchaseInvoice(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/purchase-red-invoices', tag, summary: '退货红字发票列表（采购退货已开票部分冲减的应付；按供应商/退货单/未抵扣筛选）', permission: 'purchaseInvoice:read',
    query: PurchaseRedInvoiceListQuery, response: PurchaseRedInvoicePage,
    handler: ({ ctx, query }) => listRedInvoices(ctx, query),
  });
  api.route({
    method: 'get', path: '/purchase-red-invoices/:id', tag, summary: '退货红字发票详情（含抵扣记录）', permission: 'purchaseInvoice:read',
    params: IdParams, response: PurchaseRedInvoice,
    handler: ({ ctx, params }) => getRedInvoice(ctx, params.id),
  });
  api.route({
    method: 'patch', path: '/purchase-red-invoices/:id', tag, summary: '登记供应商开具的数电红字发票号码', permission: 'purchaseInvoice:write',
    params: IdParams, body: PurchaseRedInvoiceUpdate, response: PurchaseRedInvoice,
    handler: ({ ctx, params, body }) => recordRedInvoiceNo(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/supplier-payments', tag, summary: '登记付款单（超过未付应付款的部分记预付账款；可同时核销发票）',
    permission: 'supplierPayment:write', status: 201, body: SupplierPaymentCreate, response: SupplierPayment,
    handler: ({ ctx, body }) => createSupplierPayment(ctx, body),
  });
  api.route({
    method: 'get', path: '/supplier-payments', tag, summary: '付款单列表', permission: 'supplierPayment:read',
    query: SupplierPaymentListQuery, response: SupplierPaymentPage,
    handler: ({ ctx, query }) => listSupplierPayments(ctx, query),
  });
  api.route({
    method: 'get', path: '/supplier-payments/:id', tag, summary: '付款单详情（含核销记录）', permission: 'supplierPayment:read',
    params: IdParams, response: SupplierPayment,
    handler: ({ ctx, params }) => getSupplierPayment(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/payable-settlements', tag, summary: '付款或退货红字发票核销发票（部分、多对多；超过未核销金额整单拒绝）',
    permission: 'supplierPayment:write', status: 201, body: SettlementCreate, response: SettlementResult,
    handler: ({ ctx, body }) => settlePayables(ctx, body),
  });
  api.route({
    method: 'get', path: '/payables', tag, summary: '应付款与账龄（按供应商：未核销发票、未核销付款、账龄、逾期）', permission: 'purchaseInvoice:read',
    query: PayablesQuery, response: Payables,
    handler: ({ ctx, query }) => payables(ctx, query),
  });
  api.route({
    method: 'get', path: '/supplier-statements/:id', tag, summary: '供应商对账单（期初、本期发票与付款、期末）', permission: 'purchaseInvoice:read',
    params: IdParams, query: StatementQuery, response: SupplierStatement,
    handler: ({ ctx, params, query }) => supplierStatement(ctx, params.id, query),
  });
  api.route({
    method: 'get', path: '/supplier-statements/:id/export', tag, summary: '导出供应商对账单到 Excel', permission: 'purchaseInvoice:read',
    params: IdParams, query: StatementQuery, rawResponse: { contentType: XLSX_MIME, description: '对账单.xlsx' },
    handler: async ({ ctx, params, query, res }) => {
      const { fileName, buffer } = await exportSupplierStatement(ctx, params.id, query);
      sendWorkbook(res, fileName, buffer);
    },
  });
}
