// 商机的计算: weighted amount (金额 × 赢单概率), the pipeline per stage and the forecast per month
// and salesperson. Pure: the service reads the rows, these add them up.
import { Decimal } from 'decimal.js';

export interface OpportunityFigures {
  amount: Decimal.Value;
  probability: Decimal.Value;
}

/** 加权金额 of one opportunity, to the fen. */
export function weightedAmount(o: OpportunityFigures): string {
  return new Decimal(o.amount).times(o.probability).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

/** Σ amount and Σ amount × probability (rounded once, at the end) of a group of opportunities. */
export function totals(rows: readonly OpportunityFigures[]): { count: number; amount: string; weightedAmount: string } {
  let amount = new Decimal(0);
  let weighted = new Decimal(0);
  for (const r of rows) {
    amount = amount.plus(r.amount);
    weighted = weighted.plus(new Decimal(r.amount).times(r.probability));
  }
  return { count: rows.length, amount: amount.toFixed(2), weightedAmount: weighted.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) };
}

/** The months from one YYYY-MM to another, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

/** The first day of a month and the first day of the month after it. */
export function monthRange(from: string, to: string): { start: string; end: string } {
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  const next = tm === 12 ? `${ty + 1}-01` : `${ty}-${String(tm + 1).padStart(2, '0')}`;
  return { start: `${from}-01`, end: `${next}-01` };
}
