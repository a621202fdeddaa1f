// 商机: use cases, each one transaction, within the actor's data scope (the opportunity's owner),
// like customers: outside it an opportunity does not exist (404).
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type {
  ForecastQuery, Opportunity, OpportunityCreate, OpportunityDetail, OpportunityForecast, OpportunityListQuery, OpportunityStageMove, OpportunityUpdate, Pipeline,
} from '../../../../shared/schemas/crm-pipeline.ts';
import { ownerScope, withinScope, type Actor } from '../../../platform/actor.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, forbidden, invalid, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { assertUserExists } from '../../../platform/references.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { todayInShanghai } from '../../finance/index.ts';
import { customerScope } from '../customers/service.ts';
import { monthRange, monthsBetween, totals, weightedAmount } from './rules.ts';
import { stagesOf, toStageDto } from './stages.ts';

export const opportunityInclude = {
  customer: { select: { id: true, name: true } },
  owner: { select: { id: true, name: true } },
  stage: true,
} satisfies Prisma.OpportunityInclude;
type OpportunityRow = Prisma.OpportunityGetPayload<{ include: typeof opportunityInclude }>;

export function toOpportunityDto(o: OpportunityRow): Opportunity {
  return {
    id: o.id,
    customer: o.customer,
    title: o.title,
    amount: o.amount.toFixed(2),
    expectedCloseDate: o.expectedCloseDate.toISOString().slice(0, 10),
    stage: toStageDto(o.stage),
    probability: o.probability.toFixed(4),
    weightedAmount: weightedAmount(o),
    closeReason: o.closeReason,
    closedAt: o.closedAt ? isoShanghai(o.closedAt) : null,
    owner: o.owner,
    leadId: o.leadId,
    remark: o.remark,
    createdAt: isoShanghai(o.createdAt),
    updatedAt: isoShanghai(o.updatedAt),
    version: o.version,
  };
}

export function opportunityScope(actor: Actor): Prisma.OpportunityWhereInput {
  return ownerScope(actor) as Prisma.OpportunityWhereInput;
}

export async function findVisibleOpportunity(tx: Tx, actor: Actor, id: string): Promise<OpportunityRow> {
  const row = await tx.opportunity.findFirst({ where: { AND: [{ id }, opportunityScope(actor)] }, include: opportunityInclude });
  if (!row) throw notFound('商机');
  return row;
}

export async function listOpportunities(ctx: UseCaseContext, query: OpportunityListQuery): Promise<Page<Opportunity>> {
  return runUseCase(ctx, async (tx) => {
    await stagesOf(tx, ctx.actor.companyId);
    const where: Prisma.OpportunityWhereInput = {
      AND: [
        opportunityScope(ctx.actor),
        query.q ? { OR: [keywordWhere(query.q, ['title']), { customer: keywordWhere(query.q, ['name', 'code']) }] } : {},
        { stageId: query.stageId, customerId: query.customerId, ownerId: query.ownerId, stage: query.kind ? { kind: query.kind } : undefined },
      ],
    };
    const orderBy = orderByOf(query.sort, '-updatedAt') as Prisma.OpportunityOrderByWithRelationInput[];
    return findPage(query, (w) => tx.opportunity.findMany({ where, orderBy, include: opportunityInclude, ...w }), () => tx.opportunity.count({ where }), toOpportunityDto);
  });
}

