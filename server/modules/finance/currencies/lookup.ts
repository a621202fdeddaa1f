// 折算汇率 from the stored rates: the spot rate of a day (the latest on or before it, the
// convention of every rate lookup here) or the month's average up to that day (rates.ts).
import type { Tx } from '../../../db/transaction.ts';
import type { ExchangeRateBasis } from '../../../generated/prisma/enums.ts';
import { dateOnlyOf, dateOnlyToDb, monthlyAverageRate, monthStart, rateInEffect, type RateInEffect } from './rates.ts';

/** The rate of `currencyCode` for `date` (YYYY-MM-DD) on `basis`; `undefined` for an unknown currency, `null` when no rate applies. */
export async function rateOnBasis(tx: Tx, currencyCode: string, date: string, basis: ExchangeRateBasis): Promise<RateInEffect | null | undefined> {
  const currency = await tx.currency.findFirst({ where: { code: currencyCode }, select: { id: true, code: true, isBase: true } });
  if (!currency) return undefined;
  if (currency.isBase) return rateInEffect(currency, [], date);
  const upTo = dateOnlyToDb(date);
  // The rate in effect on the month's first day, and every rate recorded from then through the date.
  const from = dateOnlyToDb(basis === 'monthlyAverage' ? monthStart(date) : date);
  const [before, within] = await Promise.all([
    tx.exchangeRate.findMany({ where: { currencyId: currency.id, rateDate: { lte: from } }, orderBy: { rateDate: 'desc' }, take: 1 }),
    basis === 'monthlyAverage' ? tx.exchangeRate.findMany({ where: { currencyId: currency.id, rateDate: { gt: from, lte: upTo } } }) : Promise.resolve([]),
  ]);
  const rates = [...before, ...within].map((r) => ({ rateDate: dateOnlyOf(r.rateDate), rate: r.rate.toFixed(6) }));
  return basis === 'monthlyAverage' ? monthlyAverageRate(currency, rates, date) : rateInEffect(currency, rates, date);
}
