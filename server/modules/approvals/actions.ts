// 撤回 / 转交 / 加签 / 评论 — each one transaction that locks the approval row first.
import crypto from 'node:crypto';
import type { Tx } from '../../db/transaction.ts';
import type { ApprovalAddApprover, ApprovalDetail, ApprovalTransfer } from '../../../shared/schemas/approvals.ts';
import { can } from '../../platform/actor.ts';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { addAction, auditApproval, emitApprovalEvent, finishApproval, lockApproval, touchApproval, type ApprovalRow } from './engine.ts';
import { getApproval } from './queries.ts';
import { alreadyHandled } from './service.ts';

/** 撤回: the applicant, while nobody has agreed or rejected yet; the document goes back to draft. */
export async function withdrawApproval(ctx: UseCaseContext, id: string, comment?: string | null): Promise<ApprovalDetail> {
  await runUseCase(ctx, async (tx) => {
    const a = await lockApproval(tx, id);
    if (a.applicantId !== ctx.actor.userId) throw forbidden('只有申请人可以撤回');
    if (a.state !== 'pending') throw await alreadyHandled(tx, a);
    const decided = await tx.approvalTask.count({ where: { approvalId: id, state: { in: ['agreed', 'rejected'] } } });
    if (decided > 0) throw new AppError('CONFLICT', '已有审批人处理，不能撤回');
    await addAction(tx, a, { actorId: ctx.actor.userId, action: 'withdraw', comment: comment ?? null });
    await touchApproval(tx, id);
    await auditApproval(tx, ctx, a, 'withdraw', { state: 'withdrawn', comment: comment ?? null });
    await finishApproval(tx, ctx, a, 'withdrawn', { reason: comment ?? null });
  });
  return getApproval(ctx, id);
}

/** The actor's pending task in the active step, or the reason they have none (409 / 403). */
async function currentTaskOf(tx: Tx, a: ApprovalRow, userId: string) {
  if (a.state !== 'pending') throw await alreadyHandled(tx, a);
  const step = await tx.approvalStep.findUniqueOrThrow({ where: { approvalId_index: { approvalId: a.id, index: a.currentStep } } });
  const task = await tx.approvalTask.findFirst({ where: { stepId: step.id, approverId: userId, state: 'pending' } });
  if (!task || step.state !== 'active') throw forbidden('你不是当前审批人');
  return { step, task };
}

/** Someone who can take a task in this step: exists, active, not the applicant, not already in it. */
async function checkNewApprover(tx: Tx, a: ApprovalRow, stepId: string, userId: string, field: string): Promise<string> {
  const user = await tx.user.findFirst({ where: { id: userId }, select: { id: true, name: true, active: true } });
  if (!user || !user.active) throw invalid(field, '用户不存在或已停用');
  if (userId === a.applicantId) throw invalid(field, '申请人不能审批自己的申请');
  const existing = await tx.approvalTask.findUnique({ where: { stepId_approverId: { stepId, approverId: userId } } });
  if (existing) throw new AppError('CONFLICT', `${user.name} 已是当前节点的审批人`, [{ field, message: '已是审批人' }]);
  return user.name;
}

/** 转交: the actor hands their task in the current step to another user. */
export async function transferApproval(ctx: UseCaseContext, id: string, input: ApprovalTransfer): Promise<ApprovalDetail> {
  await runUseCase(ctx, async (tx) => {
    const a = await lockApproval(tx, id);
    const { step, task } = await currentTaskOf(tx, a, ctx.actor.userId);
    if (input.toUserId === ctx.actor.userId) throw invalid('body.toUserId', '不能转交给自己');
    const toName = await checkNewApprover(tx, a, step.id, input.toUserId, 'body.toUserId');
    const at = new Date();
    await tx.approvalTask.update({ where: { id: task.id }, data: { state: 'transferred', decidedAt: at, comment: input.comment ?? null } });
    const created = await tx.approvalTask.create({
      data: { id: crypto.randomUUID(), companyId: a.companyId, approvalId: id, stepId: step.id, approverId: input.toUserId, origin: 'transfer' },
    });
    await addAction(tx, a, {
      actorId: ctx.actor.userId, action: 'transfer', taskId: created.id, comment: input.comment ?? null,
      payload: { stepIndex: step.index, fromTaskId: task.id, toUserId: input.toUserId, toName }, at,
    });
    await touchApproval(tx, id);
    await auditApproval(tx, ctx, a, 'transfer', { stepIndex: step.index, fromTaskId: task.id, toUserId: input.toUserId, taskId: created.id });
    await emitApprovalEvent(tx, a, 'approval.changed', {
      kind: 'transfer', stepIndex: step.index, stepName: step.name, by: { id: ctx.actor.userId, name: ctx.actor.name },
      taskIds: [created.id], approverIds: [input.toUserId], cancelledTaskIds: [task.id], comment: input.comment ?? null,
    });
  });
  return getApproval(ctx, id);
}

