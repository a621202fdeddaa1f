// 库存 (inventory): items, units, warehouses, the stock ledger (moves, levels, reservations,
// valuation), transfers and counts. Other modules use it only through what this file exports.
export { raiseShortages, reservationSql } from './stock/ledger.ts';
