// Building a draft 销售订单 from a request or a quotation: the customer within the actor's data
// scope, the salesperson, the ship-from warehouse, the currency and its rate on the order date,
// priced lines and totals — checked before anything is written.
import crypto from 'node:crypto';
import { lastStatement, type SqlTx } from '../../../db/sql-session.ts';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { SalesOrder } from '../../../../shared/schemas/sales/orders.ts';
import type { SalesLineInput } from '../../../../shared/schemas/sales/lines.ts';
import { withinScope } from '../../../platform/actor.ts';
import { auditSql, snapshot } from '../../../platform/audit.ts';
import { forbidden, invalid } from '../../../platform/errors.ts';
import { documentNumberSql } from '../../../platform/numbering.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { timelineStepSql } from '../../../platform/timeline.ts';
import { exchangeRateSql, lineFactsSql, priceLinesWith, rateFrom, type LineFacts, type PricedLine, type PricedLines, type RateFact } from '../pricing.ts';
import { money, ownerScopeSql, todayInShanghai } from '../support.ts';
import { LINE_COLUMNS, ORDER_COLUMNS, orderDetailOf, type HeaderRow, type LineRow } from './read.ts';

interface CustomerFact {
  id: string;
  code: string;
  name: string;
  currency_code: string;
  payment_term_days: number;
  active: boolean;
}

/** The customer as a JSON value (CustomerFact) for a SELECT list, if the actor may see it (data scope on customer.owner_id). */
function customerSql(ctx: UseCaseContext, customerId: string): Prisma.Sql {
  return Prisma.sql`(
    SELECT json_build_object('id', c.id, 'code', c.code, 'name', c.name, 'currency_code', c.currency_code, 'payment_term_days', c.payment_term_days, 'active', c.active)
      FROM customer c WHERE c.id = ${customerId}::uuid AND ${ownerScopeSql(ctx.actor, 'c.owner_id')})`;
}

function customerFrom(row: CustomerFact | null, field: string) {
  if (!row) throw invalid(field, '客户不存在');
  if (!row.active) throw invalid(field, '客户已停用');
  return { id: row.id, code: row.code, name: row.name, currencyCode: row.currency_code, paymentTermDays: row.payment_term_days };
}

/** The customer, if the actor may see it and it is active; else 400 naming the field. */
export async function visibleCustomer(tx: Tx, ctx: UseCaseContext, customerId: string, field = 'body.customerId') {
  const [row] = await tx.$queryRaw<{ customer: CustomerFact | null }[]>`SELECT ${customerSql(ctx, customerId)} AS customer`;
  return customerFrom(row?.customer ?? null, field);
}

interface UserFact {
  id: string;
  name: string;
  department_id: string | null;
}

/** A user as a JSON value (UserFact) for a SELECT list. */
function userSql(userId: string): Prisma.Sql {
  return Prisma.sql`(SELECT json_build_object('id', u.id, 'name', u.name, 'department_id', u.department_id) FROM app_user u WHERE u.id = ${userId}::uuid)`;
}

/** The salesperson check on a user already read (null: not found): returns the salesperson's name. */
function salespersonFrom(ctx: UseCaseContext, ownerId: string, row: UserFact | null, field: string): string {
  if (ownerId === ctx.actor.userId) return ctx.actor.name;
  if (!row) throw invalid(field, '用户不存在');
  if (!withinScope(ctx.actor, { id: row.id, departmentId: row.department_id })) throw forbidden('不能把单据分配给数据范围以外的销售员');
  return row.name;
}

/** A salesperson the actor may assign documents to (themselves, or someone in their data scope). */
export async function checkSalesperson(tx: Tx, ctx: UseCaseContext, ownerId: string, field = 'body.ownerId'): Promise<void> {
  if (ownerId === ctx.actor.userId) return;
  const [row] = await tx.$queryRaw<{ owner: UserFact | null }[]>`SELECT ${userSql(ownerId)} AS owner`;
  salespersonFrom(ctx, ownerId, row?.owner ?? null, field);
}

interface WarehouseFact {
  id: string;
  code: string;
  name: string;
  active: boolean;
}

/** The ship-from warehouse as a JSON value (WarehouseFact) for a SELECT list: the one given, else 成品仓 WH02. */
function warehouseSql(warehouseId: string | null | undefined): Prisma.Sql {
  return Prisma.sql`(
    SELECT json_build_object('id', w.id, 'code', w.code, 'name', w.name, 'active', w.active) FROM warehouse w
     WHERE ${warehouseId ? Prisma.sql`w.id = ${warehouseId}::uuid` : Prisma.sql`w.code = 'WH02'`})`;
}

