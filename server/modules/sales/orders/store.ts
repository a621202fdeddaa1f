// The hand-written SQL of 销售订单 (order entry's lean path and the detail it replies with): every
// statement the orders module runs outside the ORM, with its row type built from the Prisma models
// (server/db/rows.ts), so a column renamed or retyped in schema.prisma fails `tsc` here. Stock is
// reserved through the inventory module's declared fragment; no statement reads another module's CTEs.
import type { SqlTx } from '../../../db/sql-session.ts';
import { selectList, statement, type RowOf, type SelectList, type Statement } from '../../../db/rows.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type {
  AdvanceReceipt, Customer, Item, Quotation, SalesOrder as SalesOrderModel, SalesOrderLine as SalesOrderLineModel, TimelineEntry, Unit, User, Warehouse,
} from '../../../generated/prisma/client.ts';
import type { DocumentState } from '../../../generated/prisma/enums.ts';
import type { Actor } from '../../../platform/actor.ts';
import { auditSql } from '../../../platform/audit.ts';
import { documentNumberSql } from '../../../platform/numbering.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { timelineStepSql } from '../../../platform/timeline.ts';
import { reservationSql } from '../../inventory/index.ts';
import type { LineFacts, PricedLine, PricedLines, RateFact } from '../pricing.ts';
import { exchangeRateSql, lineFactsSql } from '../pricing.ts';
import { ownerScopeSql } from '../support.ts';

// ---- rows ----------------------------------------------------------------------------------

/** The order's own columns as the API shows them (decimals as text in their scale, dates as 'YYYY-MM-DD'). */
export type OrderOwnRow = RowOf<
  SalesOrderModel,
  | 'id' | 'number' | 'customerId' | 'ownerId' | 'warehouseId' | 'quotationId' | 'currencyCode' | 'exchangeRate' | 'orderDate' | 'requestedDate'
  | 'paymentTermDays' | 'prepaymentRequired' | 'agreedPaymentDate' | 'state' | 'shipmentProgress' | 'invoiceProgress' | 'paymentProgress' | 'listTotal' | 'totalAmount'
  | 'totalTax' | 'totalWithTax' | 'advanceReceived' | 'creditOverride' | 'remark' | 'confirmedAt' | 'createdAt' | 'updatedAt' | 'version',
  'orderDate' | 'requestedDate' | 'agreedPaymentDate'
>;

/** The header as the API shows it: own columns and the names they point to (null: the row is gone). */
export type HeaderRow = OrderOwnRow & {
  customer_code: Customer['code'] | null; customer_name: Customer['name'] | null; owner_name: User['name'] | null;
  warehouse_code: Warehouse['code'] | null; warehouse_name: Warehouse['name'] | null; quotation_number: Quotation['number'] | null;
  /** it has shipments or returns (read with the ORM) */
  has_documents: boolean;
};

/** A line's own columns as the API shows them. */
export type LineOwnRow = RowOf<
  SalesOrderLineModel,
  | 'id' | 'lineNo' | 'itemId' | 'unitId' | 'warehouseId' | 'factor' | 'quantity' | 'baseQuantity' | 'listPrice' | 'unitPrice' | 'discountRate'
  | 'taxRate' | 'amount' | 'taxAmount' | 'amountWithTax' | 'requestedDate' | 'shippedQuantity' | 'returnedQuantity',
  'requestedDate'
>;

/** A line as the API shows it: with names, and what it holds reserved and still lacks (base unit, 4 decimals). */
export type LineRow = LineOwnRow & {
  item_code: Item['code'] | null; item_name: Item['name'] | null; item_spec: Item['spec'];
  unit_name: Unit['name'] | null; warehouse_code: Warehouse['code'] | null; warehouse_name: Warehouse['name'] | null;
  reserved: string; short: string;
};

/** A timeline entry as read with its actor's name (from JSON, `at` is text). */
export type TimelineRow = RowOf<TimelineEntry, 'kind' | 'message' | 'data'> & {
  id: string; at: string | Date; actor_id: TimelineEntry['actorId']; actor_name: User['name'] | null;
};

