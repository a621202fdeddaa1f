// 生产任务单 use cases, one transaction each. Every change to a task first locks its row (FOR UPDATE),
// so two kit issues, receipts or releases of one task run one after the other and the second sees
// what the first did; stock moves only through the inventory ledger (issueStock / receiveStock), in
// the same transaction, so a refused line (short stock) leaves nothing half-issued.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { BOM_ISSUE_METHOD_LABELS } from '../../../../shared/enums.ts';
import {
  PRODUCTION_TASK_STATE_LABELS,
  type ProductionTask, type ProductionTaskBatchResult, type ProductionTaskCreate, type ProductionTaskFromSalesOrders, type ProductionTaskDetail, type ProductionTaskIssue, type ProductionTaskListQuery, type ProductionTaskReceipt,
} from '../../../../shared/schemas/manufacturing.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { can } from '../../../platform/actor.ts';
import { AppError, invalid, lacking, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb, postDocument, todayInShanghai } from '../../finance/index.ts';
import { freeStockOf, issueStock, receiveStock } from '../../inventory/index.ts';
import { openInspections } from '../../quality/index.ts';
import { openSalesDemand, orderLinesVisibleTo, orderLineWarehouses, recordProductionProgress, type ProductionProgressKind } from '../../sales/index.ts';
import { salesOrderLinesPegged } from '../mrp/pegging.ts';
import type { ExplosionNode } from '../bom/rules.ts';
import { bomItemRef, bomItemsById, explosionsOn, type BomItemRow } from '../bom/service.ts';
import type { MrpMaterial } from '../mrp/types.ts';
import { kitTasks } from '../kitting/rules.ts';
import { kitTaskInput } from '../kitting/service.ts';
import { recheckProductionShortages } from '../kitting/shortage.ts';
import type { ProductionPostingFacts } from './voucher.ts';
import { CANCELLABLE_STATES, CLOSABLE_STATES, issueShare, taskMaterials, WORKING_STATES } from './rules.ts';

type TaskRow = Prisma.ProductionTaskGetPayload<object>;
type MaterialRow = Prisma.ProductionTaskMaterialGetPayload<object>;

async function taskDtos(tx: Tx, rows: TaskRow[]): Promise<ProductionTask[]> {
  const items = await bomItemsById(tx, rows.map((r) => r.itemId));
  const whIds = [...new Set(rows.flatMap((r) => [r.warehouseId, r.materialWarehouseId]))];
  const warehouses = new Map((whIds.length ? await tx.warehouse.findMany({ where: { id: { in: whIds } }, select: { id: true, code: true, name: true } }) : []).map((w) => [w.id, w]));
  const wh = (id: string) => warehouses.get(id) ?? { id, code: '?', name: '?' };
  return rows.map((r) => ({
    id: r.id, number: r.number, item: bomItemRef(items.get(r.itemId), r.itemId), bomVersionId: r.bomVersionId, quantity: r.quantity.toFixed(4),
    materialWarehouse: wh(r.materialWarehouseId), warehouse: wh(r.warehouseId),
    plannedStart: dateOnlyOf(r.plannedStart), plannedFinish: dateOnlyOf(r.plannedFinish),
    state: r.state, stateLabel: PRODUCTION_TASK_STATE_LABELS[r.state], sourceKind: r.sourceKind,
    salesOrderLineId: r.salesOrderLineId, mrpSuggestionId: r.mrpSuggestionId,
    kittedQuantity: r.kittedQuantity.toFixed(4), receivedQuantity: r.receivedQuantity.toFixed(4),
    issuedAmount: r.issuedAmount.toFixed(2), receivedAmount: r.receivedAmount.toFixed(2), remark: r.remark, version: r.version,
  }));
}

