// 科目余额表 — pure: from each account's own figures (opening net balance, the period's debits and
// credits), every account's roll-up over its sub-accounts, and balances shown on the side their sign
// puts them (借 when debit exceeds credit). The totals are over first-level accounts: opening and
// closing debit equal credit, and so do the period's, when the books balance.
import { Decimal } from 'decimal.js';

export interface TrialAccount {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  level: number;
  direction: 'debit' | 'credit';
  hasChildren: boolean;
}

export interface OwnFigures {
  /** Σ (debit − credit) before the period */
  opening: Decimal.Value;
  debit: Decimal.Value;
  credit: Decimal.Value;
}

type Sides = { debit: string; credit: string };
export interface TrialRow {
  accountId: string;
  code: string;
  name: string;
  level: number;
  direction: 'debit' | 'credit';
  postable: boolean;
  opening: Sides;
  period: Sides;
  closing: Sides;
}

const split = (net: Decimal): Sides => ({ debit: (net.gt(0) ? net : new Decimal(0)).toFixed(2), credit: (net.lt(0) ? net.neg() : new Decimal(0)).toFixed(2) });

export function trialBalance(accounts: readonly TrialAccount[], own: ReadonlyMap<string, OwnFigures>, opts: { all?: boolean } = {}) {
  const zero = () => ({ opening: new Decimal(0), debit: new Decimal(0), credit: new Decimal(0) });
  const sums = new Map(accounts.map((a) => [a.id, zero()]));
  const parentOf = new Map(accounts.map((a) => [a.id, a.parentId]));
  for (const [accountId, f] of own) {
    // Each account's own figures go to it and every ancestor.
    for (let at: string | null | undefined = accountId; at; at = parentOf.get(at)) {
      const s = sums.get(at);
      if (!s) break;
      s.opening = s.opening.plus(f.opening);
      s.debit = s.debit.plus(f.debit);
      s.credit = s.credit.plus(f.credit);
    }
  }
  const totals = zero();
  const t = { opening: { debit: new Decimal(0), credit: new Decimal(0) }, closing: { debit: new Decimal(0), credit: new Decimal(0) } };
  const rows: TrialRow[] = [];
  for (const a of [...accounts].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0))) {
    const s = sums.get(a.id)!;
    const closing = s.opening.plus(s.debit).minus(s.credit);
    if (a.level === 1) {
      totals.debit = totals.debit.plus(s.debit);
      totals.credit = totals.credit.plus(s.credit);
      const o = split(s.opening);
      const c = split(closing);
      t.opening.debit = t.opening.debit.plus(o.debit);
      t.opening.credit = t.opening.credit.plus(o.credit);
      t.closing.debit = t.closing.debit.plus(c.debit);
      t.closing.credit = t.closing.credit.plus(c.credit);
    }
    const quiet = s.opening.isZero() && s.debit.isZero() && s.credit.isZero();
    if (quiet && !opts.all) continue;
    rows.push({
      accountId: a.id, code: a.code, name: a.name, level: a.level, direction: a.direction, postable: !a.hasChildren,
      opening: split(s.opening), period: { debit: s.debit.toFixed(2), credit: s.credit.toFixed(2) }, closing: split(closing),
    });
  }
  const fixed = (x: { debit: Decimal; credit: Decimal }) => ({ debit: x.debit.toFixed(2), credit: x.credit.toFixed(2) });
  const result = { rows, totals: { opening: fixed(t.opening), period: fixed(totals), closing: fixed(t.closing) } };
  const balanced = t.opening.debit.eq(t.opening.credit) && totals.debit.eq(totals.credit) && t.closing.debit.eq(t.closing.credit);
  return { ...result, balanced };
}
