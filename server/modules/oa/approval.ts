// 费用报销 and 请假 in the approvals engine: submitted drafts go to 待审批 when their flow has steps;
// approved → 已批准 (an expense claim also ready for payment); rejected or withdrawn → back to 草稿.
import type { SqlTx } from '../../db/sql-session.ts';
import type { Tx } from '../../db/transaction.ts';
import { DOCUMENT_STATE_LABELS, EXPENSE_STATE_LABELS } from '../../../shared/schemas/oa.ts';
import { draftDocumentHooks, type LockedDraft } from '../approvals/index.ts';
import { approveClaim } from './expenses.ts';
import { approveLeave } from './leave.ts';

type OaState = keyof typeof DOCUMENT_STATE_LABELS;
const firstRow = <T>(rows: T[]) => rows[0];

export const expenseClaimApproval = draftDocumentHooks<OaState>({
  label: '报销单', entity: 'expenseClaim', businessType: 'expenseClaim', stateLabels: EXPENSE_STATE_LABELS,
  route: (id) => `expense-claims/${id}`,
  lock: (tx: SqlTx, id: string) => tx.$queryRaw<LockedDraft<OaState>[]>`
    SELECT id::text, state::text AS state, number FROM expense_claim WHERE id = ${id}::uuid FOR UPDATE`.then(firstRow),
  toPending: async (tx: Tx, id: string) =>
    (await tx.expenseClaim.update({ where: { id }, data: { state: 'pendingApproval', version: { increment: 1 } }, select: { version: true } })).version,
  toDraft: async (tx: Tx, id: string) =>
    (await tx.expenseClaim.updateMany({ where: { id, state: 'pendingApproval' }, data: { state: 'draft', version: { increment: 1 } } })).count,
  onApproved: (tx, ctx, a) => approveClaim(tx, ctx, a.documentId, 'pendingApproval'),
});

export const leaveRequestApproval = draftDocumentHooks<OaState>({
  label: '请假单', entity: 'leaveRequest', businessType: 'leaveRequest', stateLabels: DOCUMENT_STATE_LABELS,
  route: (id) => `leave-requests/${id}`,
  lock: (tx: SqlTx, id: string) => tx.$queryRaw<LockedDraft<OaState>[]>`
    SELECT id::text, state::text AS state, number FROM leave_request WHERE id = ${id}::uuid FOR UPDATE`.then(firstRow),
  toPending: async (tx: Tx, id: string) =>
    (await tx.leaveRequest.update({ where: { id }, data: { state: 'pendingApproval', version: { increment: 1 } }, select: { version: true } })).version,
  toDraft: async (tx: Tx, id: string) =>
    (await tx.leaveRequest.updateMany({ where: { id, state: 'pendingApproval' }, data: { state: 'draft', version: { increment: 1 } } })).count,
  onApproved: (tx, ctx, a) => approveLeave(tx, ctx, a.documentId, 'pendingApproval'),
});
