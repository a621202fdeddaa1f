// 成本计算 (month-end actual costing) use cases. A close runs in one transaction under the company's
// cost-close lock: it reads the month's production moves from the stock ledger and the month's 报工
// hours, costs every task with activity (close-rules.ts) components first, passes the part of a
// revaluation issued to another task of the month into that task's material, puts the part still in
// stock onto the stock through the ledger (a value-only 成本调整 move), and records the rest as cost
// of sales for finance to post. One close per month: a second (or a concurrent one) gets 409.
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { COST_ALLOCATION_BASIS_LABELS } from '../../../../shared/enums.ts';
import type { CostClose, CostCloseCreate, CostCloseDetail, CostCloseListQuery } from '../../../../shared/schemas/manufacturing.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { postDocument, todayInShanghai } from '../../finance/index.ts';
import { itemMovesSince, productionMovesBetween, revalueStock } from '../../inventory/index.ts';
import { bomItemRef, bomItemsById } from '../bom/service.ts';
import { AllocationBasisError, allocatePools, costingOrder, costTask, followTags, splitRevaluationTo, type TaskCost, type TaskMonth } from './close-rules.ts';
import { openingWips, reportedHours } from './close-store.ts';
import type { CostClosePostingFacts } from './voucher.ts';

const STATE_LABELS: Record<string, string> = { done: '已完成' };

/** The month's first day and the next month's, YYYY-MM-DD. */
function monthDays(period: string): { first: string; next: string } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { first: `${period}-01`, next: `${next}-01` };
}
/** Midnight of a day in Shanghai, as an instant. */
const shanghaiMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

type CloseRow = Prisma.CostCloseGetPayload<object>;

async function closeDtos(tx: Tx, rows: CloseRow[]): Promise<CostClose[]> {
  const userIds = [...new Set(rows.map((r) => r.createdById).filter((u): u is string => !!u))];
  const users = new Map((userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : []).map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    id: r.id, period: r.period, state: r.state, stateLabel: STATE_LABELS[r.state] ?? r.state,
    labourPool: r.labourPool.toFixed(2), overheadPool: r.overheadPool.toFixed(2), basis: r.basis, basisLabel: COST_ALLOCATION_BASIS_LABELS[r.basis],
    taskCount: r.taskCount, materialTotal: r.materialTotal.toFixed(2), actualTotal: r.actualTotal.toFixed(2), completedTotal: r.completedTotal.toFixed(2),
    provisionalTotal: r.provisionalTotal.toFixed(2), wipTotal: r.wipTotal.toFixed(2),
    revaluationToStock: r.revaluationToStock.toFixed(2), revaluationToCostOfSales: r.revaluationToCostOfSales.toFixed(2),
    createdBy: r.createdById ? (users.get(r.createdById) ?? null) : null, createdAt: isoShanghai(r.createdAt),
  }));
}

async function detailOf(tx: Tx, id: string): Promise<CostCloseDetail> {
  const row = await tx.costClose.findUnique({ where: { id } });
  if (!row) throw notFound('成本计算');
  const [dto] = await closeDtos(tx, [row]);
  const lines = await tx.costCloseLine.findMany({ where: { closeId: id }, orderBy: { lineNo: 'asc' } });
  const items = await bomItemsById(tx, lines.map((l) => l.itemId));
  return {
    ...dto!,
    lines: lines.map((l) => ({
      lineNo: l.lineNo, task: { id: l.taskId, number: l.taskNumber }, item: bomItemRef(items.get(l.itemId), l.itemId),
      openingWip: l.openingWip.toFixed(2), material: l.material.toFixed(2), hours: l.hours.toFixed(2), labour: l.labour.toFixed(2), overhead: l.overhead.toFixed(2),
      actualTotal: l.actualTotal.toFixed(2), receivedQuantity: l.receivedQuantity.toFixed(4), unreceivedQuantity: l.unreceivedQuantity.toFixed(4),
      unitCost: l.unitCost.toFixed(6), completedValue: l.completedValue.toFixed(2), provisionalValue: l.provisionalValue.toFixed(2), wip: l.wip.toFixed(2),
      revaluation: l.completedValue.minus(l.provisionalValue).toFixed(2), toStock: l.toStock.toFixed(2), toCostOfSales: l.toCostOfSales.toFixed(2),
    })),
  };
}

export async function listCostCloses(ctx: UseCaseContext, query: CostCloseListQuery): Promise<Page<CostClose>> {
  return runUseCase(ctx, async (tx) => {
    const orderBy = [...orderByOf(query.sort, '-period'), { id: 'asc' }] as Prisma.CostCloseOrderByWithRelationInput[];
    const where: Prisma.CostCloseWhereInput = query.q ? { period: { contains: query.q } } : {};
    const page = await findPage(query, (w) => tx.costClose.findMany({ where, orderBy, ...w }), () => tx.costClose.count({ where }), (r) => r);
    return { ...page, items: await closeDtos(tx, page.items) };
  });
}

