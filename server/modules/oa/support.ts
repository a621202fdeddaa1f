// What the OA documents share: submitting into the approvals engine, names for replies, the
// latest approval of each document, and the way back to draft when an approval fails.
import type { Tx } from '../../db/transaction.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { BusinessType, DocumentFacts } from '../../../shared/schemas/approvals.ts';
import { DOCUMENT_STATE_LABELS } from '../../../shared/schemas/oa.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/services.ts';
import { planApproval } from '../approvals/flows.ts';
import { startApproval, type StartedApproval } from '../approvals/service.ts';

export type OaTable = 'expense_claim' | 'leave_request' | 'sales_contract';

export interface OaSubmit {
  table: OaTable;
  documentType: 'expenseClaim' | 'leaveRequest' | 'contract';
  businessType: BusinessType;
  id: string;
  /** 报销单 / 请假单 / 合同 */
  label: string;
  facts: DocumentFacts;
  title: string;
  summary: Record<string, Prisma.InputJsonValue>;
  /** how the document names its states, when not like the OA documents (合同: 评审中 / 已生效) */
  stateLabels?: Record<keyof typeof DOCUMENT_STATE_LABELS, string>;
}

/**
 * Locks the draft and, when the current flow has steps for it, moves it to 待审批 and starts the
 * approval. Null when no approval is needed (the caller approves the document itself).
 */
export async function submitOaDocument(tx: Tx, ctx: UseCaseContext, s: OaSubmit): Promise<StartedApproval | null> {
  const table = Prisma.raw(`"${s.table}"`);
  const [doc] = await tx.$queryRaw<{ state: keyof typeof DOCUMENT_STATE_LABELS; number: string }[]>`
    SELECT state::text AS state, number FROM ${table} WHERE id = ${s.id}::uuid FOR UPDATE`;
  if (!doc) throw notFound(s.label);
  if (doc.state !== 'draft') throw new AppError('CONFLICT', `${s.label}${(s.stateLabels ?? DOCUMENT_STATE_LABELS)[doc.state]}，不能提交`);
  if (!(await planApproval(tx, s.businessType, s.facts))) return null;
  const [{ version }] = (await tx.$queryRaw<{ version: number }[]>`
    UPDATE ${table} SET state = 'pendingApproval', updated_at = now(), version = version + 1 WHERE id = ${s.id}::uuid RETURNING version`) as [{ version: number }];
  await recordAudit(tx, ctx, { action: 'submit', entity: s.documentType, entityId: s.id, before: { state: 'draft' }, after: { state: 'pendingApproval', facts: s.facts } });
  return startApproval(tx, ctx, {
    businessType: s.businessType, documentType: s.documentType, documentId: s.id, documentNumber: doc.number, documentVersion: version,
    applicantId: ctx.actor.userId, facts: s.facts, title: s.title, summary: s.summary,
  });
}

/** pendingApproval → draft after a rejection or withdrawal. */
export async function oaBackToDraft(tx: Tx, ctx: UseCaseContext, table: OaTable, entity: string, id: string, reason: string | null): Promise<void> {
  const n = await tx.$executeRaw`
    UPDATE ${Prisma.raw(`"${table}"`)} SET state = 'draft', updated_at = now(), version = version + 1 WHERE id = ${id}::uuid AND state = 'pendingApproval'`;
  if (n !== 1) throw new AppError('CONFLICT', '单据不在待审批状态，审批结果不能应用');
  await recordAudit(tx, ctx, { action: 'backToDraft', entity, entityId: id, before: { state: 'pendingApproval' }, after: { state: 'draft', reason } });
}

/** Names of users and departments, one query each. */
export async function namesOf(tx: Tx, userIds: (string | null)[], departmentIds: (string | null)[]) {
  const u = [...new Set(userIds.filter((i): i is string => !!i))];
  const d = [...new Set(departmentIds.filter((i): i is string => !!i))];
  const [users, departments] = await Promise.all([
    u.length ? tx.user.findMany({ where: { id: { in: u } }, select: { id: true, name: true } }) : [],
    d.length ? tx.department.findMany({ where: { id: { in: d } }, select: { id: true, name: true } }) : [],
  ]);
  return { users: new Map(users.map((x) => [x.id, x.name])), departments: new Map(departments.map((x) => [x.id, x.name])) };
}

/** The newest approval id of each document. */
export async function latestApprovals(tx: Tx, documentType: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await tx.approval.findMany({ where: { documentType, documentId: { in: ids } }, orderBy: { createdAt: 'asc' }, select: { id: true, documentId: true } });
  return new Map(rows.map((r) => [r.documentId, r.id]));
}

/** Whether the user approves (or approved, or was handed) or is CC'd on an approval of this document: they may read it. */
export async function involvedInApproval(tx: Tx, userId: string, documentType: string, documentId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ involved: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM approval a
       WHERE a.document_type = ${documentType} AND a.document_id = ${documentId}::uuid
         AND (EXISTS (SELECT 1 FROM approval_task t WHERE t.approval_id = a.id AND t.approver_id = ${userId}::uuid)
              OR EXISTS (SELECT 1 FROM approval_cc c WHERE c.approval_id = a.id AND c.user_id = ${userId}::uuid))) AS involved`;
  return row?.involved === true;
}
