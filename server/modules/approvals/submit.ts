// 提交审批 for any registered document type, in the document's own submit transaction: lock the
// document, find the first of its flows with steps for its facts, move it to 待审批, start.
import { ormOf, readTogether, type SqlTx } from '../../db/sql-session.ts';
import type { UseCaseContext } from '../../platform/services.ts';
import { currentFlows, firstPlanOf } from './flows.ts';
import { approvalDocument } from './registry.ts';
import { ruleText } from './rules.ts';
import { startApproval, type StartedApproval } from './service.ts';

/**
 * Sends the document to 待审批 and starts its approval, in the caller's transaction. Null when no
 * approval is needed (the caller goes on as if approved) or the document leaves it to the caller.
 * The document's lock and the flows are read together (one round trip on a pipelined session);
 * starting an approval takes the ORM (the lean path then runs again in a Prisma transaction).
 */
export async function submitForApproval<O = undefined>(
  tx: SqlTx,
  ctx: UseCaseContext,
  documentType: string,
  documentId: string,
  options?: O,
): Promise<StartedApproval | null> {
  const doc = approvalDocument(documentType);
  const [locked, flows] = await readTogether(tx, () => doc.lock(tx, documentId, options), () => currentFlows(tx, doc.businessTypes));
  if (!doc.submittable(locked, options)) return null;
  const facts = doc.facts(locked, options);
  const next = firstPlanOf(flows, doc.businessTypes, facts);
  if (!next) return null;
  const orm = ormOf(tx, '发起审批');
  const submit = { documentId, businessType: next.businessType, facts, rule: ruleText(next.planned.steps, next.planned.plan, facts) };
  const documentVersion = await doc.toPending(orm, ctx, locked, submit, options);
  const { title, summary, applicantId } = doc.describe(locked, submit, options);
  return startApproval(orm, ctx, {
    businessType: next.businessType, documentType, documentId, documentNumber: locked.number, documentVersion,
    applicantId: applicantId ?? ctx.actor.userId, facts, title, summary,
  });
}
