// Building a draft 销售订单 from a request or a quotation: the customer within the actor's data
// scope, the salesperson, the ship-from warehouse, the currency and its rate on the order date,
// priced lines and totals — checked before anything is written.
import crypto from 'node:crypto';
import type { Tx } from '../../../db/transaction.ts';
import type { SalesLineInput } from '../../../../shared/schemas/sales/lines.ts';
import { withinScope } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { forbidden, invalid } from '../../../platform/errors.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { assertUserExists } from '../../../platform/references.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { exchangeRateOn, priceSalesLines, type PricedLine, type PricedLines } from '../pricing.ts';
import { money, ownerScopeSql, todayInShanghai } from '../support.ts';

/** The customer, if the actor may see it and it is active; else 400 naming the field. */
export async function visibleCustomer(tx: Tx, ctx: UseCaseContext, customerId: string, field = 'body.customerId') {
  // The customers' data scope (ownerScope on customer.owner_id), in SQL: this is on the hot path of every new order.
  const [row] = await tx.$queryRaw<{ id: string; name: string; currency_code: string; payment_term_days: number; active: boolean }[]>`
    SELECT c.id::text, c.name, c.currency_code, c.payment_term_days, c.active
      FROM customer c WHERE c.id = ${customerId}::uuid AND ${ownerScopeSql(ctx.actor, 'c.owner_id')}`;
  if (!row) throw invalid(field, '客户不存在');
  if (!row.active) throw invalid(field, '客户已停用');
  return { id: row.id, name: row.name, currencyCode: row.currency_code, paymentTermDays: row.payment_term_days };
}

/** A salesperson the actor may assign documents to (themselves, or someone in their data scope). */
export async function checkSalesperson(tx: Tx, ctx: UseCaseContext, ownerId: string, field = 'body.ownerId'): Promise<void> {
  if (ownerId === ctx.actor.userId) return;
  const owner = await assertUserExists(tx, ownerId, field);
  if (!withinScope(ctx.actor, owner)) throw forbidden('不能把单据分配给数据范围以外的销售员');
}

/** The ship-from warehouse: the one given, else 成品仓 WH02. */
export async function shipFromWarehouse(tx: Tx, warehouseId: string | null | undefined, field = 'body.warehouseId'): Promise<string> {
  const [warehouse] = warehouseId
    ? await tx.$queryRaw<{ id: string; active: boolean }[]>`SELECT id::text, active FROM warehouse WHERE id = ${warehouseId}::uuid`
    : await tx.$queryRaw<{ id: string; active: boolean }[]>`SELECT id::text, active FROM warehouse WHERE code = 'WH02'`;
  if (!warehouse) throw invalid(field, warehouseId ? '仓库不存在' : '没有默认的成品仓 WH02，请指定发货仓库');
  if (!warehouse.active) throw invalid(field, '仓库已停用');
  return warehouse.id;
}

export interface OrderDraftInput {
  customerId: string;
  ownerId?: string | null;
  warehouseId?: string | null;
  orderDate?: string;
  requestedDate?: string | null;
  currencyCode?: string;
  paymentTermDays?: number;
  prepaymentRequired?: boolean;
  remark?: string | null;
  lines: SalesLineInput[];
  quotationId?: string;
}

