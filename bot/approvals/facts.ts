// An approval as the card shows it, read with the system role for the planner (no user asking).
import type { Db } from '../../server/db/database.ts';
import type { Tx } from '../../server/db/transaction.ts';
import { AppError } from '../../server/platform/errors.ts';
import { loadApprovalDetail } from '../../server/modules/approvals/queries.ts';
import type { Actor } from '../../server/platform/actor.ts';
import type { ApprovalDetail, ApprovalListItem } from '../../shared/schemas/approvals.ts';
import type { ApprovalCardFacts } from '../cards/approval.ts';

/** Reads any approval of the company (the planner acts for the company, not for a user). */
function plannerActor(companyId: string): Actor {
  return { userId: '00000000-0000-0000-0000-000000000000', companyId, username: 'system', name: '系统', departmentId: null, permissions: new Set(['approval:read']), dataScope: 'all', departmentIds: [] };
}

/** In the planner's (system role) transaction; null when the approval is gone. */
export async function loadApprovalForCard(tx: Tx, db: Db, companyId: string, approvalId: string): Promise<ApprovalDetail | null> {
  try {
    return await loadApprovalDetail(tx, { db, actor: plannerActor(companyId) }, approvalId);
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

const fieldsOf = (summary: Record<string, unknown>): { label: string; value: string }[] =>
  Array.isArray(summary.fields)
    ? summary.fields.filter((f): f is { label: string; value: string } => typeof f?.label === 'string' && typeof f?.value === 'string')
    : [];

/** ApprovalDetail (or a list item: no history) → what the card shows. */
export function approvalCardFacts(d: ApprovalListItem & { history?: ApprovalDetail['history'] }): ApprovalCardFacts {
  return {
    approvalId: d.id,
    title: d.title,
    businessTypeLabel: d.businessTypeLabel,
    applicantName: d.applicant.name,
    documentNumber: d.documentNumber,
    fields: fieldsOf(d.summary),
    rule: typeof d.summary.rule === 'string' ? d.summary.rule : null,
    history: (d.history ?? []).map((h) => ({ who: h.actor?.name ?? '系统', action: h.action, at: h.at, comment: h.action === 'submit' ? null : h.comment })),
    state: d.state,
    stepName: d.currentStep?.name ?? null,
    decidedBy: d.decidedBy?.name ?? null,
    decidedAt: d.decidedAt,
    rejectReason: d.rejectReason,
    documentVersion: d.documentVersion,
    documentRoute: d.documentRoute ?? undefined,
  };
}