/** An advance receipt with who recorded it (from JSON, `received_at` is text). */
export type AdvanceRow = RowOf<AdvanceReceipt, 'id' | 'amount' | 'method' | 'remark'> & {
  received_at: string | Date; by_id: AdvanceReceipt['createdById']; by_name: User['name'] | null;
  receipt_id: AdvanceReceipt['customerReceiptId']; receipt_number: string;
};

export interface ExtrasRow {
  advances: AdvanceRow[];
  timeline: TimelineRow[];
}

// ---- select lists --------------------------------------------------------------------------

/** The order's own columns, over order rows named `o`. */
const ORDER_COLUMNS = Prisma.raw(selectList({
  id: 'o.id::text', number: 'o.number', customer_id: 'o.customer_id::text', owner_id: 'o.owner_id::text', warehouse_id: 'o.warehouse_id::text',
  quotation_id: 'o.quotation_id::text', currency_code: 'o.currency_code', exchange_rate: 'o.exchange_rate::text',
  order_date: `to_char(o.order_date, 'YYYY-MM-DD')`, requested_date: `to_char(o.requested_date, 'YYYY-MM-DD')`,
  payment_term_days: 'o.payment_term_days', prepayment_required: 'o.prepayment_required', agreed_payment_date: `to_char(o.agreed_payment_date, 'YYYY-MM-DD')`, state: 'o.state::text',
  shipment_progress: 'o.shipment_progress::text', invoice_progress: 'o.invoice_progress::text', payment_progress: 'o.payment_progress::text',
  list_total: 'o.list_total::text', total_amount: 'o.total_amount::text', total_tax: 'o.total_tax::text', total_with_tax: 'o.total_with_tax::text',
  advance_received: 'o.advance_received::text', credit_override: 'o.credit_override', remark: 'o.remark', confirmed_at: 'o.confirmed_at',
  created_at: 'o.created_at', updated_at: 'o.updated_at', version: 'o.version',
} satisfies SelectList<OrderOwnRow>));

/** A line's own columns, over line rows named `l`. */
const LINE_COLUMNS = Prisma.raw(selectList({
  id: 'l.id::text', line_no: 'l.line_no', item_id: 'l.item_id::text', unit_id: 'l.unit_id::text', warehouse_id: 'l.warehouse_id::text',
  factor: 'l.factor::text', quantity: 'l.quantity::text', base_quantity: 'l.base_quantity::text', list_price: 'l.list_price::text',
  unit_price: 'l.unit_price::text', discount_rate: 'l.discount_rate::text', tax_rate: 'l.tax_rate::text', amount: 'l.amount::text',
  tax_amount: 'l.tax_amount::text', amount_with_tax: 'l.amount_with_tax::text', requested_date: `to_char(l.requested_date, 'YYYY-MM-DD')`,
  shipped_quantity: 'l.shipped_quantity::text', returned_quantity: 'l.returned_quantity::text',
} satisfies SelectList<LineOwnRow>));

// ---- the detail ----------------------------------------------------------------------------

/**
 * The header (HeaderRow, then `extraColumns`) over order rows named `o` from `source`: the table,
 * or a CTE of this store's statement that has just changed the order (its RETURNING *).
 */
