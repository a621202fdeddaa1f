// Posts a 库存调整 or 盘点's voucher from the moves it just wrote (their signed values are what the
// ledger booked), in the document's transaction.
import type { Tx } from '../../../db/transaction.ts';
import { postDocument, todayInShanghai } from '../../finance/index.ts';
import type { UseCaseContext } from '../../../platform/services.ts';

export async function postStockVariance(tx: Tx, ctx: UseCaseContext, documentType: 'stockAdjustment' | 'stockCount', doc: { id: string; number: string; what: string }): Promise<void> {
  const moves = await tx.$queryRaw<{ item_id: string; kind: string; amount: string; occurred_at: Date }[]>`
    SELECT m.item_id::text, i.kind::text, m.amount::text, m.occurred_at
      FROM stock_move m JOIN item i ON i.id = m.item_id
     WHERE m.source_type = ${documentType} AND m.source_id = ${doc.id}
     ORDER BY m.id`;
  if (!moves.length) return;
  await postDocument(tx, ctx, documentType, {
    documentId: doc.id, documentNumber: doc.number, date: todayInShanghai(moves[0]!.occurred_at), what: doc.what,
    lines: moves.map((m) => ({ itemId: m.item_id, itemKind: m.kind, amount: m.amount })),
  });
}
