// 财务: currencies and their exchange rates (the rate in effect on a day, monthly averages); vouchers
// and statements will live here. The Shanghai date-only helpers sit beside the rates for now.
export { dateOnlyOf, dateOnlyToDb, monthStart, rateInEffect, todayInShanghai } from './currencies/rates.ts';
export { rateOnBasis } from './currencies/lookup.ts';
