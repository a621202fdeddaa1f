// 审批引擎: start an approval inside the document's own submit transaction, and decide it —
// each decision one transaction that locks the approval row first, so two approvers tapping at
// once, or a platform delivering one click twice, are applied exactly once.
import crypto from 'node:crypto';
import type { Tx } from '../../db/transaction.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { ApprovalDecision, ApprovalDetail, BusinessType, DocumentFacts } from '../../../shared/schemas/approvals.ts';
import { isoShanghai } from '../../../shared/time.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { activateFrom, addAction, auditApproval, emitApprovalEvent, finishApproval, lockApproval, touchApproval, type ApprovalRow } from './engine.ts';
import { planApproval } from './flows.ts';
import { userNames } from './org.ts';
import { getApproval } from './queries.ts';
import { handledMessage, ruleText, shanghaiClock, stepOutcome } from './rules.ts';

export interface StartApprovalInput {
  businessType: BusinessType;
  /** a type registered with registerApprovalDocument (salesOrder, purchaseOrder, contract, expenseClaim, leaveRequest …), or general */
  documentType: string;
  documentId: string;
  documentNumber: string | null;
  /** the document's version after it was submitted: decisions are tied to it */
  documentVersion: number;
  applicantId: string;
  facts: DocumentFacts;
  /** e.g. 销售折扣审批 · SO-20261123-0001 */
  title: string;
  /** what cards and lists show: { fields: [{label, value}], … }; the engine adds `rule` and `facts` */
  summary: Record<string, Prisma.InputJsonValue>;
  /** who submitted: the signed-in user by default; null when the system starts it (the next flow of a chain) */
  submittedById?: string | null;
}

export interface StartedApproval {
  approvalId: string;
  state: 'pending' | 'approved';
  /** 触发的规则, e.g. 折扣 15.0% 超过 10%，需销售经理审批 */
  rule: string;
}

/**
 * Starts an approval in the caller's transaction (the document's submit). Null when the current
 * flow of the business type calls for no step: the caller goes on as if approved. When every
 * step is skipped (de-duplication), the approval is approved at once and the document's hook runs.
 */
export async function startApproval(tx: Tx, ctx: UseCaseContext, input: StartApprovalInput): Promise<StartedApproval | null> {
  const planned = await planApproval(tx, input.businessType, input.facts);
  if (!planned) return null;
  const { flow, steps, plan } = planned;
  const rule = ruleText(steps, plan, input.facts);
  const companyId = ctx.actor.companyId;
  const approval = await tx.approval.create({
    data: {
      id: crypto.randomUUID(), companyId, flowId: flow.id, businessType: input.businessType, documentType: input.documentType,
      documentId: input.documentId, documentNumber: input.documentNumber, documentVersion: input.documentVersion,
      applicantId: input.applicantId, title: input.title.slice(0, 120),
      summary: { ...input.summary, rule, facts: input.facts as Prisma.InputJsonValue },
    },
  });
  await tx.approvalStep.createMany({
    data: plan.map((p, index) => ({ companyId, approvalId: approval.id, index, name: steps[p]!.name, mode: steps[p]!.mode })),
  });
  const cc = await tx.user.findMany({ where: { id: { in: flow.ccUserIds }, active: true }, select: { id: true } });
  if (cc.length) await tx.approvalCc.createMany({ data: cc.map((u) => ({ companyId, approvalId: approval.id, userId: u.id })), skipDuplicates: true });
  await addAction(tx, approval, {
    actorId: input.submittedById === undefined ? ctx.actor.userId : input.submittedById, action: 'submit', comment: rule,
    payload: { flowId: flow.id, flowVersion: flow.version, plan, facts: input.facts as Prisma.InputJsonValue, documentVersion: input.documentVersion },
  });
  await auditApproval(tx, ctx, approval, 'submit', { state: 'pending', flowVersion: flow.version, rule, documentId: input.documentId });
  const state = await activateFrom(tx, ctx, approval, 0);
  if (state === 'done') {
    await finishApproval(tx, ctx, approval, 'approved');
    return { approvalId: approval.id, state: 'approved', rule };
  }
  return { approvalId: approval.id, state: 'pending', rule };
}

/** 409 for an approval that is no longer pending: who ended it, when, how. */
export async function alreadyHandled(tx: Tx, a: ApprovalRow): Promise<AppError> {
  const names = await userNames(tx, [a.decidedById]);
  return new AppError('CONFLICT', handledMessage(names.get(a.decidedById ?? '') ?? '系统', a.decidedAt ?? a.updatedAt, a.state));
}