export async function getOpportunity(ctx: UseCaseContext, id: string): Promise<OpportunityDetail> {
  return runUseCase(ctx, async (tx) => {
    const row = await findVisibleOpportunity(tx, ctx.actor, id);
    const changes = await tx.opportunityStageChange.findMany({ where: { opportunityId: id }, orderBy: [{ changedAt: 'asc' }, { id: 'asc' }] });
    const stageIds = [...new Set(changes.flatMap((c) => [c.fromStageId, c.toStageId]).filter((s): s is string => !!s))];
    const userIds = [...new Set(changes.map((c) => c.changedById))];
    const [stages, users] = await Promise.all([
      tx.opportunityStage.findMany({ where: { id: { in: stageIds } }, select: { id: true, name: true } }),
      tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
    ]);
    const stageName = new Map(stages.map((s) => [s.id, s.name]));
    const userOf = new Map(users.map((u) => [u.id, u]));
    return {
      ...toOpportunityDto(row),
      history: changes.map((c) => ({
        id: c.id,
        fromStage: c.fromStageId ? stageName.get(c.fromStageId) ?? null : null,
        toStage: stageName.get(c.toStageId) ?? '',
        probability: c.probability.toFixed(4),
        amount: c.amount.toFixed(2),
        reason: c.reason,
        changedBy: userOf.get(c.changedById) ?? { id: c.changedById, name: '（已删除）' },
        changedAt: isoShanghai(c.changedAt),
      })),
    };
  });
}

/** An active stage of the company, or the first open one when none is named. */
async function stageFor(tx: Tx, companyId: string, stageId: string | null | undefined, field: string) {
  const stages = (await stagesOf(tx, companyId)).filter((s) => s.active);
  const stage = stageId ? stages.find((s) => s.id === stageId) : stages.find((s) => s.kind === 'open');
  if (!stage) throw invalid(field, '阶段不存在或已停用');
  return stage;
}

export interface NewOpportunity {
  customerId: string;
  title: string;
  amount: string;
  expectedCloseDate: string;
  stageId?: string | null;
  ownerId?: string | null;
  remark?: string | null;
  leadId?: string | null;
}

/** Creates the opportunity in the caller's transaction (a lead's conversion makes one too); field paths name the request's fields. */
export async function createOpportunityIn(tx: Tx, ctx: UseCaseContext, input: NewOpportunity, fieldPrefix = 'body'): Promise<OpportunityRow> {
  const customer = await tx.customer.findFirst({ where: { AND: [{ id: input.customerId }, customerScope(ctx.actor)] }, select: { id: true, ownerId: true } });
  if (!customer) throw notFound('客户');
  const ownerId = input.ownerId ?? customer.ownerId ?? ctx.actor.userId;
  if (input.ownerId) {
    const owner = await assertUserExists(tx, ownerId, `${fieldPrefix}.ownerId`);
    if (!withinScope(ctx.actor, owner)) throw forbidden('不能把商机分配给数据范围以外的负责人');
  }
  const stage = await stageFor(tx, ctx.actor.companyId, input.stageId, `${fieldPrefix}.stageId`);
  if (stage.kind !== 'open') throw invalid(`${fieldPrefix}.stageId`, '新商机只能从进行中的阶段开始');
  const row = await tx.opportunity.create({
    data: {
      companyId: ctx.actor.companyId, customerId: customer.id, title: input.title, amount: new Prisma.Decimal(input.amount),
      expectedCloseDate: new Date(`${input.expectedCloseDate}T00:00:00Z`), stageId: stage.id, probability: stage.probability,
      ownerId, leadId: input.leadId ?? null, remark: input.remark ?? null,
    },
    include: opportunityInclude,
  });
  await tx.opportunityStageChange.create({
    data: { companyId: ctx.actor.companyId, opportunityId: row.id, toStageId: stage.id, probability: stage.probability, amount: row.amount, changedById: ctx.actor.userId },
  });
  await recordChange(tx, ctx, { action: 'create', entity: 'opportunity', entityId: row.id, after: row, payload: { title: row.title, customerId: row.customerId, stage: stage.name } });
  return row;
}

export async function createOpportunity(ctx: UseCaseContext, input: OpportunityCreate): Promise<Opportunity> {
  return runUseCase(ctx, async (tx) => toOpportunityDto(await createOpportunityIn(tx, ctx, input)));
}

