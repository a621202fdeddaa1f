// 催办与升级: a step waiting longer than the flow's remindAfterHours gets one reminder; longer
// than escalateAfterHours (again every M hours) the pending approvers' managers are added to the
// step (origin 'escalation'; their agreement decides the step). Run by a worker with the system
// role and an explicit clock, so tests drive it without sleeping. Each step is one transaction
// that takes the approval's row lock with SKIP LOCKED: a decision in flight is left alone, and
// several server processes never handle the same step twice.
import crypto from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { Tx } from '../../db/transaction.ts';
import { isoShanghai } from '../../../shared/time.ts';
import { addAction, emitApprovalEvent, touchApproval } from './engine.ts';
import { loadOrgSnapshot } from './org.ts';
import { timersDue } from './rules.ts';

export interface TimerRun {
  reminded: number;
  escalated: number;
}

interface DueStep {
  step_id: string;
  approval_id: string;
}

export async function runApprovalTimers(system: Db, now: Date, opts: { limit?: number } = {}): Promise<TimerRun> {
  const due = await system.$queryRaw<DueStep[]>`
    SELECT s.id::text AS step_id, s.approval_id::text AS approval_id
      FROM approval_step s
      JOIN approval a ON a.id = s.approval_id
      JOIN approval_flow f ON f.id = a.flow_id
     WHERE s.state = 'active' AND a.state = 'pending' AND s.activated_at IS NOT NULL
       AND ((f.remind_after_hours IS NOT NULL AND s.reminded_at IS NULL
             AND s.activated_at + f.remind_after_hours * interval '1 hour' <= ${now})
         OR (f.escalate_after_hours IS NOT NULL
             AND coalesce(s.escalated_at, s.activated_at) + f.escalate_after_hours * interval '1 hour' <= ${now}))
     ORDER BY s.activated_at
     LIMIT ${opts.limit ?? 500}`;
  const run: TimerRun = { reminded: 0, escalated: 0 };
  for (const d of due) {
    const r = await system.$transaction((tx) => handleStep(tx, d, now), { maxWait: 10_000, timeout: 30_000 });
    run.reminded += r.reminded;
    run.escalated += r.escalated;
  }
  return run;
}

async function systemAudit(tx: Tx, companyId: string, action: string, approvalId: string, after: Record<string, unknown>): Promise<void> {
  await tx.auditLog.create({ data: { companyId, userId: null, action, entity: 'approval', entityId: approvalId, after: JSON.parse(JSON.stringify(after)) } });
}

async function handleStep(tx: Tx, d: DueStep, now: Date): Promise<TimerRun> {
  const none = { reminded: 0, escalated: 0 };
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM approval WHERE id = ${d.approval_id}::uuid AND state = 'pending' FOR UPDATE SKIP LOCKED`;
  if (!locked.length) return none;
  const step = await tx.approvalStep.findUniqueOrThrow({ where: { id: d.step_id } });
  if (step.state !== 'active') return none;
  const approval = await tx.approval.findUniqueOrThrow({ where: { id: d.approval_id } });
  const flow = await tx.approvalFlow.findUniqueOrThrow({ where: { id: approval.flowId } });
  const timers = timersDue(step, flow, now);
  const pending = await tx.approvalTask.findMany({ where: { stepId: step.id, state: 'pending' }, orderBy: { createdAt: 'asc' } });
  const out = { ...none };

  if (timers.remind) {
    await tx.approvalStep.update({ where: { id: step.id }, data: { remindedAt: now } });
    const payload = { stepIndex: step.index, stepName: step.name, taskIds: pending.map((t) => t.id), approverIds: pending.map((t) => t.approverId) };
    await addAction(tx, approval, { actorId: null, action: 'remind', payload, at: now });
    await emitApprovalEvent(tx, approval, 'approval.reminder', { ...payload, activatedAt: isoShanghai(step.activatedAt!), at: isoShanghai(now) });
    await systemAudit(tx, approval.companyId, 'remind', approval.id, payload);
    out.reminded = 1;
  }

  if (timers.escalate) {
    const org = await loadOrgSnapshot(tx, approval.companyId);
    const inStep = new Set((await tx.approvalTask.findMany({ where: { stepId: step.id }, select: { approverId: true } })).map((t) => t.approverId));
    const managers = [
      ...new Set(
        pending
          .map((t) => org.users.get(t.approverId)?.managerId ?? null)
          .filter((m): m is string => !!m && org.users.get(m)?.active === true && m !== approval.applicantId && !inStep.has(m)),
      ),
    ];
    const level = step.escalationLevel + (managers.length ? 1 : 0);
    await tx.approvalStep.update({ where: { id: step.id }, data: { escalatedAt: now, escalationLevel: level } });
    if (managers.length) {
      const created = Date.now();
      const tasks = managers.map((approverId, i) => ({
        id: crypto.randomUUID(), companyId: approval.companyId, approvalId: approval.id, stepId: step.id, approverId, origin: 'escalation',
        createdAt: new Date(created + i),
      }));
      await tx.approvalTask.createMany({ data: tasks });
      const payload = { stepIndex: step.index, stepName: step.name, level, from: pending.map((t) => t.approverId), taskIds: tasks.map((t) => t.id), approverIds: managers };
      await addAction(tx, approval, { actorId: null, action: 'escalate', payload, at: now });
      await emitApprovalEvent(tx, approval, 'approval.changed', { kind: 'escalate', ...payload, at: isoShanghai(now) });
      await systemAudit(tx, approval.companyId, 'escalate', approval.id, payload);
      out.escalated = 1;
    }
  }
  if (out.reminded || out.escalated) await touchApproval(tx, approval.id);
  return out;
}

