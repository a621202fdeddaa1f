// What the mini-app shows: my pending approvals, the ones I submitted, the ones CC'd to me, and
// one approval in full (steps, tasks, history, document summary).
import type { Tx } from '../../db/transaction.ts';
import type { Approval, Prisma } from '../../generated/prisma/client.ts';
import {
  APPROVAL_ACTION_LABELS, APPROVAL_STATE_LABELS, BUSINESS_TYPE_LABELS,
  type ApprovalDetail, type ApprovalListItem, type ApprovalListQuery,
} from '../../../shared/schemas/approvals.ts';
import { isoShanghai } from '../../../shared/time.ts';
import { can } from '../../platform/actor.ts';
import { notFound } from '../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page } from '../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { userNames } from './org.ts';
import { documentRoute } from './registry.ts';

/** pending: mine to decide; submitted: mine; cc: CC'd to me; all: every approval (approval:read). */
export type ApprovalBox = 'pending' | 'submitted' | 'cc' | 'all';

type Names = Map<string, string>;
const refOf = (names: Names, id: string) => ({ id, name: names.get(id) ?? '（已删除）' });
const iso = (d: Date | null) => (d ? isoShanghai(d) : null);
const mode = (m: string) => (m === 'allOf' ? ('allOf' as const) : ('anyOf' as const));

function toListItem(a: Approval, names: Names, step: { name: string; mode: string } | undefined, myTaskId: string | null): ApprovalListItem {
  return {
    id: a.id,
    businessType: a.businessType,
    businessTypeLabel: BUSINESS_TYPE_LABELS[a.businessType],
    documentType: a.documentType,
    documentId: a.documentId,
    documentNumber: a.documentNumber,
    documentVersion: a.documentVersion,
    documentRoute: documentRoute(a.documentType, a.documentId),
    title: a.title,
    state: a.state,
    stateLabel: APPROVAL_STATE_LABELS[a.state],
    applicant: refOf(names, a.applicantId),
    currentStep: a.state === 'pending' && step ? { index: a.currentStep, name: step.name, mode: mode(step.mode) } : null,
    summary: (a.summary ?? {}) as Record<string, unknown>,
    decidedBy: a.decidedById ? refOf(names, a.decidedById) : null,
    decidedAt: iso(a.decidedAt),
    rejectReason: a.rejectReason,
    myTaskId,
    createdAt: isoShanghai(a.createdAt),
    updatedAt: isoShanghai(a.updatedAt),
    version: a.version,
  };
}

/** Current steps, the user's pending tasks and names for a page of approvals. */
async function listItems(tx: Tx, rows: Approval[], userId: string): Promise<ApprovalListItem[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [steps, mine, names] = await Promise.all([
    tx.approvalStep.findMany({ where: { approvalId: { in: ids }, state: 'active' }, select: { approvalId: true, index: true, name: true, mode: true } }),
    tx.approvalTask.findMany({ where: { approvalId: { in: ids }, approverId: userId, state: 'pending' }, select: { id: true, approvalId: true } }),
    userNames(tx, rows.flatMap((r) => [r.applicantId, r.decidedById])),
  ]);
  const stepOf = new Map(steps.map((s) => [`${s.approvalId}:${s.index}`, s]));
  const taskOf = new Map(mine.map((t) => [t.approvalId, t.id]));
  return rows.map((r) => toListItem(r, names, stepOf.get(`${r.id}:${r.currentStep}`), taskOf.get(r.id) ?? null));
}