async function detailOf(tx: Tx, id: string): Promise<ProductionTaskDetail> {
  const row = await tx.productionTask.findUnique({ where: { id } });
  if (!row) throw notFound('生产任务单');
  const [dto] = await taskDtos(tx, [row]);
  const materials = await tx.productionTaskMaterial.findMany({ where: { taskId: id }, orderBy: { lineNo: 'asc' } });
  const items = await bomItemsById(tx, materials.map((m) => m.itemId));
  const events = await tx.auditLog.findMany({ where: { entity: 'productionTask', entityId: id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  const userIds = [...new Set(events.map((e) => e.userId).filter((u): u is string => !!u))];
  const users = new Map((userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : []).map((u) => [u.id, u.name]));
  const reported = await tx.workReport.aggregate({ where: { taskId: id }, _sum: { goodQuantity: true, scrapQuantity: true, hours: true } });
  // what 配套领料 without a quantity would issue now (the mini-app's default)
  const kitable = (WORKING_STATES as readonly string[]).includes(row.state) && row.quantity.gt(row.kittedQuantity)
    ? (await kitNow(tx, row, materials)).result.kitable : null;
  return {
    ...dto!,
    kitableQuantity: kitable === null ? null : new Decimal(kitable).toFixed(4),
    reportedGoodQuantity: (reported._sum.goodQuantity ?? new Decimal(0)).toFixed(4),
    reportedScrapQuantity: (reported._sum.scrapQuantity ?? new Decimal(0)).toFixed(4),
    reportedHours: (reported._sum.hours ?? new Decimal(0)).toFixed(2),
    materials: materials.map((m) => ({
      lineNo: m.lineNo, item: bomItemRef(items.get(m.itemId), m.itemId),
      requiredQuantity: m.requiredQuantity.toFixed(4), issuedQuantity: m.issuedQuantity.toFixed(4), issuedAmount: m.issuedAmount.toFixed(2),
      issueMethod: m.issueMethod, issueMethodLabel: BOM_ISSUE_METHOD_LABELS[m.issueMethod], operation: m.operation,
    })),
    timeline: events.map((e) => ({ at: isoShanghai(e.at), action: e.action, user: e.userId ? (users.get(e.userId) ?? null) : null, detail: e.after ?? null })),
  };
}

/** The task's row, locked for this transaction: every change of a task goes through here first. */
export async function lockTask(tx: Tx, id: string): Promise<TaskRow> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM production_task WHERE id = ${id}::uuid FOR UPDATE`;
  if (!locked.length) throw notFound('生产任务单');
  return tx.productionTask.findUniqueOrThrow({ where: { id } });
}

export const stateConflict = (row: TaskRow, doing: string) =>
  new AppError('CONFLICT', `生产任务单 ${row.number} 当前为「${PRODUCTION_TASK_STATE_LABELS[row.state]}」，不能${doing}`);

/**
 * A released task starts (→ 生产中) with its first 配套领料 or 报工; called with the task locked.
 */
export async function taskStarted(tx: Tx, ctx: UseCaseContext, row: TaskRow): Promise<void> {
  if (row.state !== 'released') return;
  await tx.productionTask.update({ where: { id: row.id }, data: { state: 'inProgress', version: { increment: 1 } } });
  await salesProgress(tx, ctx, row, 'productionStarted', row.quantity);
}

/**
 * A task made for a sales order line (以销定产), or released from an MRP suggestion pegged directly to
 * order lines, tells each order's timeline and chat: 生产中, 完工待发货 (a pegged order with the
 * quantity pegged to it).
 */
async function salesProgress(tx: Tx, ctx: UseCaseContext, row: TaskRow, kind: ProductionProgressKind, quantity: Decimal | Prisma.Decimal): Promise<void> {
  // a task released from an MRP suggestion tells each order line it is pegged to of its pegged share
  // (a suggestion of 8 may make 5 for the order and 3 for safety stock)
  const lines = row.mrpSuggestionId
    ? await peggedOrderLines(tx, row.mrpSuggestionId)
    : row.salesOrderLineId ? [{ id: row.salesOrderLineId, quantity: new Decimal(quantity.toString()) }] : [];
  for (const l of lines) {
    await recordProductionProgress(tx, ctx, { salesOrderLineId: l.id, kind, taskId: row.id, taskNumber: row.number, quantity: l.quantity.toFixed(4) });
  }
}

async function peggedOrderLines(tx: Tx, suggestionId: string): Promise<{ id: string; quantity: Decimal }[]> {
  return ((await salesOrderLinesPegged(tx, [suggestionId])).get(suggestionId) ?? []).map((l) => ({ id: l.lineId, quantity: l.quantity }));
}

async function bomVersionOn(tx: Tx, itemId: string, date: string) {
  const day = dateOnlyToDb(date);
  return tx.bomVersion.findFirst({
    where: { bom: { parentItemId: itemId }, validFrom: { lte: day }, OR: [{ validTo: null }, { validTo: { gte: day } }] },
    select: { id: true, versionNo: true },
  });
}

interface NewTask {
  itemId: string;
  quantity: string;
  materialWarehouseId: string;
  warehouseId: string;
  plannedStart: string;
  plannedFinish: string;
  sourceKind: 'manual' | 'salesOrder' | 'mrp';
  salesOrderLineId?: string | null;
  mrpSuggestionId?: string | null;
  remark?: string | null;
}

/** Writes one planned task (inside the caller's transaction); the item must have a BOM valid on the planned start. */
async function insertTask(tx: Tx, ctx: UseCaseContext, t: NewTask, field = 'body.itemId'): Promise<TaskRow> {
  const item = (await bomItemsById(tx, [t.itemId])).get(t.itemId);
  if (!item) throw invalid(field, '物料不存在');
  const version = await bomVersionOn(tx, t.itemId, t.plannedStart);
  if (!version) throw invalid(field, `物料 ${item.code} 在 ${t.plannedStart} 没有有效的 BOM 版本`);
  assertPrecision(item, t.quantity);
  const number = await nextDocumentNumber(tx, ctx.actor.companyId, 'MO');
  const row = await tx.productionTask.create({
    data: {
      companyId: ctx.actor.companyId, number, itemId: t.itemId, bomVersionId: version.id, quantity: t.quantity,
      materialWarehouseId: t.materialWarehouseId, warehouseId: t.warehouseId,
      plannedStart: dateOnlyToDb(t.plannedStart), plannedFinish: dateOnlyToDb(t.plannedFinish),
      sourceKind: t.sourceKind, salesOrderLineId: t.salesOrderLineId ?? null, mrpSuggestionId: t.mrpSuggestionId ?? null,
      remark: t.remark ?? null, createdById: ctx.actor.userId,
    },
  });
  await writeMaterials(tx, ctx, row);
  await recordAudit(tx, ctx, { action: 'create', entity: 'productionTask', entityId: row.id, after: { number, itemCode: item.code, quantity: t.quantity, sourceKind: t.sourceKind } });
  return row;
}

/**
 * The task's materials from the BOM valid on its planned start (scrap, units, phantoms by the 跳层
 * rule: see phantomStockFor), replacing any it had: written at create, so MRP sees a planned task's
 * needs, and again at release, when the BOM (or the stock) may have changed. Returns the count and
 * the version used.
 */
async function writeMaterials(tx: Tx, ctx: UseCaseContext, row: TaskRow): Promise<{ count: number; versionId: string; versionNo: number }> {
  const start = dateOnlyOf(row.plannedStart);
  const boms = await explosionsOn(tx, start);
  const version = await bomVersionOn(tx, row.itemId, start);
  if (!version || !boms.hasBom(row.itemId)) throw new AppError('CONFLICT', `生产任务单 ${row.number} 的物料在 ${start} 没有有效的 BOM 版本`);
  const root = boms.explode(row.itemId, row.quantity.toString());
  const materials = taskMaterials(root, {
    available: await phantomStockFor(tx, row, phantomItemsOf(root)),
    explode: (itemId, quantity) => boms.explode(itemId, quantity.toFixed(boms.items.get(itemId)?.baseUnit.precision ?? 4)),
  });
  await tx.productionTaskMaterial.deleteMany({ where: { taskId: row.id } });
  await tx.productionTaskMaterial.createMany({
    data: materials.map((m, i) => ({
      companyId: ctx.actor.companyId, taskId: row.id, lineNo: i + 1, itemId: m.itemId, requiredQuantity: m.quantity.toString(), issueMethod: m.issueMethod, operation: m.operation,
    })),
  });
  return { count: materials.length, versionId: version.id, versionNo: version.versionNo };
}

/** The items on phantom lines that have components of their own, anywhere in the explosion. */
function phantomItemsOf(root: ExplosionNode): string[] {
  const ids = new Set<string>();
  const walk = (n: ExplosionNode) => {
    for (const c of n.children) {
      if (c.line?.phantom && c.children.length) ids.add(c.itemId);
      walk(c);
    }
  };
  walk(root);
  return [...ids];
}

/**
 * What the task may use of each phantom item itself before the rest is passed through to its
 * components (phantomPassThrough, the rule MRP nets phantoms by): the phantom's free stock now, less
 * what the other open tasks still have to issue of it — and for a task released from a production
 * suggestion no more than MRP planned from the phantom for it (the phantom items among the
 * suggestion's materials), so the task needs what MRP planned and a rerun after releasing
 * everything suggests nothing. Capped by the stock in both cases: a suggestion whose quantity was
 * edited up scales its phantom share past what lies there, and two tasks must not both count the
 * same parts (the company's phantom lock, held to the end of the transaction, makes their reads
 * and writes one after the other). Passing through regardless would need components for parts
 * lying in stock, which MRP (netting the task's needs against that stock) and 齐套 would not plan.
 */
async function phantomStockFor(tx: Tx, row: TaskRow, ids: string[]): Promise<Map<string, Decimal>> {
  const out = new Map<string, Decimal>();
  if (!ids.length) return out;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`phantom:${row.companyId}`}, 0))`;
  const free = await freeStockOf(tx, ids);
  const claimed = new Map((await tx.productionTaskMaterial.groupBy({
    by: ['itemId'], _sum: { requiredQuantity: true, issuedQuantity: true },
    where: { itemId: { in: ids }, taskId: { not: row.id }, task: { state: { in: ['planned', 'released', 'inProgress'] } } },
  })).map((g) => [g.itemId, new Decimal((g._sum.requiredQuantity ?? 0).toString()).minus((g._sum.issuedQuantity ?? 0).toString())]));
  for (const id of ids) out.set(id, Decimal.max(0, new Decimal(free.get(id) ?? 0).minus(claimed.get(id) ?? 0)));
  const suggestion = row.mrpSuggestionId
    ? await tx.mrpSuggestion.findUnique({ where: { id: row.mrpSuggestionId }, select: { materials: true } })
    : null;
  if (suggestion) {
    const planned = new Map<string, Decimal>();
    for (const m of suggestion.materials as unknown as MrpMaterial[]) {
      if (ids.includes(m.itemId)) planned.set(m.itemId, (planned.get(m.itemId) ?? new Decimal(0)).plus(m.quantity));
    }
    for (const id of ids) out.set(id, Decimal.min(out.get(id)!, planned.get(id) ?? 0));
  }
  return out;
}

/** A quantity of the task's item in no more decimals than its base unit has (no 10.5 bolts). */
export function assertPrecision(item: BomItemRow, quantity: string, field = 'body.quantity'): void {
  const places = item.baseUnit.precision;
  if (new Decimal(quantity).decimalPlaces() > places) {
    // "数量必须是整数（个）"; another field gets its label in front: "良品数量：必须是整数（个）"
    const subject = field === 'body.quantity' ? '数量' : '';
    throw invalid(field, places ? `${subject}最多 ${places} 位小数（${item.baseUnit.name}）` : `${subject}必须是整数（${item.baseUnit.name}）`);
  }
}

async function assertWarehouses(tx: Tx, fields: Record<string, string>): Promise<void> {
  const found = new Set((await tx.warehouse.findMany({ where: { id: { in: Object.values(fields) }, active: true }, select: { id: true } })).map((w) => w.id));
  for (const [field, id] of Object.entries(fields)) if (!found.has(id)) throw invalid(field, '仓库不存在或已停用');
}

export async function createProductionTask(ctx: UseCaseContext, input: ProductionTaskCreate): Promise<ProductionTaskDetail> {
  return runUseCase(ctx, async (tx) => {
    await assertWarehouses(tx, { 'body.materialWarehouseId': input.materialWarehouseId, 'body.warehouseId': input.warehouseId });
    if (input.salesOrderLineId) {
      const line = await tx.salesOrderLine.findUnique({ where: { id: input.salesOrderLineId }, select: { itemId: true } });
      if (!line) throw invalid('body.salesOrderLineId', '销售订单行不存在');
      if (line.itemId !== input.itemId) throw invalid('body.salesOrderLineId', '销售订单行的物料与生产物料不同');
    }
    const row = await insertTask(tx, ctx, { ...input, sourceKind: input.salesOrderLineId ? 'salesOrder' : 'manual' });
    return detailOf(tx, row.id);
  });
}

const shiftDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/**
 * 以销定产（批量）: one planned task per chosen sales order line, for its open quantity that reserved
 * stock does not cover, finishing on the line's requested date and starting the item's lead time
 * before. A line that already has a task (not cancelled) is refused; one batch at a time per company,
 * so two concurrent batches for the same lines make their tasks once.
 */
const NO_OPEN_LINE = '不存在、未审核，或已全部发货或由库存预留，没有待生产的数量';

export async function createTasksFromSalesOrders(ctx: UseCaseContext, input: ProductionTaskFromSalesOrders): Promise<ProductionTaskBatchResult> {
  // the task shows the order line it is for: only lines of orders the user may see (as 齐套 for an order)
  if (!can(ctx.actor, 'salesOrder:read')) throw lacking('salesOrder:read');
  return runUseCase(ctx, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`production-so:${ctx.actor.companyId}`}, 0))`;
    await assertWarehouses(tx, { 'body.materialWarehouseId': input.materialWarehouseId, 'body.warehouseId': input.warehouseId });
    const ids = [...new Set(input.salesOrderLineIds)];
    // a line outside the user's data scope reads as one that does not exist (nor do its tasks)
    const visible = await orderLinesVisibleTo(tx, ctx.actor, ids);
    const hidden = ids.findIndex((id) => !visible.has(id));
    if (hidden >= 0) throw invalid(`body.salesOrderLineIds.${hidden}`, NO_OPEN_LINE);
    const existing = await tx.productionTask.findMany({ where: { salesOrderLineId: { in: ids }, state: { not: 'cancelled' } }, select: { number: true }, orderBy: { number: 'asc' } });
    if (existing.length) throw new AppError('CONFLICT', `所选销售订单行已有生产任务单 ${existing.map((e) => e.number).join('、')}`);
    const open = new Map((await openSalesDemand(tx)).map((d) => [d.lineId, d]));
    const leadTimes = new Map((await tx.item.findMany({ where: { id: { in: [...open.values()].map((d) => d.itemId) } }, select: { id: true, leadTimeDays: true } })).map((i) => [i.id, i.leadTimeDays]));
    const tasks: ProductionTaskBatchResult['tasks'] = [];
    for (const [i, id] of ids.entries()) {
      const d = open.get(id);
      if (!d) throw invalid(`body.salesOrderLineIds.${i}`, NO_OPEN_LINE);
      const finish = dateOnlyOf(d.date);
      const row = await insertTask(tx, ctx, {
        itemId: d.itemId, quantity: d.quantity, materialWarehouseId: input.materialWarehouseId, warehouseId: input.warehouseId,
        plannedStart: shiftDays(finish, -(leadTimes.get(d.itemId) ?? 0)), plannedFinish: finish, sourceKind: 'salesOrder', salesOrderLineId: id,
        remark: `以销定产：${d.ref}`,
      }, `body.salesOrderLineIds.${i}`);
      tasks.push({ id: row.id, number: row.number, salesOrderLineId: id, quantity: row.quantity.toFixed(4) });
    }
    return { tasks };
  });
}

/**
 * 生产建议投放 (called by MRP's release under its lock, in its transaction): one planned task per
 * production suggestion, its quantity, order date as planned start and due date as planned finish,
 * materials from the company's first active warehouse (by code). A suggestion made for one sales
 * order line (pegged to it directly) is that line's task: its goods are received into the warehouse
 * the line ships from, and the order follows its progress; others receive into the first warehouse.
 */
export async function createTasksFromSuggestions(
  tx: Tx, ctx: UseCaseContext, rows: { id: string; itemId: string; quantity: Prisma.Decimal; orderDate: Date; dueDate: Date }[],
): Promise<{ id: string; number: string; suggestionId: string }[]> {
  if (!rows.length) return [];
  const warehouse = await tx.warehouse.findFirst({ where: { active: true }, orderBy: { code: 'asc' }, select: { id: true } });
  if (!warehouse) throw new AppError('VALIDATION_FAILED', '没有可用的仓库，生产建议不能投放为生产任务单');
  const pegged = await salesOrderLinesPegged(tx, rows.map((r) => r.id));
  const linesOf = new Map([...pegged].map(([id, lines]) => [id, new Set(lines.map((l) => l.lineId))]));
  const lineOf = (id: string) => (linesOf.get(id)?.size === 1 ? [...linesOf.get(id)!][0]! : null);
  const lineWarehouse = await orderLineWarehouses(tx, rows.map((r) => lineOf(r.id)).filter((l): l is string => l !== null));
  const out: { id: string; number: string; suggestionId: string }[] = [];
  for (const r of rows) {
    const line = lineOf(r.id);
    const task = await insertTask(tx, ctx, {
      itemId: r.itemId, quantity: r.quantity.toFixed(4), materialWarehouseId: warehouse.id,
      warehouseId: (line && lineWarehouse.get(line)) || warehouse.id, salesOrderLineId: line,
      plannedStart: dateOnlyOf(r.orderDate), plannedFinish: dateOnlyOf(r.dueDate), sourceKind: 'mrp', mrpSuggestionId: r.id,
      remark: '物料需求计划生产建议投放',
    }, 'body.ids');
    out.push({ id: task.id, number: task.number, suggestionId: r.id });
  }
  return out;
}

export async function listProductionTasks(ctx: UseCaseContext, query: ProductionTaskListQuery): Promise<Page<ProductionTask>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.ProductionTaskWhereInput[] = [{ state: query.state }];
    if (query.q) {
      const found = await tx.item.findMany({ where: { OR: [{ code: containsText(query.q) }, { name: containsText(query.q) }] }, select: { id: true } });
      and.push({ OR: [{ number: containsText(query.q) }, { itemId: { in: found.map((f) => f.id) } }] });
    }
    const where: Prisma.ProductionTaskWhereInput = { AND: and };
    const orderBy = [...orderByOf(query.sort, '-number'), { id: 'asc' }] as Prisma.ProductionTaskOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.productionTask.findMany({ where, orderBy, ...w }), () => tx.productionTask.count({ where }), (r) => r);
    return { ...page, items: await taskDtos(tx, page.items) };
  });
}

export async function getProductionTask(ctx: UseCaseContext, id: string): Promise<ProductionTaskDetail> {
  return runUseCase(ctx, (tx) => detailOf(tx, id));
}

/** 下达: the materials from the BOM version valid on the planned start, exploded for the task's quantity (scrap, units, phantoms by the 跳层 rule). */
export async function releaseProductionTask(ctx: UseCaseContext, id: string): Promise<ProductionTaskDetail> {
  return runUseCase(ctx, async (tx) => {
    const row = await lockTask(tx, id);
    if (row.state !== 'planned') throw stateConflict(row, '下达');
    const written = await writeMaterials(tx, ctx, row);
    await tx.productionTask.update({ where: { id }, data: { state: 'released', bomVersionId: written.versionId, releasedAt: new Date(), version: { increment: 1 } } });
    await recordAudit(tx, ctx, { action: 'release', entity: 'productionTask', entityId: id, after: { bomVersionNo: written.versionNo, materials: written.count } });
    // 足缺料: the task starts as not short, so the re-check alerts if it is short from the start
    await tx.$executeRaw`INSERT INTO production_task_shortage (task_id, company_id, short) VALUES (${id}::uuid, ${ctx.actor.companyId}::uuid, false)
      ON CONFLICT (task_id) DO UPDATE SET short = false, changed_at = now()`;
    await recheckProductionShortages(tx, ctx.actor.companyId);
    return detailOf(tx, id);
  });
}

async function precisions(tx: Tx, materials: MaterialRow[]): Promise<Map<string, number>> {
  const items = await bomItemsById(tx, materials.map((m) => m.itemId));
  return new Map([...items].map(([id, i]) => [id, i.baseUnit.precision]));
}

/**
 * Issues each share through the ledger (a batch-tracked material from its batches, oldest 炉号 first)
 * and books it on the materials; a short line makes the whole
 * use case fail (its transaction rolls back), said as such.
 */
async function issueMaterials(tx: Tx, ctx: UseCaseContext, row: TaskRow, shares: { m: MaterialRow; qty: Decimal }[], what: string): Promise<{ total: Decimal; lines: { itemId: string; amount: Decimal }[] }> {
  const lines = shares.filter((s) => s.qty.gt(0));
  if (!lines.length) return { total: new Decimal(0), lines: [] };
  let issued;
  try {
    issued = await issueStock(
      tx,
      { companyId: ctx.actor.companyId, userId: ctx.actor.userId, kind: 'productionIssue', source: { type: 'productionTask', id: row.id, documentNo: row.number } },
      lines.map((s) => ({ itemId: s.m.itemId, warehouseId: row.materialWarehouseId, quantity: s.qty.toString(), sourceLineId: s.m.id, anyBatch: true })),
    );
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONFLICT') throw new AppError('CONFLICT', `${what}未执行，没有发出任何物料：${err.message}`);
    throw err;
  }
  let total = new Decimal(0);
  for (const [i, s] of lines.entries()) {
    const amount = issued[i]!.amount;
    total = total.plus(amount);
    await tx.productionTaskMaterial.update({
      where: { id: s.m.id }, data: { issuedQuantity: { increment: s.qty.toString() }, issuedAmount: { increment: amount.toString() } },
    });
  }
  return { total, lines: lines.map((s, i) => ({ itemId: s.m.itemId, amount: issued[i]!.amount })) };
}

/** 生产成本 from this step's issues and receipt, posted in the step's transaction. */
async function postProduction(tx: Tx, ctx: UseCaseContext, row: TaskRow, issued: { itemId: string; amount: Decimal }[], received: Decimal): Promise<void> {
  const ids = [...new Set([row.itemId, ...issued.map((l) => l.itemId)])];
  const kinds = new Map((await tx.item.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true } })).map((i) => [i.id, i.kind as string]));
  const facts: ProductionPostingFacts = {
    documentId: row.id, documentNumber: row.number, date: todayInShanghai(), productId: row.itemId, productKind: kinds.get(row.itemId) ?? 'finished',
    issued: issued.map((l) => ({ itemId: l.itemId, itemKind: kinds.get(l.itemId) ?? 'raw', amount: l.amount.toFixed(2) })), received: received.toFixed(2),
  };
  await postDocument(tx, ctx, 'productionTask', facts);
}

/** 齐套 of the task's quantity not yet kitted (> 0) against the free stock of its material warehouse. */
async function kitNow(tx: Tx, row: TaskRow, materials: readonly MaterialRow[]) {
  const items = await bomItemsById(tx, [row.itemId, ...materials.map((m) => m.itemId)]);
  const task = kitTaskInput(row, materials, items);
  const free = await freeStockOf(tx, task.materials.map((m) => m.itemId), row.materialWarehouseId);
  return { result: kitTasks([task], free, []).get(row.id)!, items };
}

/**
 * The kit-able quantity of a task now (called with the task locked): the sets whose kit materials'
 * shares the free stock of its material warehouse covers, by the 齐套 rule; none → 400 naming the
 * limiting materials.
 */
async function kitableNow(tx: Tx, row: TaskRow, materials: MaterialRow[]): Promise<string> {
  const { result, items } = await kitNow(tx, row, materials);
  if (new Decimal(result.kitable).gt(0)) return result.kitable;
  const warehouse = await tx.warehouse.findUnique({ where: { id: row.materialWarehouseId }, select: { name: true } });
  const limits = result.components.filter((c) => c.limiting).map((c) => {
    const i = items.get(c.itemId);
    const unit = i ? ` ${i.baseUnit.name}` : '';
    return `${i?.code ?? c.itemId} ${i?.name ?? ''} 可用 ${c.free}${unit}，未领 ${c.need}${unit}`;
  });
  throw new AppError('VALIDATION_FAILED', `生产任务单 ${row.number} 现在一套也配不齐（${warehouse?.name ?? '领料仓库'}的可用库存）：${limits.join('；')}`);
}

/**
 * 配套领料: each kit material's share of `quantity` finished goods, all or nothing; without a quantity,
 * of the kit-able quantity (what the material warehouse's free stock covers now).
 */
export async function issueProductionTask(ctx: UseCaseContext, id: string, input: ProductionTaskIssue): Promise<ProductionTaskDetail> {
  return runUseCase(ctx, async (tx) => {
    const row = await lockTask(tx, id);
    if (!(WORKING_STATES as readonly string[]).includes(row.state)) throw stateConflict(row, '配套领料');
    if (input.quantity !== undefined) assertPrecision((await bomItemsById(tx, [row.itemId])).get(row.itemId)!, input.quantity);
    const remaining = row.quantity.minus(row.kittedQuantity);
    if (remaining.lte(0)) throw new AppError('CONFLICT', `生产任务单 ${row.number} 已全部配套领料`);
    if (input.quantity !== undefined && new Decimal(input.quantity).gt(remaining)) throw invalid('body.quantity', `数量不能超过未配套的 ${remaining.toFixed(4)}`);
    const materials = (await tx.productionTaskMaterial.findMany({ where: { taskId: id }, orderBy: { lineNo: 'asc' } })).filter((m) => m.issueMethod === 'kit');
    const quantity = input.quantity ?? await kitableNow(tx, row, materials);
    const precision = await precisions(tx, materials);
    const shares = materials.map((m) => ({
      m, qty: issueShare({ required: m.requiredQuantity.toString(), issued: m.issuedQuantity.toString() }, row.kittedQuantity.toString(), quantity, row.quantity.toString(), precision.get(m.itemId) ?? 4),
    }));
    const { total: amount, lines: issuedLines } = await issueMaterials(tx, ctx, row, shares, '配套领料');
    await postProduction(tx, ctx, row, issuedLines, new Decimal(0));
    await tx.productionTask.update({
      where: { id }, data: { kittedQuantity: { increment: quantity }, issuedAmount: { increment: amount.toString() }, state: 'inProgress', version: { increment: 1 } },
    });
    if (row.state === 'released') await salesProgress(tx, ctx, row, 'productionStarted', row.quantity);
    await recordAudit(tx, ctx, {
      action: 'issue', entity: 'productionTask', entityId: id,
      after: { quantity, kitable: input.quantity === undefined, amount: amount.toFixed(2), lines: shares.filter((s) => s.qty.gt(0)).map((s) => ({ itemId: s.m.itemId, quantity: s.qty.toString() })) },
    });
    await recheckProductionShortages(tx, ctx.actor.companyId, shares.map((s) => s.m.itemId));
    return detailOf(tx, id);
  });
}

/**
 * 完工入库 (partial allowed): backflush materials are issued for the received share first, then the
 * finished goods come in at the item's standard cost (the provisional value month-end costing
 * revalues). Received in full → completed, with `production.completed` in the outbox.
 */
export async function receiveProductionTask(ctx: UseCaseContext, id: string, input: ProductionTaskReceipt): Promise<ProductionTaskDetail> {
  return runUseCase(ctx, async (tx) => {
    const row = await lockTask(tx, id);
    if (!(WORKING_STATES as readonly string[]).includes(row.state)) throw stateConflict(row, '完工入库');
    assertPrecision((await bomItemsById(tx, [row.itemId])).get(row.itemId)!, input.quantity);
    const remaining = row.quantity.minus(row.receivedQuantity);
    if (new Decimal(input.quantity).gt(remaining)) throw invalid('body.quantity', `数量不能超过未入库的 ${remaining.toFixed(4)}`);
    const materials = (await tx.productionTaskMaterial.findMany({ where: { taskId: id }, orderBy: { lineNo: 'asc' } })).filter((m) => m.issueMethod === 'backflush');
    const precision = await precisions(tx, materials);
    const shares = materials.map((m) => ({
      m, qty: issueShare({ required: m.requiredQuantity.toString(), issued: m.issuedQuantity.toString() }, row.receivedQuantity.toString(), input.quantity, row.quantity.toString(), precision.get(m.itemId) ?? 4),
    }));
    const { total: issuedAmount, lines: backflushed } = await issueMaterials(tx, ctx, row, shares, '完工入库（倒冲领料）');
    const item = await tx.item.findUniqueOrThrow({ where: { id: row.itemId }, select: { standardCost: true, inspectionRequired: true } });
    const value = new Decimal(input.quantity).times(item.standardCost.toString()).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    await receiveStock(
      tx,
      { companyId: ctx.actor.companyId, userId: ctx.actor.userId, kind: 'productionReceipt', source: { type: 'productionTask', id, documentNo: row.number } },
      [{ itemId: row.itemId, warehouseId: row.warehouseId, quantity: input.quantity, unitCost: item.standardCost.toString(), qualityStatus: item.inspectionRequired ? 'pending' : 'passed' }],
    );
    // An item that requires inspection comes in 待检 (not available until 质检 passes it).
    if (item.inspectionRequired) {
      await openInspections(tx, ctx, {
        sourceType: 'productionReceipt', sourceId: id, sourceNo: row.number,
        lines: [{ itemId: row.itemId, warehouseId: row.warehouseId, quantity: input.quantity }],
      });
    }
    await postProduction(tx, ctx, row, backflushed, value);
    const received = row.receivedQuantity.plus(input.quantity);
    const completed = received.gte(row.quantity);
    await tx.productionTask.update({
      where: { id },
      data: {
        receivedQuantity: received.toString(), receivedAmount: { increment: value.toString() }, issuedAmount: { increment: issuedAmount.toString() },
        state: completed ? 'completed' : 'inProgress', completedAt: completed ? new Date() : undefined, version: { increment: 1 },
      },
    });
    await recordAudit(tx, ctx, { action: 'receive', entity: 'productionTask', entityId: id, after: { quantity: input.quantity, value: value.toFixed(2), backflushAmount: issuedAmount.toFixed(2) } });
    if (completed) await salesProgress(tx, ctx, row, 'productionCompleted', received);
    else if (row.state === 'released') await salesProgress(tx, ctx, row, 'productionStarted', row.quantity);
    // the backflushed materials left stock, the finished goods came in (another task's material, maybe)
    await recheckProductionShortages(tx, ctx.actor.companyId, [row.itemId, ...shares.map((s) => s.m.itemId)]);
    if (completed) {
      await emitEvent(tx, ctx.actor.companyId, {
        type: 'production.completed', aggregate: 'productionTask', aggregateId: id,
        payload: { number: row.number, itemId: row.itemId, quantity: received.toFixed(4), salesOrderLineId: row.salesOrderLineId },
      });
    }
    return detailOf(tx, id);
  });
}

export async function closeProductionTask(ctx: UseCaseContext, id: string): Promise<ProductionTaskDetail> {
  return runUseCase(ctx, async (tx) => {
    const row = await lockTask(tx, id);
    if (!(CLOSABLE_STATES as readonly string[]).includes(row.state)) throw stateConflict(row, '关闭');
    await tx.productionTask.update({ where: { id }, data: { state: 'closed', closedAt: new Date(), version: { increment: 1 } } });
    await recordAudit(tx, ctx, { action: 'close', entity: 'productionTask', entityId: id, before: { state: row.state } });
    return detailOf(tx, id);
  });
}

/** 取消: only before anything was issued or received (planned, or released and untouched). */
export async function cancelProductionTask(ctx: UseCaseContext, id: string): Promise<ProductionTaskDetail> {
  return runUseCase(ctx, async (tx) => {
    const row = await lockTask(tx, id);
    if (!(CANCELLABLE_STATES as readonly string[]).includes(row.state) || row.issuedAmount.gt(0) || row.kittedQuantity.gt(0)) throw stateConflict(row, '取消');
    await tx.productionTask.update({ where: { id }, data: { state: 'cancelled', version: { increment: 1 } } });
    await recordAudit(tx, ctx, { action: 'cancel', entity: 'productionTask', entityId: id, before: { state: row.state } });
    return detailOf(tx, id);
  });
}

/**
 * What MRP nets against: every open task (planned, released, in progress) as supply of what it has
 * still to receive on its planned finish, and its unissued materials as demand on its planned start.
 */
export async function openProductionForMrp(tx: Tx): Promise<{
  supplies: { taskId: string; itemId: string; date: string; quantity: string }[];
  demands: { taskId: string; ref: string; itemId: string; date: string; quantity: string }[];
}> {
  const tasks = await tx.productionTask.findMany({
    where: { state: { in: ['planned', 'released', 'inProgress'] } }, include: { materials: { orderBy: { lineNo: 'asc' } } }, orderBy: { id: 'asc' },
  });
  const supplies = [];
  const demands = [];
  for (const t of tasks) {
    const open = t.quantity.minus(t.receivedQuantity);
    if (open.gt(0)) supplies.push({ taskId: t.id, itemId: t.itemId, date: dateOnlyOf(t.plannedFinish), quantity: open.toString() });
    for (const m of t.materials) {
      const left = m.requiredQuantity.minus(m.issuedQuantity);
      if (left.gt(0)) demands.push({ taskId: t.id, ref: `${t.number}/${m.lineNo}`, itemId: m.itemId, date: dateOnlyOf(t.plannedStart), quantity: left.toString() });
    }
  }
  return { supplies, demands };
}
