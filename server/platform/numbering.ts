// 单据编号 PREFIX-YYYYMMDD-NNNN per company, prefix and day (Asia/Shanghai). The counter row is
// locked by the upsert until commit, so concurrent documents get distinct numbers, and a rolled
// back document gives its number back: no repeats, no gaps.
import type { Tx } from '../db/transaction.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { shanghaiDay } from '../../shared/time.ts';

/**
 * The counter upsert as SQL returning one row with column `number`: run it alone, or as a CTE of
 * the statement that writes the document — the counter row then stays locked only for the rest
 * of that statement and the commit, which is what all concurrent documents of the prefix wait for.
 */
export function documentNumberSql(companyId: string, prefix: string, at: Date = new Date()): Prisma.Sql {
  const day = shanghaiDay(at);
  return Prisma.sql`
    INSERT INTO document_sequence (company_id, prefix, day, last_value)
    VALUES (${companyId}::uuid, ${prefix}, ${day}, 1)
    ON CONFLICT (company_id, prefix, day) DO UPDATE SET last_value = document_sequence.last_value + 1
    RETURNING ${`${prefix}-${day}-`}::text || lpad(last_value::text, GREATEST(4, length(last_value::text)), '0') AS number`;
}

export async function nextDocumentNumber(tx: Tx, companyId: string, prefix: string, at: Date = new Date()): Promise<string> {
  const [row] = await tx.$queryRaw<{ number: string }[]>(documentNumberSql(companyId, prefix, at));
  return row!.number;
}
