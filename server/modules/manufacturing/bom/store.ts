// The BOM graph in plain SQL: every (parent, component) pair of the company's BOM lines, read in one
// query for cycle checks, where-used and explosion (row-level security keeps it to the company).
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import { AppError } from '../../../platform/errors.ts';
import { runningMrpRun } from '../mrp/running.ts';

export interface BomEdgeRow {
  parentItemId: string;
  componentItemId: string;
}

/** Every parent → component pair of every version, leaving out one version's lines (the one being replaced). */
export async function bomEdges(tx: Tx, exceptVersionId?: string): Promise<BomEdgeRow[]> {
  const except = exceptVersionId ? Prisma.sql`WHERE l.version_id <> ${exceptVersionId}::uuid` : Prisma.empty;
  return tx.$queryRaw<BomEdgeRow[]>`
    SELECT DISTINCT b.parent_item_id::text AS "parentItemId", l.component_item_id::text AS "componentItemId"
      FROM bom_line l JOIN bom_version v ON v.id = l.version_id JOIN bom b ON b.id = v.bom_id ${except}`;
}

export interface BomUsageRow extends BomEdgeRow {
  bomId: string;
  versionNo: number;
  quantity: string;
  unitId: string;
  phantom: boolean;
  lineNo: number;
}

/** Every BOM line with its parent, of the versions valid on `date` (all versions without one). */
export async function bomUsages(tx: Tx, date?: Date): Promise<BomUsageRow[]> {
  const valid = date ? Prisma.sql`WHERE v.valid_from <= ${date}::date AND (v.valid_to IS NULL OR v.valid_to >= ${date}::date)` : Prisma.empty;
  return tx.$queryRaw<BomUsageRow[]>`
    SELECT b.id::text AS "bomId", b.parent_item_id::text AS "parentItemId", l.component_item_id::text AS "componentItemId",
           v.version_no AS "versionNo", l.quantity::text AS quantity, l.unit_id::text AS "unitId", l.phantom, l.line_no AS "lineNo"
      FROM bom_line l JOIN bom_version v ON v.id = l.version_id JOIN bom b ON b.id = v.bom_id ${valid}
     ORDER BY b.parent_item_id, v.version_no, l.line_no`;
}

/** One BOM write at a time per company: cycles and overlapping versions are checked against a graph no one else is changing. */
export async function lockBoms(tx: Tx, companyId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`bom:${companyId}`}, 0))`;
}

/**
 * The BOM lock for an edit. An MRP run holds it from reading the BOMs until its suggestions are
 * written: an edit then is refused with 409 naming the run (the run would not see it, and the
 * planner should know), rather than waiting without a word; another edit holding it is waited for.
 */
export async function lockBomsForEdit(tx: Tx, companyId: string): Promise<void> {
  const [lock] = await tx.$queryRaw<{ got: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtextextended(${`bom:${companyId}`}, 0)) AS got`;
  if (lock?.got) return;
  const running = await runningMrpRun(tx);
  if (running) throw new AppError('CONFLICT', `${running}，BOM 暂不能修改，请在计算完成后再保存`);
  await lockBoms(tx, companyId);
}

/** Every BOM with all its versions and lines (line order), for an MRP run under the BOM lock. */
export async function allBomsWithLines(tx: Tx) {
  return tx.bom.findMany({ include: { versions: { include: { lines: { orderBy: { lineNo: 'asc' } } } } } });
}
