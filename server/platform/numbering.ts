// 单据编号 PREFIX-YYYYMMDD-NNNN per company, prefix and day (Asia/Shanghai). The counter row is
// locked by the upsert until commit, so concurrent documents get distinct numbers, and a rolled
// back document gives its number back: no repeats, no gaps.
import type { Tx } from '../db/transaction.ts';
import { shanghaiDay } from '../../shared/time.ts';

export async function nextDocumentNumber(tx: Tx, companyId: string, prefix: string, at: Date = new Date()): Promise<string> {
  const day = shanghaiDay(at);
  const [row] = await tx.$queryRaw<{ last_value: number }[]>`
    INSERT INTO document_sequence (company_id, prefix, day, last_value)
    VALUES (${companyId}::uuid, ${prefix}, ${day}, 1)
    ON CONFLICT (company_id, prefix, day) DO UPDATE SET last_value = document_sequence.last_value + 1
    RETURNING last_value`;
  return `${prefix}-${day}-${String(row!.last_value).padStart(4, '0')}`;
}
