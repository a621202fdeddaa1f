// Small pure helpers the document rules share: amounts added up per item (a voucher shows one line per
// item and account, not one per document line), and a signed amount put on its debit or credit side.
import { Decimal } from 'decimal.js';
import type { PostingLine } from './registry.ts';

/** Sums per item, in the order the items first appear, with the item's kind (for its stock account). */
export function sumByItem<L extends { itemId: string; itemKind: string }>(lines: readonly L[], pick: (l: L) => Decimal.Value): { itemId: string; itemKind: string; total: Decimal }[] {
  const sums = new Map<string, { itemKind: string; total: Decimal }>();
  for (const l of lines) {
    const s = sums.get(l.itemId) ?? { itemKind: l.itemKind, total: new Decimal(0) };
    s.total = s.total.plus(pick(l));
    sums.set(l.itemId, s);
  }
  return [...sums].map(([itemId, s]) => ({ itemId, itemKind: s.itemKind, total: s.total }));
}

/** A debit of `amount` when it is positive, a credit of its absolute value when negative (blue entries only). */
export function debitOrCredit(amount: Decimal.Value, line: Omit<PostingLine, 'debit' | 'credit'>): PostingLine {
  const a = new Decimal(amount);
  return a.gte(0) ? { ...line, debit: a } : { ...line, credit: a.neg() };
}
