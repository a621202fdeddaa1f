// 审批流程 (definitions): one chain of versions per business type. An edit writes a NEW version
// and moves `current` to it; older versions stay for the approvals that run on them.
import type { SqlTx } from '../../db/sql-session.ts';
import type { Tx } from '../../db/transaction.ts';
import type { ApprovalFlow as FlowRow, Prisma } from '../../generated/prisma/client.ts';
import type { FieldIssue } from '../../../shared/errors.ts';
import {
  BUSINESS_TYPE_LABELS, FlowSteps,
  type ApprovalFlow, type ApprovalFlowCreate, type ApprovalFlowListQuery, type ApprovalFlowUpdate, type BusinessType, type DocumentFacts, type FlowStep,
} from '../../../shared/schemas/approvals.ts';
import { isoShanghai } from '../../../shared/time.ts';
import { recordChange } from '../../platform/audit.ts';
import { AppError, issuesMessage, notFound } from '../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page } from '../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { userNames } from './org.ts';
import { applicableSteps } from './rules.ts';

/** The steps JSON of a stored flow (validated when written; parsed again so code can trust it). */
export function flowSteps(flow: Pick<FlowRow, 'steps'>): FlowStep[] {
  return FlowSteps.parse(flow.steps);
}

async function toFlowDtos(tx: Tx, rows: FlowRow[]): Promise<ApprovalFlow[]> {
  const names = await userNames(tx, rows.flatMap((r) => [...r.ccUserIds, r.createdById]));
  const ref = (id: string) => ({ id, name: names.get(id) ?? '（已删除）' });
  return rows.map((r) => ({
    id: r.id,
    businessType: r.businessType,
    businessTypeLabel: BUSINESS_TYPE_LABELS[r.businessType],
    name: r.name,
    version: r.version,
    current: r.current,
    active: r.active,
    steps: flowSteps(r),
    ccUsers: r.ccUserIds.map(ref),
    remindAfterHours: r.remindAfterHours,
    escalateAfterHours: r.escalateAfterHours,
    createdBy: r.createdById ? ref(r.createdById) : null,
    createdAt: isoShanghai(r.createdAt),
  }));
}

export async function listFlows(ctx: UseCaseContext, query: ApprovalFlowListQuery): Promise<Page<ApprovalFlow>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.ApprovalFlowWhereInput = {
      AND: [keywordWhere(query.q, ['name']), { businessType: query.businessType, current: query.allVersions ? undefined : true }],
    };
    const orderBy = orderByOf(query.sort, 'businessType') as Prisma.ApprovalFlowOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.approvalFlow.findMany({ where, orderBy, ...w }), () => tx.approvalFlow.count({ where }), (r) => r);
    return { ...page, items: await toFlowDtos(tx, page.items) };
  });
}

async function findFlow(tx: Tx, id: string): Promise<FlowRow> {
  const row = await tx.approvalFlow.findUnique({ where: { id } });
  if (!row) throw notFound('审批流程');
  return row;
}

export async function getFlow(ctx: UseCaseContext, id: string): Promise<ApprovalFlow> {
  return runUseCase(ctx, async (tx) => (await toFlowDtos(tx, [await findFlow(tx, id)]))[0]!);
}