export async function updateOpportunity(ctx: UseCaseContext, id: string, input: OpportunityUpdate): Promise<Opportunity> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisibleOpportunity(tx, ctx.actor, id);
    const { version, expectedCloseDate, amount, ...fields } = input;
    await updateVersioned(tx.opportunity, {
      where: { AND: [{ id }, opportunityScope(ctx.actor)] },
      version,
      data: { ...fields, ...(amount ? { amount: new Prisma.Decimal(amount) } : {}), ...(expectedCloseDate ? { expectedCloseDate: new Date(`${expectedCloseDate}T00:00:00Z`) } : {}) },
      label: '商机',
    });
    const after = await findVisibleOpportunity(tx, ctx.actor, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'opportunity', entityId: id, before, after, payload: { title: after.title } });
    return toOpportunityDto(after);
  });
}

/** 变更阶段: the new stage's probability, a history row, an audit entry; 输单 / 无效 need a reason; an ended opportunity stays ended. */
export async function moveOpportunityStage(ctx: UseCaseContext, id: string, input: OpportunityStageMove): Promise<OpportunityDetail> {
  await runUseCase(ctx, (tx) => moveStageIn(tx, ctx, id, input));
  return getOpportunity(ctx, id);
}

/**
 * 拜访中推进商机 (the visits module's hook): inside the visit's transaction, the stage named by id
 * or by its name; the opportunity must be the visited customer's and in the salesperson's scope.
 */
export async function moveStageFromVisit(tx: Tx, ctx: UseCaseContext, change: { customerId: string; opportunityId: string; stage: string }): Promise<void> {
  const opportunity = await findVisibleOpportunity(tx, ctx.actor, change.opportunityId);
  if (opportunity.customerId !== change.customerId) throw invalid('body.opportunityId', '商机不属于本次拜访的客户');
  const stages = (await stagesOf(tx, ctx.actor.companyId)).filter((s) => s.active);
  const stage = stages.find((s) => s.id === change.stage || s.name === change.stage);
  if (!stage) throw invalid('body.opportunityStage', '阶段不存在或已停用');
  if (stage.id === opportunity.stageId) return; // already there: the visit only records it
  await moveStageIn(tx, ctx, change.opportunityId, { stageId: stage.id, version: opportunity.version, reason: null });
}

async function moveStageIn(tx: Tx, ctx: UseCaseContext, id: string, input: OpportunityStageMove): Promise<void> {
  const before = await findVisibleOpportunity(tx, ctx.actor, id);
  const stage = await stageFor(tx, ctx.actor.companyId, input.stageId, 'body.stageId');
  if (before.stage.kind !== 'open') throw new AppError('CONFLICT', `商机已${before.stage.name}，不能再变更阶段`);
  if (stage.id === before.stageId) throw new AppError('CONFLICT', `商机已在「${stage.name}」阶段`);
  if ((stage.kind === 'lost' || stage.kind === 'invalid') && !input.reason) throw invalid('body.reason', `${stage.name}时必须填写原因`);
  const ends = stage.kind !== 'open';
  await updateVersioned(tx.opportunity, {
    where: { AND: [{ id }, opportunityScope(ctx.actor)] },
    version: input.version,
    data: { stageId: stage.id, probability: stage.probability, closeReason: ends ? input.reason ?? null : null, closedAt: ends ? new Date() : null },
    label: '商机',
  });
  await tx.opportunityStageChange.create({
    data: {
      companyId: ctx.actor.companyId, opportunityId: id, fromStageId: before.stageId, toStageId: stage.id,
      probability: stage.probability, amount: before.amount, reason: input.reason ?? null, changedById: ctx.actor.userId,
    },
  });
  const after = await findVisibleOpportunity(tx, ctx.actor, id);
  await recordChange(tx, ctx, {
    action: 'update', entity: 'opportunity', entityId: id, before, after,
    payload: { title: after.title, fromStage: before.stage.name, toStage: stage.name, probability: stage.probability.toFixed(4) },
  });
}

export async function deleteOpportunity(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisibleOpportunity(tx, ctx.actor, id);
    await tx.lead.updateMany({ where: { opportunityId: id }, data: { opportunityId: null } });
    await tx.opportunity.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'opportunity', entityId: id, before, payload: { title: before.title } });
  });
}