export async function getCostClose(ctx: UseCaseContext, id: string): Promise<CostCloseDetail> {
  return runUseCase(ctx, (tx) => detailOf(tx, id));
}

const sum = (xs: Decimal[]) => xs.reduce((s, x) => s.plus(x), new Decimal(0));

export async function runCostClose(ctx: UseCaseContext, input: CostCloseCreate): Promise<CostCloseDetail> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    const thisMonth = todayInShanghai().slice(0, 7);
    if (input.period > thisMonth) throw invalid('body.period', `不能计算未来的期间（本月是 ${thisMonth}）`);
    // One close at a time per company: the second waits here, then sees the first's row.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`cost-close:${companyId}`}, 0))`;
    const done = await tx.costClose.findFirst({ where: { period: input.period }, select: { id: true } });
    if (done) throw new AppError('CONFLICT', `${input.period} 已完成成本计算，不能重复计算`, [{ field: 'body.period', message: '已完成成本计算' }]);
    const later = await tx.costClose.findFirst({ where: { period: { gt: input.period } }, orderBy: { period: 'desc' }, select: { period: true } });
    if (later) throw new AppError('CONFLICT', `已完成 ${later.period} 的成本计算，不能再计算更早的 ${input.period}`, [{ field: 'body.period', message: '早于已计算的期间' }]);

    const { first, next } = monthDays(input.period);
    const from = shanghaiMidnight(first);
    const to = shanghaiMidnight(next);
    const moves = new Map((await productionMovesBetween(tx, from, to)).map((m) => [m.taskId, m]));
    const hours = await reportedHours(tx, first, next);
    const taskIds = [...new Set([...moves.keys(), ...hours.keys()])];
    const tasks = taskIds.length ? await tx.productionTask.findMany({ where: { id: { in: taskIds } }, orderBy: { number: 'asc' } }) : [];
    const wips = await openingWips(tx, input.period, tasks.map((t) => t.id));

    const months: TaskMonth[] = tasks.map((t) => {
      const m = moves.get(t.id);
      // Still open at the month's end unless closed before it; what it has not received by then is unreceived.
      const finished = t.closedAt !== null && t.closedAt < to;
      const left = t.quantity.minus(m?.receivedToEnd ?? 0);
      return {
        taskId: t.id, openingWip: wips.get(t.id) ?? '0', material: m?.material ?? '0', hours: hours.get(t.id) ?? '0',
        receivedQuantity: m?.receivedQuantity ?? '0', provisionalValue: m?.provisionalValue ?? '0',
        unreceivedQuantity: finished || left.lte(0) ? '0' : left.toString(),
      };
    });
    let pools;
    try {
      pools = allocatePools(months, { labour: input.labourPool, overhead: input.overheadPool, basis: input.basis });
    } catch (err) {
      if (err instanceof AllocationBasisError) throw invalid('body.basis', err.message);
      throw err;
    }

    // What became of each task's month receipts: replay its item's moves since the month began —
    // still in stock, issued in the month to another task of the month, or gone otherwise (sold).
    const replay = await itemMovesSince(tx, tasks.map((t) => t.itemId), from);
    const taskSet = new Set(tasks.map((t) => t.id));
    const followed = new Map<string, { held: Decimal; to: Map<string, Decimal> }>();
    for (const itemId of new Set(tasks.map((t) => t.itemId))) {
      const ofItem = replay.moves.filter((m) => m.itemId === itemId).map((m) => {
        const ours = m.sourceType === 'productionTask' && taskSet.has(m.sourceId) && m.occurredAt < to;
        return { quantity: m.quantity, tag: ours && m.kind === 'productionReceipt' ? m.sourceId : undefined, to: ours && m.kind === 'productionIssue' ? m.sourceId : undefined };
      });
      for (const [taskId, f] of followTags(replay.opening.get(itemId) ?? '0', ofItem)) followed.set(taskId, f);
    }

    // Components first: a task's material includes the revaluation of the components it consumed.
    const index = new Map(tasks.map((t, i) => [t.id, i]));
    const feeds = new Map([...followed].map(([id, f]) => [id, new Set(f.to.keys())]));
    const costs: TaskCost[] = new Array(tasks.length);
    const splits: { toStock: Decimal; toCostOfSales: Decimal }[] = new Array(tasks.length);
    const inbound = new Map<string, Decimal>();
    for (const id of costingOrder(tasks.map((t) => t.id), feeds)) {
      const i = index.get(id)!;
      months[i] = { ...months[i]!, material: new Decimal(months[i]!.material).plus(inbound.get(id) ?? 0).toString() };
      costs[i] = costTask(months[i]!, pools.labour[i]!, pools.overhead[i]!);
      const f = followed.get(id);
      const split = splitRevaluationTo(costs[i]!.revaluation, months[i]!.receivedQuantity, f?.held ?? 0, f?.to ?? new Map());
      for (const [to, amount] of split.toTasks) inbound.set(to, (inbound.get(to) ?? new Decimal(0)).plus(amount));
      splits[i] = { toStock: split.toStock, toCostOfSales: split.toCostOfSales };
    }

    const closeId = randomUUID();
    const lineIds = tasks.map(() => randomUUID());
    const toRevalue = tasks.flatMap((t, i) => (splits[i]!.toStock.isZero() ? [] : [{ i, line: { itemId: t.itemId, warehouseId: t.warehouseId, amount: splits[i]!.toStock, sourceLineId: lineIds[i]! } }]));
    const applied = await revalueStock(
      tx,
      { companyId, userId: ctx.actor.userId, source: { type: 'costClose', id: closeId, documentNo: `成本计算 ${input.period}` }, remark: `${input.period} 完工产品实际成本与暂估的差额` },
      toRevalue.map((r) => r.line),
    );
    // Stock that can no longer hold its share (sold out since, or less value than the decrease) passes the rest to cost of sales.
    toRevalue.forEach((r, n) => {
      const s = splits[r.i]!;
      const rest = s.toStock.minus(applied[n]!);
      splits[r.i] = { toStock: applied[n]!, toCostOfSales: s.toCostOfSales.plus(rest) };
    });

    const lines = tasks.map((t, i) => {
      const c = costs[i]!;
      return {
        id: lineIds[i]!, companyId, closeId, lineNo: i + 1, taskId: t.id, taskNumber: t.number, itemId: t.itemId,
        openingWip: c.openingWip.toFixed(2), material: c.material.toFixed(2), hours: new Decimal(months[i]!.hours).toFixed(2),
        labour: c.labour.toFixed(2), overhead: c.overhead.toFixed(2), actualTotal: c.actualTotal.toFixed(2),
        receivedQuantity: new Decimal(months[i]!.receivedQuantity).toFixed(4), unreceivedQuantity: new Decimal(months[i]!.unreceivedQuantity).toFixed(4), unitCost: c.unitCost.toFixed(6),
        completedValue: c.completedValue.toFixed(2), provisionalValue: new Decimal(months[i]!.provisionalValue).toFixed(2), wip: c.wip.toFixed(2),
        toStock: splits[i]!.toStock.toFixed(2), toCostOfSales: splits[i]!.toCostOfSales.toFixed(2),
      };
    });
    await tx.costClose.create({
      data: {
        id: closeId, companyId, period: input.period, labourPool: input.labourPool, overheadPool: input.overheadPool, basis: input.basis, taskCount: tasks.length,
        materialTotal: sum(costs.map((c) => c.material)).toFixed(2), actualTotal: sum(costs.map((c) => c.actualTotal)).toFixed(2),
        completedTotal: sum(costs.map((c) => c.completedValue)).toFixed(2), provisionalTotal: sum(months.map((m) => new Decimal(m.provisionalValue))).toFixed(2),
        wipTotal: sum(costs.map((c) => c.wip)).toFixed(2), revaluationToStock: sum(splits.map((s) => s.toStock)).toFixed(2),
        revaluationToCostOfSales: sum(splits.map((s) => s.toCostOfSales)).toFixed(2), createdById: ctx.actor.userId,
      },
    });
    if (lines.length) await tx.costCloseLine.createMany({ data: lines });
    const kinds = new Map((tasks.length ? await tx.item.findMany({ where: { id: { in: [...new Set(tasks.map((t) => t.itemId))] } }, select: { id: true, kind: true } }) : []).map((i) => [i.id, i.kind as string]));
    const facts: CostClosePostingFacts = {
      documentId: closeId, documentNumber: `成本计算 ${input.period}`, period: input.period,
      date: new Date(shanghaiMidnight(next).getTime() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10), // the month's last day
      lines: lines.map((l) => ({
        itemId: l.itemId, itemKind: kinds.get(l.itemId) ?? 'finished', labour: l.labour, overhead: l.overhead, toStock: l.toStock, toCostOfSales: l.toCostOfSales,
      })),
    };
    await postDocument(tx, ctx, 'costClose', facts);
    const dto = await detailOf(tx, closeId);
    const { lines: _lines, ...head } = dto;
    await recordAudit(tx, ctx, { action: 'run', entity: 'costClose', entityId: closeId, after: head });
    return dto;
  });
}