function orderHeaderSql(source: Prisma.Sql, extraColumns: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    SELECT ${ORDER_COLUMNS}, c.code AS customer_code, c.name AS customer_name, u.name AS owner_name,
           w.code AS warehouse_code, w.name AS warehouse_name, q.number AS quotation_number,
           (EXISTS (SELECT 1 FROM shipment s WHERE s.order_id = o.id) OR EXISTS (SELECT 1 FROM sales_return r WHERE r.order_id = o.id)) AS has_documents
           ${extraColumns}
      FROM ${source} o
      LEFT JOIN customer c ON c.id = o.customer_id
      LEFT JOIN app_user u ON u.id = o.owner_id
      LEFT JOIN warehouse w ON w.id = o.warehouse_id
      LEFT JOIN quotation q ON q.id = o.quotation_id`;
}

/** The order's lines (LineRow) in line order; `open`: a confirmed order, whose lines may lack stock. */
function orderLinesSql(orderId: string, open: boolean): Prisma.Sql {
  return Prisma.sql`
    SELECT ${LINE_COLUMNS}, i.code AS item_code, i.name AS item_name, i.spec AS item_spec, un.name AS unit_name,
           w.code AS warehouse_code, w.name AS warehouse_name,
           coalesce(r.reserved, 0)::numeric(18, 4)::text AS reserved,
           (CASE WHEN ${open} THEN GREATEST(0, l.base_quantity - l.shipped_quantity - coalesce(r.reserved, 0)) ELSE 0 END)::numeric(18, 4)::text AS short
      FROM sales_order_line l
      LEFT JOIN item i ON i.id = l.item_id
      LEFT JOIN unit un ON un.id = l.unit_id
      LEFT JOIN warehouse w ON w.id = l.warehouse_id
      LEFT JOIN (SELECT demand_id, sum(quantity) AS reserved FROM reservation
                  WHERE demand_type = 'salesOrderLine' AND demand_id IN (SELECT id FROM sales_order_line WHERE order_id = ${orderId}::uuid)
                  GROUP BY demand_id) r ON r.demand_id = l.id
     WHERE l.order_id = ${orderId}::uuid
     ORDER BY l.line_no`;
}

/** The order's timeline entries (TimelineRow as JSON), oldest first, as one JSON array. */
function timelineJsonSql(orderId: string): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(json_agg(json_build_object('id', e.id::text, 'kind', e.kind, 'message', e.message, 'data', e.data, 'at', e.at,
             'actor_id', e.actor_id, 'actor_name', u.name) ORDER BY e.id), '[]'::json)
      FROM timeline_entry e LEFT JOIN app_user u ON u.id = e.actor_id
     WHERE e.order_type = 'salesOrder' AND e.order_id = ${orderId}::uuid)`;
}