function warehouseFrom(row: WarehouseFact | null, warehouseId: string | null | undefined, field: string): WarehouseFact {
  if (!row) throw invalid(field, warehouseId ? '仓库不存在' : '没有默认的成品仓 WH02，请指定发货仓库');
  if (!row.active) throw invalid(field, '仓库已停用');
  return row;
}

/** The ship-from warehouse: the one given, else 成品仓 WH02. */
export async function shipFromWarehouse(tx: Tx, warehouseId: string | null | undefined, field = 'body.warehouseId'): Promise<string> {
  const [row] = await tx.$queryRaw<{ warehouse: WarehouseFact | null }[]>`SELECT ${warehouseSql(warehouseId)} AS warehouse`;
  return warehouseFrom(row?.warehouse ?? null, warehouseId, field).id;
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

/** What insertDraftOrder reads besides the lines' facts. */
interface DraftFacts {
  customer: CustomerFact | null;
  owner: UserFact | null;
  warehouse: WarehouseFact | null;
  rate: RateFact | null;
  quotation_number: string | null;
}

type OwnOrderRow = Omit<HeaderRow, 'customer_code' | 'customer_name' | 'owner_name' | 'warehouse_code' | 'warehouse_name' | 'quotation_number' | 'has_documents'>;
type OwnLineRow = Omit<LineRow, 'item_code' | 'item_name' | 'item_spec' | 'unit_name' | 'warehouse_code' | 'warehouse_name' | 'reserved' | 'short'>;

export interface DraftOrder {
  id: string;
  number: string;
  /** the order as the API shows it, from the statement that wrote it */
  detail: SalesOrder;
}

/**
 * Writes a draft order (header, lines, timeline 'created' and its event, audit) in ONE statement
 * that also takes the document number, after everything has been checked and priced: the number's
 * counter row, which every new order waits for, stays locked only for that statement and the commit.
 */
export async function insertDraftOrder(tx: SqlTx, ctx: UseCaseContext, input: OrderDraftInput): Promise<DraftOrder> {
  // Everything the checks, the pricing and the reply need, in one statement; then checked in the usual order.
  const orderDate = input.orderDate ?? todayInShanghai();
  const ownerId = input.ownerId ?? ctx.actor.userId;
  const currencyOf = Prisma.sql`coalesce(${input.currencyCode ?? null}::text, (SELECT c.currency_code FROM customer c WHERE c.id = ${input.customerId}::uuid))`;
  const [facts] = await tx.$queryRaw<(LineFacts & DraftFacts)[]>`
    SELECT ${customerSql(ctx, input.customerId)} AS customer, ${ownerId === ctx.actor.userId ? Prisma.sql`NULL::json` : userSql(ownerId)} AS owner,
           ${warehouseSql(input.warehouseId)} AS warehouse, ${exchangeRateSql(currencyOf, orderDate)} AS rate,
           ${input.quotationId ? Prisma.sql`(SELECT number FROM quotation WHERE id = ${input.quotationId}::uuid)` : Prisma.sql`NULL::text`} AS quotation_number,
           f.items, f.units
      FROM (${lineFactsSql(input.lines)}) f`;
  const customer = customerFrom(facts!.customer, 'body.customerId');
  const ownerName = salespersonFrom(ctx, ownerId, facts!.owner, 'body.ownerId');
  const warehouse = warehouseFrom(facts!.warehouse, input.warehouseId, 'body.warehouseId');
  const warehouseId = warehouse.id;
  const currencyCode = input.currencyCode ?? customer.currencyCode;
  const exchangeRate = rateFrom(facts!.rate, currencyCode, orderDate);
  const priced = priceLinesWith(facts!, input.lines, { exchangeRate });

  const companyId = ctx.actor.companyId;
  const orderId = crypto.randomUUID();
  const header = {
    id: orderId, companyId, customerId: customer.id, ownerId, quotationId: input.quotationId ?? null, warehouseId, currencyCode, exchangeRate,
    orderDate, requestedDate: input.requestedDate ?? null, paymentTermDays: input.paymentTermDays ?? customer.paymentTermDays,
    prepaymentRequired: input.prepaymentRequired ?? false, remark: input.remark ?? null, createdById: ctx.actor.userId, ...totalsColumns(priced),
  };
  const number = Prisma.sql`(SELECT number FROM num)`;
  // The last statement: on the lean path its COMMIT travels with it, so the number's counter row is
  // released by PostgreSQL right after the statement, never held while Node is busy elsewhere.
  const [row] = await lastStatement<(OwnOrderRow & { lines: OwnLineRow[]; step_id: string; step_at: Date; step_message: string; step_data: unknown })[]>(tx, Prisma.sql`
    WITH num AS (${documentNumberSql(companyId, 'SO')}),
    o AS (
      INSERT INTO sales_order (id, company_id, number, customer_id, owner_id, quotation_id, warehouse_id, currency_code, exchange_rate,
                               order_date, requested_date, payment_term_days, prepayment_required, remark, created_by_id,
                               list_total, total_amount, total_tax, total_with_tax)
      VALUES (${orderId}::uuid, ${companyId}::uuid, ${number}, ${header.customerId}::uuid, ${ownerId}::uuid, ${header.quotationId}::uuid,
              ${warehouseId}::uuid, ${currencyCode}, ${exchangeRate}::numeric, ${orderDate}::date, ${header.requestedDate}::date,
              ${header.paymentTermDays}::int, ${header.prepaymentRequired}, ${header.remark}, ${ctx.actor.userId}::uuid,
              ${header.listTotal}::numeric, ${header.totalAmount}::numeric, ${header.totalTax}::numeric, ${header.totalWithTax}::numeric)
      RETURNING *),
    l AS (${orderLinesInsertSql(companyId, orderId, warehouseId, priced)} RETURNING *),
    ${timelineStepSql(ctx, {
      orderType: 'salesOrder', orderId, number, kind: 'created',
      message: Prisma.sql`${'创建订单 '}::text || ${number} || ${`：${customer.name}，${priced.lines.length} 行，价税合计 ${money(currencyCode, priced.totals.totalWithTax)}`}::text`,
      data: { customerId: customer.id, lines: priced.lines.length, totalWithTax: priced.totals.totalWithTax, currencyCode, quotationId: input.quotationId ?? null },
    })},
    audit AS (${auditSql(ctx, {
      action: 'create', entity: 'salesOrder', entityId: orderId,
      after: Prisma.sql`${JSON.stringify(snapshot({ ...header, state: 'draft', lines: priced.lines.length }))}::jsonb || jsonb_build_object('number', ${number})`,
    })})
    -- The reply: the rows as stored (decimals in their scale); the names are those just read.
    SELECT ${ORDER_COLUMNS}, (SELECT coalesce(json_agg(x ORDER BY x.line_no), '[]'::json) FROM (SELECT ${LINE_COLUMNS} FROM l) x) AS lines,
           s.id AS step_id, s.at AS step_at, s.message AS step_message, s.data AS step_data
      FROM o, step s`);
  const o = row!;
  const items = new Map(facts!.items.map((i) => [i.id, i]));
  const units = new Map(facts!.units.map((u) => [u.id, u.name]));
  const detail = orderDetailOf(
    {
      ...o, customer_code: customer.code, customer_name: customer.name, owner_name: ownerName, warehouse_code: warehouse.code,
      warehouse_name: warehouse.name, quotation_number: facts!.quotation_number, has_documents: false,
    },
    o.lines.map((l) => ({
      ...l, item_code: items.get(l.item_id)?.code ?? null, item_name: items.get(l.item_id)?.name ?? null, item_spec: items.get(l.item_id)?.spec ?? null,
      unit_name: units.get(l.unit_id) ?? null, warehouse_code: warehouse.code, warehouse_name: warehouse.name, reserved: '0.0000', short: '0.0000',
    })),
    {
      advances: [],
      timeline: [{ id: o.step_id, kind: 'created', message: o.step_message, data: o.step_data, at: o.step_at, actor_id: ctx.actor.userId, actor_name: ctx.actor.name }],
    },
    { shipments: [], returns: [] },
  );
  return { id: orderId, number: o.number, detail };
}

export function totalsColumns(priced: PricedLines) {
  const t = priced.totals;
  return { listTotal: t.listTotal, totalAmount: t.totalAmount, totalTax: t.totalTax, totalWithTax: t.totalWithTax };
}

/** All the lines in one statement (column arrays through unnest), however many there are. */
export async function insertOrderLines(tx: Tx, companyId: string, orderId: string, warehouseId: string, priced: PricedLines): Promise<void> {
  await tx.$executeRaw(orderLinesInsertSql(companyId, orderId, warehouseId, priced));
}

function orderLinesInsertSql(companyId: string, orderId: string, warehouseId: string, priced: PricedLines): Prisma.Sql {
  const col = <K extends keyof PricedLine>(k: K) => priced.lines.map((l) => l[k]);
  return Prisma.sql`
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
