// postDocument: a business document's voucher, written in the document's own transaction (so a
// document that rolls back leaves no voucher, and one that cannot be posted — a closed period, an
// account that does not take postings — is refused whole).
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { writeVoucher, type WrittenVoucher } from '../vouchers/write.ts';
import { postingRuleOf, type PostingFacts } from './registry.ts';

/** Posts the document's voucher by its registered rule; null when the rule finds nothing to post. */
export async function postDocument<F extends PostingFacts>(tx: Tx, ctx: UseCaseContext, documentType: string, facts: F): Promise<WrittenVoucher | null> {
  const { rule } = postingRuleOf(documentType);
  const draft = rule(facts);
  if (!draft) return null;
  // Lines of 0 say nothing (a line given away free, goods of no recorded cost).
  const lines = draft.lines
    .map((l) => ({ ...l, debit: new Decimal(l.debit ?? 0), credit: new Decimal(l.credit ?? 0) }))
    .filter((l) => !l.debit.isZero() || !l.credit.isZero());
  if (!lines.length) return null;
  return writeVoucher(tx, ctx, {
    date: draft.date,
    summary: draft.summary,
    lines: lines.map(({ account, ...l }) => ({ ...l, accountCode: account })),
    source: { type: documentType, id: facts.documentId, number: facts.documentNumber },
    red: draft.red,
    origin: 'rule',
  });
}