/** The order's advance receipts and timeline (oldest first), as one row of two JSON arrays. */
function orderExtrasSql(orderId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT
      (SELECT coalesce(json_agg(json_build_object('id', a.id, 'amount', a.amount::text, 'method', a.method, 'remark', a.remark,
                 'received_at', a.received_at, 'by_id', a.created_by_id, 'by_name', u.name,
                 'receipt_id', r.id, 'receipt_number', r.number) ORDER BY a.received_at, a.id), '[]'::json)
         FROM advance_receipt a JOIN customer_receipt r ON r.id = a.customer_receipt_id LEFT JOIN app_user u ON u.id = a.created_by_id
        WHERE a.order_id = ${orderId}::uuid) AS advances,
      ${timelineJsonSql(orderId)} AS timeline`;
}

/** The order's header, if it lies in the actor's data scope. */
export function orderHeader(id: string, actor: Actor): Statement<HeaderRow> {
  return statement(Prisma.sql`${orderHeaderSql(Prisma.sql`sales_order`)} WHERE o.id = ${id}::uuid AND ${ownerScopeSql(actor, 'o.owner_id')}`);
}

/** The headers of these orders (in no particular order): a list page's rows. */
export function orderHeaders(ids: string[]): Statement<HeaderRow> {
  return statement(Prisma.sql`${orderHeaderSql(Prisma.sql`sales_order`)} WHERE o.id = ANY(${ids}::uuid[])`);
}

export function orderLines(orderId: string, open: boolean): Statement<LineRow> {
  return statement(orderLinesSql(orderId, open));
}

export function orderExtras(orderId: string): Statement<ExtrasRow> {
  return statement(orderExtrasSql(orderId));
}

export function orderTimeline(orderId: string): Statement<{ timeline: TimelineRow[] }> {
  return statement(Prisma.sql`SELECT ${timelineJsonSql(orderId)} AS timeline`);
}

/** Whether the order lies in the actor's data scope (a row, or none). */
export function orderInScope(id: string, actor: Actor): Statement<{ ok: number }> {
  return statement(Prisma.sql`SELECT 1 AS ok FROM sales_order o WHERE o.id = ${id}::uuid AND ${ownerScopeSql(actor, 'o.owner_id')}`);
}

// ---- drafts --------------------------------------------------------------------------------

export type CustomerFact = Pick<Customer, 'id' | 'code' | 'name' | 'active'> & RowOf<Customer, 'currencyCode' | 'paymentTermDays'>;
export type UserFact = Pick<User, 'id' | 'name'> & RowOf<User, 'departmentId'>;
export type WarehouseFact = Pick<Warehouse, 'id' | 'code' | 'name' | 'active'>;

/** The customer as a JSON value (CustomerFact) for a SELECT list, if the actor may see it (data scope on customer.owner_id). */
function customerSql(actor: Actor, customerId: string): Prisma.Sql {
  return Prisma.sql`(
    SELECT json_build_object('id', c.id, 'code', c.code, 'name', c.name, 'currency_code', c.currency_code, 'payment_term_days', c.payment_term_days, 'active', c.active)
      FROM customer c WHERE c.id = ${customerId}::uuid AND ${ownerScopeSql(actor, 'c.owner_id')})`;
}

/** A user as a JSON value (UserFact) for a SELECT list. */
function userSql(userId: string): Prisma.Sql {
  return Prisma.sql`(SELECT json_build_object('id', u.id, 'name', u.name, 'department_id', u.department_id) FROM app_user u WHERE u.id = ${userId}::uuid)`;
}

/** The ship-from warehouse as a JSON value (WarehouseFact) for a SELECT list: the one given, else 成品仓 WH02. */
function warehouseSql(warehouseId: string | null | undefined): Prisma.Sql {
  return Prisma.sql`(
    SELECT json_build_object('id', w.id, 'code', w.code, 'name', w.name, 'active', w.active) FROM warehouse w
     WHERE ${warehouseId ? Prisma.sql`w.id = ${warehouseId}::uuid` : Prisma.sql`w.code = 'WH02'`})`;
}

export function customerFact(actor: Actor, customerId: string): Statement<{ customer: CustomerFact | null }> {
  return statement(Prisma.sql`SELECT ${customerSql(actor, customerId)} AS customer`);
}

export function userFact(userId: string): Statement<{ owner: UserFact | null }> {
  return statement(Prisma.sql`SELECT ${userSql(userId)} AS owner`);
}

export function warehouseFact(warehouseId: string | null | undefined): Statement<{ warehouse: WarehouseFact | null }> {
  return statement(Prisma.sql`SELECT ${warehouseSql(warehouseId)} AS warehouse`);
}

/** What a new draft is checked and priced against (besides the lines' facts). */
export interface DraftFacts {
  customer: CustomerFact | null;
  /** null also when the salesperson is the actor (not read) */
  owner: UserFact | null;
  warehouse: WarehouseFact | null;
  rate: RateFact | null;
  quotation_number: Quotation['number'] | null;
}

/** Everything the checks, the pricing and the reply of a new draft need, in one statement. */
export function draftFacts(actor: Actor, input: {
  customerId: string; ownerId: string; warehouseId?: string | null; currencyCode?: string; orderDate: string; quotationId?: string;
  lines: Parameters<typeof lineFactsSql>[0];
}): Statement<LineFacts & DraftFacts> {
  const currencyOf = Prisma.sql`coalesce(${input.currencyCode ?? null}::text, (SELECT c.currency_code FROM customer c WHERE c.id = ${input.customerId}::uuid))`;
  return statement(Prisma.sql`
    SELECT ${customerSql(actor, input.customerId)} AS customer, ${input.ownerId === actor.userId ? Prisma.sql`NULL::json` : userSql(input.ownerId)} AS owner,
           ${warehouseSql(input.warehouseId)} AS warehouse, ${exchangeRateSql(currencyOf, input.orderDate)} AS rate,
           ${input.quotationId ? Prisma.sql`(SELECT number FROM quotation WHERE id = ${input.quotationId}::uuid)` : Prisma.sql`NULL::text`} AS quotation_number,
           f.items, f.units
      FROM (${lineFactsSql(input.lines)}) f`);
}

/** The header columns a new draft is written with (checked and priced). */
export interface DraftHeader {
  id: string; companyId: string; customerId: string; ownerId: string; quotationId: string | null; warehouseId: string; currencyCode: string;
  exchangeRate: string; orderDate: string; requestedDate: string | null; paymentTermDays: number; prepaymentRequired: boolean; agreedPaymentDate: string | null; remark: string | null;
  createdById: string; listTotal: string; totalAmount: string; totalTax: string; totalWithTax: string;
}

export type DraftRow = OrderOwnRow & { lines: LineOwnRow[]; step_id: string; step_at: Date; step_message: string; step_data: TimelineEntry['data'] };

/**
 * Writes a draft order in ONE statement that also takes the document number: header, lines, the
 * timeline entry 'created' (its message `created(number)`) and its event, and the audit (`audit`
 * with the number added). Replies with the rows as stored and the timeline entry.
 */
export function insertDraft(ctx: UseCaseContext, header: DraftHeader, priced: PricedLines, step: {
  message: (number: Prisma.Sql) => Prisma.Sql; data: Prisma.InputJsonValue; audit: Prisma.InputJsonValue;
}): Statement<DraftRow> {
  const number = Prisma.sql`(SELECT number FROM num)`;
  return statement(Prisma.sql`
    WITH num AS (${documentNumberSql(header.companyId, 'SO')}),
    o AS (
      INSERT INTO sales_order (id, company_id, number, customer_id, owner_id, quotation_id, warehouse_id, currency_code, exchange_rate,
                               order_date, requested_date, payment_term_days, prepayment_required, agreed_payment_date, remark, created_by_id,
                               list_total, total_amount, total_tax, total_with_tax)
      VALUES (${header.id}::uuid, ${header.companyId}::uuid, ${number}, ${header.customerId}::uuid, ${header.ownerId}::uuid, ${header.quotationId}::uuid,
              ${header.warehouseId}::uuid, ${header.currencyCode}, ${header.exchangeRate}::numeric, ${header.orderDate}::date, ${header.requestedDate}::date,
              ${header.paymentTermDays}::int, ${header.prepaymentRequired}, ${header.agreedPaymentDate}::date, ${header.remark}, ${header.createdById}::uuid,
              ${header.listTotal}::numeric, ${header.totalAmount}::numeric, ${header.totalTax}::numeric, ${header.totalWithTax}::numeric)
      RETURNING *),
    l AS (${orderLinesInsertSql(header.companyId, header.id, header.warehouseId, priced)} RETURNING *),
    ${timelineStepSql(ctx, { orderType: 'salesOrder', orderId: header.id, number, kind: 'created', message: step.message(number), data: step.data }, 'created_step')},
    audit AS (${auditSql(ctx, {
      action: 'create', entity: 'salesOrder', entityId: header.id,
      after: Prisma.sql`${JSON.stringify(step.audit)}::jsonb || jsonb_build_object('number', ${number})`,
    })})
    -- The reply: the rows as stored (decimals in their scale); the names are those just read.
    SELECT ${ORDER_COLUMNS}, (SELECT coalesce(json_agg(x ORDER BY x.line_no), '[]'::json) FROM (SELECT ${LINE_COLUMNS} FROM l) x) AS lines,
           s.id AS step_id, s.at AS step_at, s.message AS step_message, s.data AS step_data
      FROM o, created_step s`);
}

/** All the lines in one statement (column arrays through unnest), however many there are. */
export function orderLinesInsertSql(companyId: string, orderId: string, warehouseId: string, priced: PricedLines): Prisma.Sql {
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

// ---- confirmation --------------------------------------------------------------------------

/** For the reply: the lines as the API shows them, the advance receipts and the timeline so far. */
export type DetailReads = { lines: LineRow[] } & ExtrasRow;

function detailReadsSql(orderId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT (SELECT coalesce(json_agg(x ORDER BY x.line_no), '[]'::json) FROM (${orderLinesSql(orderId, true)}) x) AS lines,
           e.advances, e.timeline
      FROM (${orderExtrasSql(orderId)}) e`;
}