export async function listApprovals(ctx: UseCaseContext, box: ApprovalBox, query: ApprovalListQuery): Promise<Page<ApprovalListItem>> {
  return runUseCase(ctx, async (tx) => {
    const me = ctx.actor.userId;
    let scope: Prisma.ApprovalWhereInput = {};
    if (box === 'pending') {
      const tasks = await tx.approvalTask.findMany({ where: { approverId: me, state: 'pending' }, select: { approvalId: true } });
      scope = { id: { in: [...new Set(tasks.map((t) => t.approvalId))] }, state: 'pending' };
    } else if (box === 'submitted') {
      scope = { applicantId: me };
    } else if (box === 'cc') {
      const cc = await tx.approvalCc.findMany({ where: { userId: me }, select: { approvalId: true } });
      scope = { id: { in: cc.map((c) => c.approvalId) } };
    }
    const where: Prisma.ApprovalWhereInput = {
      AND: [scope, keywordWhere(query.q, ['title', 'documentNumber']), { state: query.state, businessType: query.businessType }],
    };
    const orderBy = orderByOf(query.sort, '-createdAt') as Prisma.ApprovalOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.approval.findMany({ where, orderBy, ...w }), () => tx.approval.count({ where }), (r) => r);
    return { ...page, items: await listItems(tx, page.items, me) };
  });
}

/** One approval in full, if the user takes part in it (or may read every approval); else 404. */
export async function loadApprovalDetail(tx: Tx, ctx: UseCaseContext, id: string): Promise<ApprovalDetail> {
  const a = await tx.approval.findUnique({ where: { id } });
  if (!a) throw notFound('审批');
  const [flow, steps, tasks, actions, cc] = await Promise.all([
    tx.approvalFlow.findUniqueOrThrow({ where: { id: a.flowId }, select: { id: true, name: true, version: true } }),
    tx.approvalStep.findMany({ where: { approvalId: id }, orderBy: { index: 'asc' } }),
    tx.approvalTask.findMany({ where: { approvalId: id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    tx.approvalAction.findMany({ where: { approvalId: id }, orderBy: { id: 'asc' } }),
    tx.approvalCc.findMany({ where: { approvalId: id }, orderBy: { createdAt: 'asc' } }),
  ]);
  const me = ctx.actor.userId;
  const takesPart = a.applicantId === me || tasks.some((t) => t.approverId === me) || cc.some((c) => c.userId === me);
  if (!takesPart && !can(ctx.actor, 'approval:read')) throw notFound('审批');
  const names = await userNames(tx, [a.applicantId, a.decidedById, ...tasks.map((t) => t.approverId), ...actions.map((x) => x.actorId), ...cc.map((c) => c.userId)]);
  const current = steps.find((s) => s.index === a.currentStep && s.state === 'active');
  const myTask = current ? tasks.find((t) => t.stepId === current.id && t.approverId === me && t.state === 'pending') : undefined;
  const decided = tasks.some((t) => t.state === 'agreed' || t.state === 'rejected');
  return {
    ...toListItem(a, names, current, myTask?.id ?? null),
    flow,
    steps: steps.map((s) => ({
      index: s.index, name: s.name, mode: mode(s.mode), state: s.state, activatedAt: iso(s.activatedAt), decidedAt: iso(s.decidedAt),
      tasks: tasks.filter((t) => t.stepId === s.id).map((t) => ({
        id: t.id, approver: refOf(names, t.approverId), state: t.state, origin: t.origin, comment: t.comment, decidedAt: iso(t.decidedAt),
      })),
    })),
    history: actions.map((x) => ({
      id: x.id.toString(), action: x.action, actionLabel: APPROVAL_ACTION_LABELS[x.action as keyof typeof APPROVAL_ACTION_LABELS] ?? x.action,
      actor: x.actorId ? refOf(names, x.actorId) : null, comment: x.comment, payload: x.payload ?? null, at: isoShanghai(x.at),
    })),
    ccUsers: cc.map((c) => refOf(names, c.userId)),
    canDecide: !!myTask,
    canWithdraw: a.state === 'pending' && a.applicantId === me && !decided,
  };
}

export async function getApproval(ctx: UseCaseContext, id: string): Promise<ApprovalDetail> {
  return runUseCase(ctx, (tx) => loadApprovalDetail(tx, ctx, id));
}