/** 销售漏斗: the open opportunities in scope per open stage (every active open stage, empty ones too). */
export async function pipeline(ctx: UseCaseContext, q: { ownerId?: string }): Promise<Pipeline> {
  return runUseCase(ctx, async (tx) => {
    const stages = (await stagesOf(tx, ctx.actor.companyId)).filter((s) => s.kind === 'open');
    const rows = await tx.opportunity.findMany({
      where: { AND: [opportunityScope(ctx.actor), { ownerId: q.ownerId, stage: { kind: 'open' } }] },
      select: { stageId: true, amount: true, probability: true },
    });
    const shown = stages.filter((s) => s.active || rows.some((r) => r.stageId === s.id));
    return {
      stages: shown.map((s) => ({ stage: toStageDto(s), ...totals(rows.filter((r) => r.stageId === s.id)) })),
      ...totals(rows),
    };
  });
}

/**
 * 销售预测 by month and salesperson: open opportunities by their expected close month (金额 and
 * 金额 × 赢单概率), and what was won in the month (by the day it was won).
 */
export async function forecast(ctx: UseCaseContext, q: ForecastQuery): Promise<OpportunityForecast> {
  return runUseCase(ctx, async (tx) => {
    const { start, end } = monthRange(q.from, q.to);
    const [startDay, endDay] = [new Date(`${start}T00:00:00Z`), new Date(`${end}T00:00:00Z`)];
    const scope = { AND: [opportunityScope(ctx.actor), { ownerId: q.ownerId }] };
    const [open, won] = await Promise.all([
      tx.opportunity.findMany({
        where: { AND: [scope, { stage: { kind: 'open' }, expectedCloseDate: { gte: startDay, lt: endDay } }] },
        select: { ownerId: true, owner: { select: { id: true, name: true } }, amount: true, probability: true, expectedCloseDate: true },
      }),
      // closedAt is an instant: the month is the Shanghai day's; a day either side of the range is read and sorted below
      tx.opportunity.findMany({
        where: { AND: [scope, { stage: { kind: 'won' }, closedAt: { gte: new Date(startDay.getTime() - 86_400_000), lt: new Date(endDay.getTime() + 86_400_000) } }] },
        select: { ownerId: true, owner: { select: { id: true, name: true } }, amount: true, closedAt: true },
      }),
    ]);
    const months = new Set(monthsBetween(q.from, q.to));
    const groups = new Map<string, { month: string; owner: { id: string; name: string } | null; open: { amount: Prisma.Decimal; probability: Prisma.Decimal }[]; won: Prisma.Decimal[] }>();
    const group = (month: string, owner: { id: string; name: string } | null) => {
      const key = `${month}|${owner?.id ?? ''}`;
      if (!groups.has(key)) groups.set(key, { month, owner, open: [], won: [] });
      return groups.get(key)!;
    };
    for (const o of open) group(o.expectedCloseDate.toISOString().slice(0, 7), o.owner).open.push(o);
    for (const o of won) {
      const month = todayInShanghai(o.closedAt!).slice(0, 7);
      if (months.has(month)) group(month, o.owner).won.push(o.amount);
    }
    const sum = (xs: Prisma.Decimal[]) => xs.reduce((s, x) => s.plus(x), new Prisma.Decimal(0)).toFixed(2);
    const rows = [...groups.values()]
      .sort((a, b) => a.month.localeCompare(b.month) || (a.owner?.name ?? '').localeCompare(b.owner?.name ?? '', 'zh'))
      .map((g) => {
        const t = totals(g.open);
        return { month: g.month, owner: g.owner, count: t.count, amount: t.amount, weightedAmount: t.weightedAmount, wonAmount: sum(g.won) };
      });
    const all = totals(open);
    return { rows, amount: all.amount, weightedAmount: all.weightedAmount, wonAmount: sum(won.filter((o) => months.has(todayInShanghai(o.closedAt!).slice(0, 7))).map((o) => o.amount)) };
  });
}