/** Why this user may not act on the current step: 409 if they (or a co-approver) already did, else 403. */
async function notCurrentApprover(tx: Tx, a: ApprovalRow, userId: string): Promise<AppError> {
  const own = await tx.approvalTask.findMany({ where: { approvalId: a.id, approverId: userId, state: { not: 'pending' } }, orderBy: { createdAt: 'desc' } });
  if (!own.length) return forbidden('你不是当前审批人');
  const last = own[0]!;
  if (last.state === 'transferred') return new AppError('CONFLICT', `你已于 ${shanghaiClock(last.decidedAt ?? last.createdAt)} 将此审批转交他人`);
  // The step of their task was decided — by them or by a co-approver (或签).
  const decided = await tx.approvalTask.findFirst({
    where: { stepId: last.stepId, state: { in: ['agreed', 'rejected'] } }, orderBy: { decidedAt: 'asc' },
  });
  const by = decided ?? last;
  const names = await userNames(tx, [by.approverId]);
  return new AppError('CONFLICT', handledMessage(names.get(by.approverId) ?? '其他审批人', by.decidedAt ?? by.createdAt));
}

/**
 * 同意 / 驳回. Locks the approval, then: still pending? the actor holds a pending task in the
 * active step? the card's document version is the approval's? — then applies the decision;
 * the last agreement approves it and the document moves on in this same transaction.
 */
export async function decideApproval(ctx: UseCaseContext, approvalId: string, input: ApprovalDecision): Promise<ApprovalDetail> {
  await runUseCase(ctx, async (tx) => {
    const a = await lockApproval(tx, approvalId);
    if (a.state !== 'pending') throw await alreadyHandled(tx, a);
    const step = await tx.approvalStep.findUniqueOrThrow({ where: { approvalId_index: { approvalId, index: a.currentStep } } });
    const tasks = await tx.approvalTask.findMany({ where: { stepId: step.id } });
    const mine = tasks.find((t) => t.approverId === ctx.actor.userId && t.state === 'pending' && (!input.taskId || t.id === input.taskId))
      ?? tasks.find((t) => t.approverId === ctx.actor.userId && t.state === 'pending');
    if (step.state !== 'active' || !mine) throw await notCurrentApprover(tx, a, ctx.actor.userId);
    if (input.documentVersion !== undefined && input.documentVersion !== a.documentVersion) {
      throw new AppError('VERSION_CONFLICT', `单据已变更（审批依据版本 ${a.documentVersion}，你看到的是版本 ${input.documentVersion}），请刷新后重新审批`, [
        { field: 'body.documentVersion', message: '单据版本已过期' },
      ]);
    }
    const at = new Date();
    const comment = input.comment ?? null;
    const agree = input.decision === 'agree';
    await tx.approvalTask.update({
      where: { id: mine.id },
      data: { state: agree ? 'agreed' : 'rejected', decidedAt: at, comment, documentVersion: a.documentVersion },
    });
    await addAction(tx, a, { actorId: ctx.actor.userId, action: input.decision, taskId: mine.id, comment, payload: { stepIndex: step.index }, at });
    await touchApproval(tx, a.id);
    const after = tasks.map((t) => (t.id === mine.id ? { ...t, state: agree ? ('agreed' as const) : ('rejected' as const) } : t));
    const outcome = stepOutcome(step.mode === 'allOf' ? 'allOf' : 'anyOf', after, { decision: input.decision, origin: mine.origin });
    await auditApproval(tx, ctx, a, input.decision, { stepIndex: step.index, taskId: mine.id, comment, stepOutcome: outcome });

    if (outcome === 'rejected') {
      await tx.approvalStep.update({ where: { id: step.id }, data: { state: 'rejected', decidedAt: at } });
      await finishApproval(tx, ctx, a, 'rejected', { reason: comment });
      return;
    }
    if (outcome === 'open') {
      await emitApprovalEvent(tx, a, 'approval.changed', {
        kind: 'agree', stepIndex: step.index, stepDone: false, taskId: mine.id, by: { id: ctx.actor.userId, name: ctx.actor.name }, at: isoShanghai(at),
      });
      return;
    }
    await tx.approvalStep.update({ where: { id: step.id }, data: { state: 'agreed', decidedAt: at } });
    // 或签: the others in the step need not act any more.
    await tx.approvalTask.updateMany({ where: { stepId: step.id, state: 'pending' }, data: { state: 'cancelled', decidedAt: at } });
    const next = await activateFrom(tx, ctx, a, step.index + 1);
    if (next === 'done') {
      await finishApproval(tx, ctx, a, 'approved');
    } else {
      await emitApprovalEvent(tx, a, 'approval.changed', {
        kind: 'agree', stepIndex: step.index, stepDone: true, taskId: mine.id, by: { id: ctx.actor.userId, name: ctx.actor.name }, at: isoShanghai(at),
      });
    }
  });
  return getApproval(ctx, approvalId);
}
