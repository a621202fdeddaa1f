// What a document module asks about its own approvals: the latest one of each document, whether a
// user takes part in one (so may read the document), how many it had, and the pending one locked.
import type { Tx } from '../../db/transaction.ts';

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

/** How many approvals the document has had (any state). */
export function countDocumentApprovals(tx: Tx, documentType: string, documentId: string): Promise<number> {
  return tx.approval.count({ where: { documentType, documentId } });
}

/**
 * Locks the document's pending approval, if any: a use case that changes a document under
 * approval takes the locks in the order deciding does (approval, then document), so they cannot deadlock.
 */
export async function lockPendingApproval(tx: Tx, documentType: string, documentId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM approval WHERE document_type = ${documentType} AND document_id = ${documentId}::uuid AND state = 'pending' FOR UPDATE`;
}

/** The pending approvals of these documents, newest first (a customer's 360 shows what is in flight). */
export async function approvalsInFlight(tx: Tx, documents: { type: string; ids: string[] }[]) {
  const wanted = documents.filter((d) => d.ids.length);
  if (!wanted.length) return [];
  const rows = await tx.approval.findMany({
    where: { state: 'pending', OR: wanted.map((d) => ({ documentType: d.type, documentId: { in: d.ids } })) },
    orderBy: { createdAt: 'desc' },
    select: { id: true, title: true, documentType: true, documentId: true, documentNumber: true, state: true, createdAt: true },
  });
  return rows.map((r) => ({ ...r, state: r.state as string }));
}