export function detailReads(orderId: string): Statement<DetailReads> {
  return statement(detailReadsSql(orderId));
}

export type ConfirmedHeader = HeaderRow & {
  /** the state it was confirmed from */
  before_state: DocumentState;
  /** some line's item has a safety stock (its shortage alert is checked after reserving) */
  watched: boolean;
  credit_limit: RowOf<Customer, 'creditLimit'>['credit_limit'];
  unpaid_in_base: string;
  /** the version before this statement's snapshot was taken (see confirm.ts) */
  seen_version: number;
};

/**
 * The confirmation's first statement: `prev` locks the row and keeps the state it had, the UPDATE
 * takes the row only in a state it may be confirmed from (none: no row), and the header (with
 * `detail`, also the lines, advance receipts and timeline so far) is read with it.
 */
export function confirmOrderRow(orderId: string, from: DocumentState[], scope: Prisma.Sql, detail: boolean): Statement<ConfirmedHeader & Partial<DetailReads>> {
  const detailJoin = detail ? Prisma.sql`, (${detailReadsSql(orderId)}) r` : Prisma.empty;
  return statement(Prisma.sql`
    WITH prev AS MATERIALIZED (SELECT id, state FROM sales_order WHERE id = ${orderId}::uuid AND ${scope} FOR UPDATE),
    o AS (
      UPDATE sales_order SET state = 'confirmed', confirmed_at = now(), updated_at = now(), version = version + 1
       WHERE id = (SELECT id FROM prev WHERE state = ANY(${from}::document_state[]))
      RETURNING *)
    SELECT h.*, (SELECT version FROM sales_order WHERE id = ${orderId}::uuid) AS seen_version ${detail ? Prisma.sql`, r.*` : Prisma.empty}
      FROM (${orderHeaderSql(Prisma.sql`o`, Prisma.sql`, (SELECT state::text FROM prev) AS before_state, c.credit_limit::text AS credit_limit,
                 round(GREATEST(o.total_with_tax - o.advance_received, 0) * o.exchange_rate, 2)::text AS unpaid_in_base,
                 EXISTS (SELECT 1 FROM item i WHERE i.safety_stock > 0
                                AND i.id = ANY(ARRAY(SELECT ol.item_id FROM sales_order_line ol WHERE ol.order_id = ${orderId}::uuid))) AS watched`)}) h
           ${detailJoin}`);
}

