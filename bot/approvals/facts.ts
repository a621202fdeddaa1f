// An approval as the card shows it: the facts an approval card is drawn from.
import type { ApprovalDetail, ApprovalListItem } from '../../shared/schemas/approvals.ts';
import type { ApprovalCardFacts } from '../cards/approval.ts';

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
