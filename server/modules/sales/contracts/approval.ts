// 销售合同 in the approvals engine (合同评审): a submitted draft goes to 评审中 when the flow has steps
// for its amount; approved → 已生效; rejected or withdrawn → back to 草稿.
import type { SqlTx } from '../../../db/sql-session.ts';
import type { Tx } from '../../../db/transaction.ts';
import { CONTRACT_STATE_LABELS, type ContractState } from '../../../../shared/schemas/contracts.ts';
import { draftDocumentHooks, type LockedDraft } from '../../approvals/index.ts';
import { approveContract } from './service.ts';

export const contractApproval = draftDocumentHooks<ContractState>({
  label: '合同', entity: 'contract', businessType: 'contractReview', stateLabels: CONTRACT_STATE_LABELS,
  route: (id) => `contracts/${id}`,
  lock: (tx: SqlTx, id: string) => tx.$queryRaw<LockedDraft<ContractState>[]>`
    SELECT id::text, state::text AS state, number FROM sales_contract WHERE id = ${id}::uuid FOR UPDATE`.then((rows) => rows[0]),
  toPending: async (tx: Tx, id: string) =>
    (await tx.salesContract.update({ where: { id }, data: { state: 'pendingApproval', version: { increment: 1 } }, select: { version: true } })).version,
  toDraft: async (tx: Tx, id: string) =>
    (await tx.salesContract.updateMany({ where: { id, state: 'pendingApproval' }, data: { state: 'draft', version: { increment: 1 } } })).count,
  onApproved: (tx, ctx, a) => approveContract(tx, ctx, a.documentId, 'pendingApproval'),
});
