import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  AgingQuery, AgingReport, ArMatch, ArMatchCreate, ArMatchList, ArMatchListQuery, ArUnmatch, CustomerReceipt, CustomerReceiptCreate,
  CustomerReceiptList, CustomerReceiptListQuery, CustomerStatement, ReceivableListQuery, SalesInvoice, SalesInvoiceCreate, SalesInvoiceIssue,
  SalesInvoiceList, SalesInvoiceWriteOff, SalesRedInvoice, SalesRedInvoiceListQuery, SalesRedInvoicePage, SalesRedInvoiceUpdate, StatementQuery, StatementSendParams, StatementSendResult,
} from '../../../../shared/schemas/sales/receivables.ts';
import { sendWorkbook, XLSX_MIME } from '../../../platform/excel.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createSalesInvoice, getSalesInvoice, issueSalesInvoice, listSalesInvoices } from './invoices.ts';
import { getMatch, listMatches, matchReceivables, unmatchReceivable } from './matching.ts';
import { createCustomerReceipt, getCustomerReceipt, listCustomerReceipts } from './receipts.ts';
import { writeOffSalesInvoice } from './write-off.ts';
import { getSalesRedInvoice, listSalesRedInvoices, recordSalesRedInvoiceNo } from './red-invoices.ts';
import { agingReport, customerStatement, customerStatementWorkbook } from './reports.ts';
import { sendCustomerStatement } from './statement-send.ts';

