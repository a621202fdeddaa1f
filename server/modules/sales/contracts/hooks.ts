// 销售合同 after its 合同评审, in the deciding transaction: approved → 已生效; rejected or withdrawn → 草稿.
import type { ApprovalDocumentHooks } from '../../approvals/hooks.ts';
import { oaBackToDraft } from '../../oa/support.ts';
import { approveContract } from './service.ts';

export const contractHooks: ApprovalDocumentHooks = {
  route: (id) => `contracts/${id}`,
  onApproved: (tx, ctx, a) => approveContract(tx, ctx, a.documentId, 'pendingApproval'),
  onRejected: (tx, ctx, a, reason) => oaBackToDraft(tx, ctx, 'sales_contract', 'contract', a.documentId, reason),
  onWithdrawn: (tx, ctx, a) => oaBackToDraft(tx, ctx, 'sales_contract', 'contract', a.documentId, null),
};