/** 加签: a current approver adds someone to the current step (或签: they may decide alone; 会签: they must agree too). */
export async function addApprover(ctx: UseCaseContext, id: string, input: ApprovalAddApprover): Promise<ApprovalDetail> {
  await runUseCase(ctx, async (tx) => {
    const a = await lockApproval(tx, id);
    const { step } = await currentTaskOf(tx, a, ctx.actor.userId);
    const name = await checkNewApprover(tx, a, step.id, input.userId, 'body.userId');
    const created = await tx.approvalTask.create({
      data: { id: crypto.randomUUID(), companyId: a.companyId, approvalId: id, stepId: step.id, approverId: input.userId, origin: 'addApprover' },
    });
    await addAction(tx, a, {
      actorId: ctx.actor.userId, action: 'addApprover', taskId: created.id, comment: input.comment ?? null,
      payload: { stepIndex: step.index, userId: input.userId, name },
    });
    await touchApproval(tx, id);
    await auditApproval(tx, ctx, a, 'addApprover', { stepIndex: step.index, userId: input.userId, taskId: created.id });
    await emitApprovalEvent(tx, a, 'approval.changed', {
      kind: 'addApprover', stepIndex: step.index, stepName: step.name, by: { id: ctx.actor.userId, name: ctx.actor.name },
      taskIds: [created.id], approverIds: [input.userId], comment: input.comment ?? null,
    });
  });
  return getApproval(ctx, id);
}

/** Whether the user takes part: applicant, approver at any step, CC'd. */
export async function isParticipant(tx: Tx, a: Pick<ApprovalRow, 'id' | 'applicantId'>, userId: string): Promise<boolean> {
  if (a.applicantId === userId) return true;
  const [tasks, cc] = await Promise.all([
    tx.approvalTask.count({ where: { approvalId: a.id, approverId: userId } }),
    tx.approvalCc.count({ where: { approvalId: a.id, userId } }),
  ]);
  return tasks + cc > 0;
}

/** 评论: anyone taking part (or allowed to read every approval), in any state. */
export async function commentOnApproval(ctx: UseCaseContext, id: string, comment: string): Promise<ApprovalDetail> {
  await runUseCase(ctx, async (tx) => {
    const a = await lockApproval(tx, id);
    if (!(await isParticipant(tx, a, ctx.actor.userId)) && !can(ctx.actor, 'approval:read')) throw notFound('审批');
    await addAction(tx, a, { actorId: ctx.actor.userId, action: 'comment', comment });
    await touchApproval(tx, id);
    await auditApproval(tx, ctx, a, 'comment', { comment });
    await emitApprovalEvent(tx, a, 'approval.changed', { kind: 'comment', by: { id: ctx.actor.userId, name: ctx.actor.name }, comment });
  });
  return getApproval(ctx, id);
}

/**
 * The document was cancelled while its approval ran: the approval ends as withdrawn without
 * touching the document again (the caller is changing it). No-op when nothing is pending.
 */
export async function closeDocumentApproval(tx: Tx, ctx: UseCaseContext, documentType: string, documentId: string, reason: string): Promise<void> {
  const pending = await tx.approval.findFirst({ where: { documentType, documentId, state: 'pending' }, select: { id: true } });
  if (!pending) return;
  const a = await lockApproval(tx, pending.id);
  if (a.state !== 'pending') return;
  await addAction(tx, a, { actorId: ctx.actor.userId, action: 'withdraw', comment: reason });
  await touchApproval(tx, a.id);
  await auditApproval(tx, ctx, a, 'withdraw', { state: 'withdrawn', reason });
  await finishApproval(tx, ctx, a, 'withdrawn', { reason, applyHook: false });
}

