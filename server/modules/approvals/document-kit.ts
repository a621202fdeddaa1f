// What document types share in their approval wiring: the way back to 草稿 when an approval is
// rejected or withdrawn, and the hooks of a document whose submit works out its own facts and card.
import type { SqlTx } from '../../db/sql-session.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Approval, Prisma } from '../../generated/prisma/client.ts';
import type { BusinessType, DocumentFacts } from '../../../shared/schemas/approvals.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/services.ts';
import { addTimelineStep, type OrderType } from '../../platform/timeline.ts';
import type { ApprovalDocumentHooks } from './registry.ts';

export interface DraftReturn {
  /** 订单 / 采购订单 / 报销单 … as the messages name it */
  label: string;
  /** the audit entity, e.g. salesOrder */
  entity: string;
  /** pendingApproval → draft on the document's own table (version + 1); the rows changed */
  toDraft(tx: Tx, documentId: string): Promise<number>;
  /** the order timeline the step is written on, for documents that have one */
  timeline?: OrderType;
}

/** 驳回 / 撤回: the document goes back to 草稿 (with the reason on its timeline, if it has one), in the deciding transaction. */
export function backToDraft(doc: DraftReturn): Pick<ApprovalDocumentHooks, 'onRejected' | 'onWithdrawn'> {
  async function apply(tx: Tx, ctx: UseCaseContext, a: Approval, outcome: 'rejected' | 'withdrawn', message: string, reason: string | null) {
    if ((await doc.toDraft(tx, a.documentId)) !== 1) throw new AppError('CONFLICT', `${doc.label}不在待审批状态，审批结果不能应用`);
    if (doc.timeline) {
      await addTimelineStep(tx, ctx, {
        orderType: doc.timeline, orderId: a.documentId, number: a.documentNumber ?? '',
        kind: outcome === 'rejected' ? 'approvalRejected' : 'approvalWithdrawn', message, data: { approvalId: a.id, reason },
      });
    }
    await recordAudit(tx, ctx, {
      action: 'backToDraft', entity: doc.entity, entityId: a.documentId,
      before: { state: 'pendingApproval' }, after: { state: 'draft', approvalId: a.id, outcome, reason },
    });
  }
  return {
    async onRejected(tx, ctx, a, reason) {
      const shown = reason.length > 200 ? `${reason.slice(0, 200)}…` : reason;
      await apply(tx, ctx, a, 'rejected', `审批驳回（${ctx.actor.name}）：${shown}，${doc.label}退回草稿`, reason);
    },
    async onWithdrawn(tx, ctx, a) {
      await apply(tx, ctx, a, 'withdrawn', `${ctx.actor.name} 撤回审批，${doc.label}退回草稿`, null);
    },
  };
}

/** What the submit of a self-described document hands to `submitForApproval`. */
export interface DescribedSubmit {
  facts: DocumentFacts;
  title: string;
  summary: Record<string, Prisma.InputJsonValue>;
}

export interface LockedDraft<S extends string = string> {
  id: string;
  state: S;
  number: string;
}

export interface DraftDocument<S extends string> extends DraftReturn {
  businessType: BusinessType;
  route(documentId: string): string;
  /** how the document names its states (合同: 评审中 / 已生效 …) */
  stateLabels: Record<S, string>;
  /** the row FOR UPDATE, on the document's own table */
  lock(tx: SqlTx, documentId: string): PromiseLike<LockedDraft<S> | undefined>;
  /** draft → pendingApproval (version + 1); the new version */
  toPending(tx: Tx, documentId: string): Promise<number>;
  onApproved: ApprovalDocumentHooks['onApproved'];
}

/**
 * The hooks of a document whose submit has already read it and works out its facts and card
 * (费用报销, 请假, 合同): only a draft may be submitted (404 / 409 naming its state otherwise).
 */
export function draftDocumentHooks<S extends string>(doc: DraftDocument<S>): ApprovalDocumentHooks<LockedDraft<S>, DescribedSubmit> {
  return {
    label: doc.label,
    businessTypes: [doc.businessType],
    route: doc.route,
    lock: (tx, id) => doc.lock(tx, id),
    submittable(found): found is LockedDraft<S> {
      if (!found) throw notFound(doc.label);
      if (found.state !== 'draft') throw new AppError('CONFLICT', `${doc.label}${doc.stateLabels[found.state]}，不能提交`);
      return true;
    },
    facts: (_found, given) => given.facts,
    async toPending(tx, ctx, found, submit) {
      const version = await doc.toPending(tx, found.id);
      await recordAudit(tx, ctx, {
        action: 'submit', entity: doc.entity, entityId: found.id, before: { state: 'draft' }, after: { state: 'pendingApproval', facts: submit.facts },
      });
      return version;
    },
    describe: (_found, _submit, given) => ({ title: given.title, summary: given.summary }),
    onApproved: doc.onApproved,
    ...backToDraft(doc),
  };
}
