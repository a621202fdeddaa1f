// The document types the engine knows: each document module registers what the engine needs of
// it (how to lock and submit it, its facts, what approval, rejection and withdrawal do to it), and
// the engine looks it up by documentType at call time — so approvals imports no document module.
import type { SqlTx } from '../../db/sql-session.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Approval, Prisma } from '../../generated/prisma/client.ts';
import type { BusinessType, DocumentFacts } from '../../../shared/schemas/approvals.ts';
import { AppError } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/services.ts';

/** What a submit found in the flows, handed to the document to move it to 待审批. */
export interface PendingSubmit {
  documentId: string;
  businessType: BusinessType;
  facts: DocumentFacts;
  /** 触发的规则, e.g. 折扣 15.0% 超过 10%，需销售经理审批 */
  rule: string;
}

/** The approval as cards and lists show it. */
export interface ApprovalDescription {
  /** e.g. 销售折扣审批 · SO-20261123-0001 */
  title: string;
  /** { fields: [{label, value}], … }; the engine adds `rule` and `facts` */
  summary: Record<string, Prisma.InputJsonValue>;
  /** the signed-in user when omitted */
  applicantId?: string;
}

/**
 * One document type's part in approvals. `D` is the document as its submit locks it, `O` what the
 * document's own submit passes to `submitForApproval` (e.g. 超信用额度放行).
 */
export interface ApprovalDocumentHooks<D extends { number: string | null } = { number: string | null }, O = undefined> {
  /** 销售订单, 报销单 … as messages name it */
  label: string;
  /** the business types whose flows the document passes, in this order (the first that has steps for its facts starts) */
  businessTypes: readonly BusinessType[];
  /** the document's page in the mini-app, e.g. sales-orders/<id> */
  route(documentId: string): string;
  /**
   * Locks the document row for its submit (FOR UPDATE). Send the statement before any await: order
   * entry sends it together with the read of the flows (one round trip on a pipelined session).
   */
  lock(tx: SqlTx, documentId: string, options: O): PromiseLike<D | undefined>;
  /**
   * Whether the locked document goes for approval: false leaves it to the caller (whose own
   * confirmation then refuses the state); or refuses (404 / 409) as the document sees fit.
   */
  submittable(doc: D | undefined, options: O): doc is D;
  /** the facts the flows' conditions read: amount in CNY, discount, expense categories, leave days … */
  facts(doc: D, options: O): DocumentFacts;
  /** Checks left for once a flow applies (e.g. credit), moves the draft to 待审批 and returns its new version. */
  toPending(tx: Tx, ctx: UseCaseContext, doc: D, submit: PendingSubmit, options: O): Promise<number>;
  describe(doc: D, submit: PendingSubmit, options: O): ApprovalDescription;
  /** the last step agreed: the document moves on (order confirmed and reserved …) */
  onApproved(tx: Tx, ctx: UseCaseContext, approval: Approval): Promise<void>;
  /** rejected with a reason: the document goes back to draft for the applicant */
  onRejected(tx: Tx, ctx: UseCaseContext, approval: Approval, reason: string): Promise<void>;
  /** withdrawn by the applicant: back to draft */
  onWithdrawn(tx: Tx, ctx: UseCaseContext, approval: Approval): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own D and O; the engine only passes them through
type AnyHooks = ApprovalDocumentHooks<any, any>;

const documents = new Map<string, AnyHooks>();

/** Approvals of this type carry their state only (no document behind them). */
export const GENERAL_DOCUMENT = 'general';

/** Adds a document type to the engine; a type is registered once (a second registration is a programming error). */
export function registerApprovalDocument<D extends { number: string | null }, O>(documentType: string, hooks: ApprovalDocumentHooks<D, O>): void {
  if (documentType === GENERAL_DOCUMENT || documents.has(documentType)) {
    throw new AppError('INTERNAL', `审批单据类型「${documentType}」已登记，不能重复登记`);
  }
  documents.set(documentType, hooks as AnyHooks);
}

export function isApprovalDocumentRegistered(documentType: string): boolean {
  return documents.has(documentType);
}

/** The hooks of a registered document type; refuses a type nobody registered. */
export function approvalDocument(documentType: string): AnyHooks {
  const hooks = documents.get(documentType);
  if (!hooks) throw new AppError('INTERNAL', `单据类型「${documentType}」未登记审批，不能提交或处理审批`);
  return hooks;
}

/** The document's page in the mini-app; null when its type has no document (or is not registered here). */
export function documentRoute(documentType: string, documentId: string): string | null {
  return documents.get(documentType)?.route(documentId) ?? null;
}

/** For ending an approval: undefined for 通用 approvals, which have no document. */
export function approvalDocumentOf(documentType: string): AnyHooks | undefined {
  return documentType === GENERAL_DOCUMENT ? undefined : approvalDocument(documentType);
}