/** Writes a draft order (header, lines, timeline 'created', audit) and returns its id. */
export async function insertDraftOrder(tx: Tx, ctx: UseCaseContext, input: OrderDraftInput): Promise<string> {
  const customer = await visibleCustomer(tx, ctx, input.customerId);
  const ownerId = input.ownerId ?? ctx.actor.userId;
  await checkSalesperson(tx, ctx, ownerId);
  const warehouseId = await shipFromWarehouse(tx, input.warehouseId);
  const orderDate = input.orderDate ?? todayInShanghai();
  const currencyCode = input.currencyCode ?? customer.currencyCode;
  const exchangeRate = await exchangeRateOn(tx, currencyCode, orderDate);
  const priced = await priceSalesLines(tx, input.lines, { exchangeRate });

  const companyId = ctx.actor.companyId;
  const orderId = crypto.randomUUID();
  const header = {
    id: orderId, companyId, customerId: customer.id, ownerId, quotationId: input.quotationId ?? null, warehouseId, currencyCode, exchangeRate,
    orderDate, requestedDate: input.requestedDate ?? null, paymentTermDays: input.paymentTermDays ?? customer.paymentTermDays,
    prepaymentRequired: input.prepaymentRequired ?? false, remark: input.remark ?? null, createdById: ctx.actor.userId, ...totalsColumns(priced),
  };
  // The number is taken last: its counter row stays locked until commit, so all else is ready.
  const number = await nextDocumentNumber(tx, companyId, 'SO');
  await tx.$executeRaw`
    INSERT INTO sales_order (id, company_id, number, customer_id, owner_id, quotation_id, warehouse_id, currency_code, exchange_rate,
                             order_date, requested_date, payment_term_days, prepayment_required, remark, created_by_id,
                             list_total, total_amount, total_tax, total_with_tax)
    VALUES (${orderId}::uuid, ${companyId}::uuid, ${number}, ${header.customerId}::uuid, ${ownerId}::uuid, ${header.quotationId}::uuid,
            ${warehouseId}::uuid, ${currencyCode}, ${exchangeRate}::numeric, ${orderDate}::date, ${header.requestedDate}::date,
            ${header.paymentTermDays}::int, ${header.prepaymentRequired}, ${header.remark}, ${ctx.actor.userId}::uuid,
            ${header.listTotal}::numeric, ${header.totalAmount}::numeric, ${header.totalTax}::numeric, ${header.totalWithTax}::numeric)`;
  await insertOrderLines(tx, companyId, orderId, warehouseId, priced);
  await addTimelineStep(tx, ctx, {
    orderType: 'salesOrder', orderId, number, kind: 'created',
    message: `创建订单 ${number}：${customer.name}，${priced.lines.length} 行，价税合计 ${money(currencyCode, priced.totals.totalWithTax)}`,
    data: { customerId: customer.id, lines: priced.lines.length, totalWithTax: priced.totals.totalWithTax, currencyCode, quotationId: input.quotationId ?? null },
  });
  await recordAudit(tx, ctx, { action: 'create', entity: 'salesOrder', entityId: orderId, after: { ...header, number, state: 'draft', lines: priced.lines.length } });
  return orderId;
}

export function totalsColumns(priced: PricedLines) {
  const t = priced.totals;
  return { listTotal: t.listTotal, totalAmount: t.totalAmount, totalTax: t.totalTax, totalWithTax: t.totalWithTax };
}

/** All the lines in one statement (column arrays through unnest), however many there are. */
export async function insertOrderLines(tx: Tx, companyId: string, orderId: string, warehouseId: string, priced: PricedLines): Promise<void> {
  const col = <K extends keyof PricedLine>(k: K) => priced.lines.map((l) => l[k]);
  await tx.$executeRaw`
    INSERT INTO sales_order_line (id, company_id, order_id, line_no, item_id, warehouse_id, unit_id, factor, quantity, base_quantity,
                                  list_price, unit_price, discount_rate, tax_rate, amount, tax_amount, amount_with_tax, requested_date)
    SELECT v.id, ${companyId}::uuid, ${orderId}::uuid, v.line_no, v.item_id, ${warehouseId}::uuid, v.unit_id, v.factor, v.quantity, v.base_quantity,
           v.list_price, v.unit_price, v.discount_rate, v.tax_rate, v.amount, v.tax_amount, v.amount_with_tax, v.requested_date
      FROM unnest(${col('id')}::uuid[], ${col('lineNo')}::int[], ${col('itemId')}::uuid[], ${col('unitId')}::uuid[], ${col('factor')}::numeric[],
                  ${col('quantity')}::numeric[], ${col('baseQuantity')}::numeric[], ${col('listPrice')}::numeric[], ${col('unitPrice')}::numeric[],
                  ${col('discountRate')}::numeric[], ${col('taxRate')}::numeric[], ${col('amount')}::numeric[], ${col('taxAmount')}::numeric[],
                  ${col('amountWithTax')}::numeric[], ${priced.lines.map((l) => l.requestedDate)}::date[])
           AS v(id, line_no, item_id, unit_id, factor, quantity, base_quantity, list_price, unit_price, discount_rate, tax_rate,
                amount, tax_amount, amount_with_tax, requested_date)`;
}
