// The engine's moving parts shared by every use case: lock an approval, write its history and
// events, activate the next step (approvers resolved now, 自动去重, admin fallback, skipped when
// nobody is left) and end an approval (the registered document's hook in the same transaction).
import crypto from 'node:crypto';
import type { Tx } from '../../db/transaction.ts';
import type { Approval, Prisma } from '../../generated/prisma/client.ts';
import { z } from '../../../shared/schemas/common.ts';
import { isoShanghai } from '../../../shared/time.ts';
import { recordAudit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { emitEvent } from '../../platform/outbox.ts';
import type { UseCaseContext } from '../../platform/services.ts';
import { flowSteps } from './flows.ts';
import { loadOrgSnapshot } from './org.ts';
import { approvalDocumentOf } from './registry.ts';
import { stepApprovers } from './rules.ts';

export type ApprovalRow = Approval;

/** Locks the approval row (the first lock of every approval use case) and returns it. */
export async function lockApproval(tx: Tx, id: string): Promise<ApprovalRow> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM approval WHERE id = ${id}::uuid FOR UPDATE`;
  if (!locked.length) throw notFound('审批');
  return tx.approval.findUniqueOrThrow({ where: { id } });
}

export interface ActionInput {
  actorId: string | null;
  action: string;
  taskId?: string | null;
  comment?: string | null;
  payload?: Prisma.InputJsonValue;
  at?: Date;
}

/** One line of the approval's history (append-only). */
export async function addAction(tx: Tx, approval: Pick<ApprovalRow, 'id' | 'companyId'>, a: ActionInput): Promise<void> {
  await tx.approvalAction.create({
    data: {
      companyId: approval.companyId, approvalId: approval.id, actorId: a.actorId, action: a.action, taskId: a.taskId ?? null,
      comment: a.comment ?? null, payload: a.payload, at: a.at ?? new Date(),
    },
  });
}

/** An `approval.*` outbox event; every payload names the approval and its document. */
export async function emitApprovalEvent(tx: Tx, approval: ApprovalRow, type: string, payload: Record<string, Prisma.InputJsonValue | null>): Promise<void> {
  await emitEvent(tx, approval.companyId, {
    type, aggregate: 'approval', aggregateId: approval.id,
    payload: {
      approvalId: approval.id, businessType: approval.businessType, documentType: approval.documentType, documentId: approval.documentId,
      documentNumber: approval.documentNumber, documentVersion: approval.documentVersion, applicantId: approval.applicantId, title: approval.title,
      ...payload,
    },
  });
}

/** Audit entry of an approval action by a signed-in user. */
export async function auditApproval(tx: Tx, ctx: UseCaseContext, approval: ApprovalRow, action: string, after: Record<string, unknown>): Promise<void> {
  await recordAudit(tx, ctx, {
    action, entity: 'approval', entityId: approval.id,
    before: { state: approval.state, currentStep: approval.currentStep, version: approval.version }, after,
  });
}

const SubmitPayload = z.object({ plan: z.array(z.number().int()) });

/**
 * Activates the first step from `from` on that still has someone to ask: approvers are resolved
 * now (so earlier agreements and today's organisation count); a step left with nobody after
 * de-duplication is skipped. Emits `approval.requested` for the step it activates.
 */
export async function activateFrom(tx: Tx, ctx: UseCaseContext, approval: ApprovalRow, from: number): Promise<'active' | 'done'> {
  const steps = await tx.approvalStep.findMany({ where: { approvalId: approval.id }, orderBy: { index: 'asc' } });
  if (from >= steps.length) return 'done';
  const flow = await tx.approvalFlow.findUniqueOrThrow({ where: { id: approval.flowId } });
  const definition = flowSteps(flow);
  const submit = await tx.approvalAction.findFirstOrThrow({ where: { approvalId: approval.id, action: 'submit' }, orderBy: { id: 'asc' } });
  const { plan } = SubmitPayload.parse(submit.payload);
  const org = await loadOrgSnapshot(tx, approval.companyId);
  const { approvalRecusal } = await tx.company.findUniqueOrThrow({ where: { id: approval.companyId }, select: { approvalRecusal: true } });
  // 自动去重 also across a document's chained approvals (销售折扣 then 销售订单金额) on the same version.
  const chained = await tx.approval.findMany({
    where: { documentType: approval.documentType, documentId: approval.documentId, documentVersion: approval.documentVersion, state: 'approved' },
    select: { id: true },
  });
  const agreed = await tx.approvalTask.findMany({
    where: { approvalId: { in: [approval.id, ...chained.map((c) => c.id)] }, state: 'agreed' }, select: { approverId: true },
  });
  const agreedEarlier = new Set(agreed.map((t) => t.approverId));
  const now = new Date();
  for (const step of steps.slice(from)) {
    const rule = definition[plan[step.index] ?? -1];
    if (!rule) throw new Error(`审批 ${approval.id} 的第 ${step.index + 1} 个节点在流程中不存在`);
    const who = stepApprovers(rule.approvers, org, approval.applicantId, agreedEarlier, { recusal: approvalRecusal });
    if (!who.approverIds.length) {
      await tx.approvalStep.update({ where: { id: step.id }, data: { state: 'skipped', activatedAt: now, decidedAt: now } });
      await addAction(tx, approval, { actorId: null, action: 'skip', payload: { stepIndex: step.index, stepName: step.name, skipped: who.skipped }, at: now });
      continue;
    }
    await tx.approvalStep.update({ where: { id: step.id }, data: { state: 'active', activatedAt: now } });
    // A millisecond apart, so tasks list in the rule's order.
    const tasks = who.approverIds.map((approverId, i) => ({
      id: crypto.randomUUID(), companyId: approval.companyId, approvalId: approval.id, stepId: step.id, approverId, origin: who.origin,
      createdAt: new Date(now.getTime() + i),
    }));
    await tx.approvalTask.createMany({ data: tasks });
    await tx.approval.update({ where: { id: approval.id }, data: { currentStep: step.index } });
    await emitApprovalEvent(tx, approval, 'approval.requested', {
      stepIndex: step.index, stepName: step.name, mode: step.mode, origin: who.origin,
      taskIds: tasks.map((t) => t.id), approverIds: who.approverIds, skipped: who.skipped.map((s) => s.userId),
    });
    return 'active';
  }
  return 'done';
}

export type Outcome = 'approved' | 'rejected' | 'withdrawn';

/**
 * Ends the approval: state, who and when, open steps and tasks cancelled; then the document's
 * hook (order confirmed / back to draft) unless `applyHook` is false; then `approval.decided`.
 */
export async function finishApproval(
  tx: Tx,
  ctx: UseCaseContext,
  approval: ApprovalRow,
  outcome: Outcome,
  opts: { reason?: string | null; applyHook?: boolean } = {},
): Promise<ApprovalRow> {
  const at = new Date();
  const reason = opts.reason ?? null;
  const ended = await tx.approval.update({
    where: { id: approval.id },
    data: { state: outcome, decidedAt: at, decidedById: ctx.actor.userId, rejectReason: outcome === 'rejected' ? reason : null },
  });
  await tx.approvalTask.updateMany({ where: { approvalId: approval.id, state: 'pending' }, data: { state: 'cancelled', decidedAt: at } });
  await tx.approvalStep.updateMany({ where: { approvalId: approval.id, state: { in: ['waiting', 'active'] } }, data: { state: 'cancelled', decidedAt: at } });
  const hooks = opts.applyHook === false ? undefined : approvalDocumentOf(approval.documentType);
  if (hooks && outcome === 'approved') await hooks.onApproved(tx, ctx, ended);
  if (hooks && outcome === 'rejected') await hooks.onRejected(tx, ctx, ended, reason ?? '');
  if (hooks && outcome === 'withdrawn') await hooks.onWithdrawn(tx, ctx, ended);
  await emitApprovalEvent(tx, ended, 'approval.decided', {
    state: outcome, decidedBy: { id: ctx.actor.userId, name: ctx.actor.name }, at: isoShanghai(at), reason,
  });
  return ended;
}

/** Bumps the approval's version (every action changes what a card should show). */
export async function touchApproval(tx: Tx, id: string): Promise<void> {
  await tx.$executeRaw`UPDATE approval SET version = version + 1, updated_at = now() WHERE id = ${id}::uuid`;
}