export function receivableRoutes(api: ApiRouter): void {
  const tag = '应收';
  api.route({
    method: 'get', path: '/sales-invoices', tag, summary: '销售发票列表（按客户的数据范围；可只看未核销完的）', permission: 'salesInvoice:read',
    query: ReceivableListQuery, response: SalesInvoiceList,
    handler: ({ ctx, query }) => listSalesInvoices(ctx, query),
  });
  api.route({
    method: 'post', path: '/sales-invoices', tag, summary: '新增销售发票草稿（订单行按订单价格分摊，或自由行；到期日 = 开票日期 + 客户账期）', permission: 'salesInvoice:write', status: 201,
    body: SalesInvoiceCreate, response: SalesInvoice,
    handler: ({ ctx, body }) => createSalesInvoice(ctx, body),
  });
  api.route({
    method: 'get', path: '/sales-invoices/:id', tag, summary: '销售发票详情', permission: 'salesInvoice:read',
    params: IdParams, response: SalesInvoice,
    handler: ({ ctx, params }) => getSalesInvoice(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/sales-invoices/:id/issue', tag, summary: '开具发票（记录数电票号码，生成凭证：已发货的部分不再记账，发货前开票的部分借应收贷预收与销项税）', permission: 'salesInvoice:write',
    params: IdParams, body: SalesInvoiceIssue, response: SalesInvoice,
    handler: ({ ctx, params, body }) => issueSalesInvoice(ctx, params.id, body.invoiceNo),
  });
  api.route({
    method: 'post', path: '/sales-invoices/:id/write-off', tag, summary: '坏账核销（发票的未收金额全部转营业外支出：借营业外支出，贷应收账款；只能一次，记审计）', permission: 'arWriteOff:write',
    params: IdParams, body: SalesInvoiceWriteOff, response: SalesInvoice,
    handler: ({ ctx, params, body }) => writeOffSalesInvoice(ctx, params.id, body),
  });
  api.route({
    method: 'get', path: '/sales-red-invoices', tag, summary: '销售红字发票列表（销售退货已开票部分冲减的应收；分页，按编号/红字发票号码/客户搜索，按客户/退货单/未抵扣筛选，按客户的数据范围）', permission: 'salesInvoice:read',
    query: SalesRedInvoiceListQuery, response: SalesRedInvoicePage,
    handler: ({ ctx, query }) => listSalesRedInvoices(ctx, query),
  });
  api.route({
    method: 'get', path: '/sales-red-invoices/:id', tag, summary: '销售红字发票详情（含抵扣记录）', permission: 'salesInvoice:read',
    params: IdParams, response: SalesRedInvoice,
    handler: ({ ctx, params }) => getSalesRedInvoice(ctx, params.id),
  });
  api.route({
    method: 'patch', path: '/sales-red-invoices/:id', tag, summary: '登记开具的数电红字发票号码', permission: 'salesInvoice:write',
    params: IdParams, body: SalesRedInvoiceUpdate, response: SalesRedInvoice,
    handler: ({ ctx, params, body }) => recordSalesRedInvoiceNo(ctx, params.id, body),
  });
  api.route({
    method: 'get', path: '/customer-receipts', tag, summary: '收款单列表（按客户的数据范围）', permission: 'customerReceipt:read',
    query: CustomerReceiptListQuery, response: CustomerReceiptList,
    handler: ({ ctx, query }) => listCustomerReceipts(ctx, query),
  });
  api.route({
    method: 'post', path: '/customer-receipts', tag, summary: '登记收款（借银行存款/库存现金，贷应收账款；超出未核销发票的部分贷预收账款；关联订单时更新收款进度并通知订单群）', permission: 'customerReceipt:write', status: 201,
    body: CustomerReceiptCreate, response: CustomerReceipt,
    handler: ({ ctx, body }) => createCustomerReceipt(ctx, body),
  });
  api.route({
    method: 'get', path: '/customer-receipts/:id', tag, summary: '收款单详情', permission: 'customerReceipt:read',
    params: IdParams, response: CustomerReceipt,
    handler: ({ ctx, params }) => getCustomerReceipt(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/ar-matches', tag, summary: '核销：收款或销售红字发票（应退客户的部分）对发票（部分、多对多；超过发票、收款或红字发票未核销金额的整单拒绝）', permission: 'arMatch:write', status: 201,
    body: ArMatchCreate, response: ArMatchList,
    handler: ({ ctx, body }) => matchReceivables(ctx, body),
  });
  api.route({
    method: 'get', path: '/ar-matches', tag, summary: '核销记录（按发票或收款单）', permission: 'salesInvoice:read',
    query: ArMatchListQuery, response: ArMatchList,
    handler: ({ ctx, query }) => listMatches(ctx, { invoiceId: query.invoiceId, receiptId: query.customerReceiptId }),
  });
  api.route({
    method: 'get', path: '/ar-matches/:id', tag, summary: '核销记录详情（凭证行链接到这里）', permission: 'salesInvoice:read',
    params: IdParams, response: ArMatch,
    handler: ({ ctx, params }) => getMatch(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/ar-matches/:id/unmatch', tag, summary: '取消核销（只能一次，记审计；用过预收的转回预收账款）', permission: 'arMatch:write',
    params: IdParams, body: ArUnmatch, response: ArMatch,
    handler: ({ ctx, params, body }) => unmatchReceivable(ctx, params.id, body.reason),
  });
  api.route({
    method: 'get', path: '/receivables/aging', tag, summary: '应收账龄（未到期、1–30、31–60、61–90、90 天以上，按到期日）', permission: 'salesInvoice:read',
    query: AgingQuery, response: AgingReport,
    handler: ({ ctx, query }) => agingReport(ctx, query),
  });
  api.route({
    method: 'get', path: '/receivables/customers/:id/statement', tag, summary: '客户对账单（期初、本期发票与收款、期末）', permission: 'salesInvoice:read',
    params: IdParams, query: StatementQuery, response: CustomerStatement,
    handler: ({ ctx, params, query }) => customerStatement(ctx, params.id, query),
  });
  api.route({
    method: 'get', path: '/receivables/customers/:id/statement/export', tag, summary: '导出客户对账单到 Excel', permission: 'salesInvoice:read',
    params: IdParams, query: StatementQuery, rawResponse: { contentType: XLSX_MIME, description: '对账单.xlsx' },
    handler: async ({ ctx, params, query, res }) => {
      const book = await customerStatementWorkbook(ctx, params.id, query);
      sendWorkbook(res, book.fileName, book.data);
    },
  });
  api.route({
    method: 'post', path: '/customer-statements/:customerId/send', tag, summary: '发送客户对账单到客户群（绑定该客户的通知路由；没有则 409）', permission: 'salesInvoice:read',
    params: StatementSendParams, body: StatementQuery, response: StatementSendResult,
    handler: ({ ctx, params, body }) => sendCustomerStatement(ctx, params.customerId, body),
  });
}