/** The order's state now (why it was not confirmed), if it lies in `scope`. */
export function orderState(orderId: string, scope: Prisma.Sql): Statement<{ state: DocumentState }> {
  return statement(Prisma.sql`SELECT state::text AS state FROM sales_order WHERE id = ${orderId}::uuid AND ${scope}`);
}

export function markCreditOverride(tx: SqlTx, orderId: string): PromiseLike<number> {
  return tx.$executeRaw`UPDATE sales_order SET credit_override = true WHERE id = ${orderId}::uuid`;
}

export interface ReservedRow {
  short_lines: number;
  reserved_total: string;
  /** with `detail`: what each line got, by line id */
  taken: Record<string, string> | null;
  /** the lines' items with a safety stock (empty unless `watched`) */
  watched_items: string[];
  /** the timeline entry 'confirmed' */
  id: string; at: Date; message: string; data: TimelineEntry['data'];
}

/**
 * The confirmation's last statement: every line still to ship reserves (read from the order's
 * lines, which the order's row lock keeps as they are), and the timeline entry, its order.progress
 * event and the audit (and the credit override's) are written from what was reserved, so their
 * message and per-line quantities are built in SQL.
 */
export function reserveOrderLines(ctx: UseCaseContext, o: {
  orderId: string; number: string; beforeState: DocumentState; overridden: boolean;
  /** the credit override's audit entry (`after`), when overridden */
  overrideAudit: Prisma.InputJsonValue | null;
  detail: boolean; watched: boolean;
}): Statement<ReservedRow> {
  const { orderId, overridden } = o;
  const audits = [auditSql(ctx, {
    action: 'confirm', entity: 'salesOrder', entityId: orderId, before: { state: o.beforeState },
    after: Prisma.sql`(SELECT jsonb_build_object('state', 'confirmed', 'shortLines', short_lines, 'creditOverride', ${overridden}::boolean) FROM outcome)`,
  })];
  if (o.overrideAudit) audits.push(auditSql(ctx, { action: 'creditOverride', entity: 'salesOrder', entityId: orderId, after: o.overrideAudit }));
  return statement(Prisma.sql`
    WITH lines AS MATERIALIZED (
      SELECT id, line_no, item_id, warehouse_id, GREATEST(base_quantity - shipped_quantity, 0)::numeric(18, 4) AS wanted,
             row_number() OVER (ORDER BY line_no, id) AS ord
        FROM sales_order_line WHERE order_id = ${orderId}::uuid),
    ${reservationSql(ctx.actor.companyId, 'salesOrderLine', Prisma.sql`SELECT item_id, warehouse_id, id AS demand_id, wanted, ord FROM lines WHERE wanted > 0`, { as: 'reserved', fresh: true })},
    -- every line (also one with nothing left to ship), in line order, with what it got
    got AS (
      SELECT ord, id, max(line_no) AS line_no, max(wanted) AS wanted, coalesce(max(take), 0)::numeric(18, 4) AS take
        FROM (SELECT ord, id, line_no, wanted, NULL::numeric AS take FROM lines UNION ALL SELECT ord, demand_id, NULL, NULL, take FROM reserved) u
       GROUP BY ord, id),
    outcome AS (
      SELECT count(*) FILTER (WHERE wanted > take) AS short_lines, count(*) AS line_count,
             coalesce(jsonb_agg(line_no ORDER BY ord), '[]') AS line_nos,
             coalesce(jsonb_agg(trim_scale(take)::text ORDER BY ord), '[]') AS reserved,
             coalesce(jsonb_agg(trim_scale(wanted - take)::text ORDER BY ord), '[]') AS short,
             coalesce(sum(take), 0)::numeric(18, 4) AS reserved_total,
             ${o.detail ? Prisma.sql`json_object_agg(id, take::text)` : Prisma.sql`NULL::json`} AS taken
        FROM got),
    ${timelineStepSql(ctx, {
      orderType: 'salesOrder', orderId, number: o.number, kind: 'confirmed',
      // 确认订单 SO-…：5 行已全部预留 / 3 行已全部预留，2 行缺货, and （超信用额度放行）
      message: Prisma.sql`(SELECT format('确认订单 %s：%s%s', ${o.number}::text,
                 CASE WHEN short_lines > 0 THEN format('%s 行已全部预留，%s 行缺货', line_count - short_lines, short_lines)
                      ELSE format('%s 行已全部预留', line_count) END, ${overridden ? '（超信用额度放行）' : ''}::text) FROM outcome)`,
      // Per line, column-wise (a 1,000-line order stays a small document): line numbers, reserved, short.
      data: Prisma.sql`(SELECT jsonb_build_object('shortLines', short_lines, 'creditOverride', ${overridden}::boolean, 'lineNo', line_nos, 'reserved', reserved, 'short', short) FROM outcome)`,
    }, 'confirmed_step')},
    ${Prisma.join(audits.map((a, n) => Prisma.sql`${Prisma.raw(`audit_${n}`)} AS (${a})`), ', ')}
    SELECT o.short_lines::int, o.reserved_total::text, o.taken,
           ${o.watched
             ? Prisma.sql`(SELECT coalesce(array_agg(i.id::text), '{}') FROM item i WHERE i.id = ANY(ARRAY(SELECT item_id FROM lines WHERE wanted > 0)) AND i.safety_stock > 0)`
             : Prisma.sql`'{}'::text[]`} AS watched_items,
           s.id, s.at, s.message, s.data
      FROM confirmed_step s, outcome o`);
}
