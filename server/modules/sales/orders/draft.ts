// Building a draft 销售订单 from a request or a quotation: the customer within the actor's data
// scope, the salesperson, the ship-from warehouse, the currency and its rate on the order date,
// priced lines and totals — checked before anything is written.
import crypto from 'node:crypto';
import { lastRowsOf, rowsOf } from '../../../db/rows.ts';
import type { SqlTx } from '../../../db/sql-session.ts';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { SalesOrder } from '../../../../shared/schemas/sales/orders.ts';
import type { SalesLineInput } from '../../../../shared/schemas/sales/lines.ts';
import { withinScope } from '../../../platform/actor.ts';
import { snapshot } from '../../../platform/audit.ts';
import { forbidden, invalid } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { priceLinesWith, rateFrom, type PricedLines } from '../pricing.ts';
import { money, todayInShanghai } from '../support.ts';
import { orderDetailOf } from './dto.ts';
import {
  customerFact, draftFacts, insertDraft, orderLinesInsertSql, userFact, warehouseFact, type CustomerFact, type UserFact, type WarehouseFact,
} from './store.ts';

function customerFrom(row: CustomerFact | null, field: string) {
  if (!row) throw invalid(field, '客户不存在');
  if (!row.active) throw invalid(field, '客户已停用');
  return { id: row.id, code: row.code, name: row.name, currencyCode: row.currency_code, paymentTermDays: row.payment_term_days };
}

/** The customer, if the actor may see it and it is active; else 400 naming the field. */
export async function visibleCustomer(tx: Tx, ctx: UseCaseContext, customerId: string, field = 'body.customerId') {
  const [row] = await rowsOf(tx, customerFact(ctx.actor, customerId));
  return customerFrom(row?.customer ?? null, field);
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
  const [row] = await rowsOf(tx, userFact(ownerId));
  salespersonFrom(ctx, ownerId, row?.owner ?? null, field);
}

function warehouseFrom(row: WarehouseFact | null, warehouseId: string | null | undefined, field: string): WarehouseFact {
  if (!row) throw invalid(field, warehouseId ? '仓库不存在' : '没有默认的成品仓 WH02，请指定发货仓库');
  if (!row.active) throw invalid(field, '仓库已停用');
  return row;
}

/** The ship-from warehouse: the one given, else 成品仓 WH02. */
export async function shipFromWarehouse(tx: Tx, warehouseId: string | null | undefined, field = 'body.warehouseId'): Promise<string> {
  const [row] = await rowsOf(tx, warehouseFact(warehouseId));
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
  agreedPaymentDate?: string | null;
  remark?: string | null;
  lines: SalesLineInput[];
  quotationId?: string;
}

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
  const [facts] = await rowsOf(tx, draftFacts(ctx.actor, { ...input, ownerId, orderDate }));
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
    prepaymentRequired: input.prepaymentRequired ?? false, agreedPaymentDate: input.agreedPaymentDate ?? null, remark: input.remark ?? null, createdById: ctx.actor.userId, ...totalsColumns(priced),
  };
  // The last statement: on the lean path its COMMIT travels with it, so the number's counter row is
  // released by PostgreSQL right after the statement, never held while Node is busy elsewhere.
  const [row] = await lastRowsOf(tx, insertDraft(ctx, header, priced, {
    message: (number) => Prisma.sql`${'创建订单 '}::text || ${number} || ${`：${customer.name}，${priced.lines.length} 行，价税合计 ${money(currencyCode, priced.totals.totalWithTax)}`}::text`,
    data: { customerId: customer.id, lines: priced.lines.length, totalWithTax: priced.totals.totalWithTax, currencyCode, quotationId: input.quotationId ?? null },
    audit: snapshot({ ...header, state: 'draft', lines: priced.lines.length }) ?? {},
  }));
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
