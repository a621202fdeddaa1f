// 结账前检查: every business document of the month must have its voucher. The engine imports no
// document module, so each module registers a check (like its posting rules) that lists its
// documents of the period whose voucher is missing; closing is refused while any is listed.
import { Prisma } from '../../../generated/prisma/client.ts';
import type { Tx } from '../../../db/transaction.ts';

/** A document of the period without its voucher, as the refusal names it. */
export interface UnpostedDocument {
  /** 销售发票 … */
  label: string;
  number: string;
}

export type CloseCheck = (tx: Tx, period: string) => Promise<UnpostedDocument[]>;

const checks = new Map<string, CloseCheck>();

/** Registered once per name (buildApp and the seed may both register). */
export function registerCloseCheck(name: string, check: CloseCheck): void {
  if (!checks.has(name)) checks.set(name, check);
}

export async function unpostedDocuments(tx: Tx, period: string): Promise<UnpostedDocument[]> {
  const found: UnpostedDocument[] = [];
  for (const check of checks.values()) found.push(...(await check(tx, period)));
  return found;
}

/** SQL: no voucher posted from this document (source type and id) exists. */
export function noVoucher(sourceType: string, documentId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (SELECT 1 FROM voucher v WHERE v.source_type = ${sourceType} AND v.source_id = ${documentId})`;
}