/** Role codes and user ids a flow names must exist in the company: 400 naming each bad field. */
async function checkReferences(tx: Tx, steps: FlowStep[] | undefined, ccUserIds: string[] | undefined): Promise<void> {
  const issues: FieldIssue[] = [];
  const roleCodes = new Set((steps ?? []).flatMap((s) => (s.approvers.kind === 'role' ? [s.approvers.roleCode] : [])));
  const userIds = new Set([...(steps ?? []).flatMap((s) => (s.approvers.kind === 'users' ? s.approvers.userIds : [])), ...(ccUserIds ?? [])]);
  const [roles, users] = await Promise.all([
    roleCodes.size ? tx.role.findMany({ where: { code: { in: [...roleCodes] } }, select: { code: true } }) : [],
    userIds.size ? tx.user.findMany({ where: { id: { in: [...userIds] }, active: true }, select: { id: true } }) : [],
  ]);
  const knownRoles = new Set(roles.map((r) => r.code));
  const knownUsers = new Set(users.map((u) => u.id));
  (steps ?? []).forEach((s, i) => {
    const a = s.approvers;
    if (a.kind === 'role' && !knownRoles.has(a.roleCode)) issues.push({ field: `body.steps.${i}.approvers.roleCode`, message: `角色 ${a.roleCode} 不存在` });
    if (a.kind === 'users') {
      a.userIds.forEach((u, j) => { if (!knownUsers.has(u)) issues.push({ field: `body.steps.${i}.approvers.userIds.${j}`, message: '用户不存在或已停用' }); });
    }
  });
  (ccUserIds ?? []).forEach((u, j) => { if (!knownUsers.has(u)) issues.push({ field: `body.ccUserIds.${j}`, message: '用户不存在或已停用' }); });
  if (issues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
}

/** Serialises writes to one business type's chain of versions. */
async function lockBusinessType(tx: Tx, companyId: string, businessType: BusinessType): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`approval_flow:${companyId}:${businessType}`}))`;
}

export async function createFlow(ctx: UseCaseContext, input: ApprovalFlowCreate): Promise<ApprovalFlow> {
  return runUseCase(ctx, async (tx) => {
    await checkReferences(tx, input.steps, input.ccUserIds);
    await lockBusinessType(tx, ctx.actor.companyId, input.businessType);
    const existing = await tx.approvalFlow.findFirst({ where: { businessType: input.businessType, current: true } });
    if (existing) {
      throw new AppError('DUPLICATE', `「${BUSINESS_TYPE_LABELS[input.businessType]}」已有审批流程（版本 ${existing.version}），请修改该流程`, [
        { field: 'body.businessType', message: '已存在' },
      ]);
    }
    const row = await tx.approvalFlow.create({
      data: {
        companyId: ctx.actor.companyId, businessType: input.businessType, name: input.name, version: 1, current: true, active: true,
        steps: input.steps as Prisma.InputJsonValue, ccUserIds: [...new Set(input.ccUserIds)],
        remindAfterHours: input.remindAfterHours ?? null, escalateAfterHours: input.escalateAfterHours ?? null, createdById: ctx.actor.userId,
      },
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'approvalFlow', entityId: row.id, after: row, payload: { businessType: row.businessType, version: 1 } });
    return (await toFlowDtos(tx, [row]))[0]!;
  });
}

/** The current version of the flow `id`, locked; 409 if `id` is an old version or `version` is stale. */
async function lockCurrent(tx: Tx, ctx: UseCaseContext, id: string, version?: number): Promise<FlowRow> {
  const flow = await findFlow(tx, id);
  await lockBusinessType(tx, ctx.actor.companyId, flow.businessType);
  const current = await tx.approvalFlow.findFirst({ where: { businessType: flow.businessType, current: true } });
  if (!current || current.id !== id || (version !== undefined && current.version !== version)) {
    throw new AppError('VERSION_CONFLICT', `审批流程已有更新的版本（当前版本 ${current?.version ?? '无'}），请刷新后重试`, [
      { field: 'body.version', message: '版本已过期' },
    ]);
  }
  return current;
}

/** 修改 = a new version; the old row stays (running approvals keep reading it). */
export async function updateFlow(ctx: UseCaseContext, id: string, input: ApprovalFlowUpdate): Promise<ApprovalFlow> {
  return runUseCase(ctx, async (tx) => {
    await checkReferences(tx, input.steps, input.ccUserIds);
    const before = await lockCurrent(tx, ctx, id, input.version);
    await tx.approvalFlow.update({ where: { id }, data: { current: false } });
    const row = await tx.approvalFlow.create({
      data: {
        companyId: ctx.actor.companyId, businessType: before.businessType, name: input.name ?? before.name, version: before.version + 1,
        current: true, active: input.active ?? before.active,
        steps: (input.steps ?? before.steps) as Prisma.InputJsonValue,
        ccUserIds: input.ccUserIds ? [...new Set(input.ccUserIds)] : before.ccUserIds,
        remindAfterHours: input.remindAfterHours === undefined ? before.remindAfterHours : input.remindAfterHours,
        escalateAfterHours: input.escalateAfterHours === undefined ? before.escalateAfterHours : input.escalateAfterHours,
        createdById: ctx.actor.userId,
      },
    });
    await recordChange(tx, ctx, {
      action: 'update', entity: 'approvalFlow', entityId: row.id, before, after: row,
      payload: { businessType: row.businessType, version: row.version, previousId: before.id },
    });
    return (await toFlowDtos(tx, [row]))[0]!;
  });
}

/** 停用 / 启用 the current version in place (running approvals go on; new documents need none while off). */
export async function setFlowActive(ctx: UseCaseContext, id: string, active: boolean): Promise<ApprovalFlow> {
  return runUseCase(ctx, async (tx) => {
    const before = await lockCurrent(tx, ctx, id);
    const row = await tx.approvalFlow.update({ where: { id }, data: { active } });
    await recordChange(tx, ctx, { action: 'update', entity: 'approvalFlow', entityId: id, before, after: row, payload: { businessType: row.businessType, active } });
    return (await toFlowDtos(tx, [row]))[0]!;
  });
}

export interface ApprovalPlan {
  flow: FlowRow;
  steps: FlowStep[];
  /** indices into steps of the ones that apply, in order */
  plan: number[];
}

/** The current, active flow of a business type and the steps these facts call for; null when none apply. */
export async function planApproval(tx: Tx, businessType: BusinessType, facts: DocumentFacts): Promise<ApprovalPlan | null> {
  return (await firstApprovalPlan(tx, [businessType], facts))?.planned ?? null;
}

/** Of these business types, in this order, the first whose current, active flow has steps for the facts (one query). */
export async function firstApprovalPlan<T extends BusinessType>(
  tx: SqlTx,
  businessTypes: readonly T[],
  facts: DocumentFacts,
): Promise<{ businessType: T; planned: ApprovalPlan } | null> {
  if (!businessTypes.length) return null;
  return firstPlanOf(await currentFlows(tx, businessTypes), businessTypes, facts);
}

/** The current, active flows of these business types, as stored. Raw SQL in the model's shape: order entry reads them on the lean path (no ORM there). */
export function currentFlows(tx: SqlTx, businessTypes: readonly BusinessType[]): PromiseLike<FlowRow[]> {
  return tx.$queryRaw<FlowRow[]>`
    SELECT id::text, company_id::text AS "companyId", business_type::text AS "businessType", name, version, current, active, steps,
           cc_user_ids::text[] AS "ccUserIds", remind_after_hours AS "remindAfterHours", escalate_after_hours AS "escalateAfterHours",
           created_by_id::text AS "createdById", created_at AS "createdAt"
      FROM approval_flow WHERE business_type = ANY(${[...businessTypes]}::approval_business_type[]) AND current AND active`;
}

/** Of these flows, for these business types in this order, the first with steps for the facts. */
export function firstPlanOf<T extends BusinessType>(flows: FlowRow[], businessTypes: readonly T[], facts: DocumentFacts): { businessType: T; planned: ApprovalPlan } | null {
  for (const businessType of businessTypes) {
    const flow = flows.find((f) => f.businessType === businessType);
    if (!flow) continue;
    const steps = flowSteps(flow);
    const plan = applicableSteps(steps, facts);
    if (plan.length) return { businessType, planned: { flow, steps, plan } };
  }
  return null;
}
