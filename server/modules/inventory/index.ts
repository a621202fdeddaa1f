// 库存: items, units and categories, warehouses; the stock ledger (the one place stock changes:
// moves, balances, levels, reservations, moving-average cost), transfers, counts and stock reports.
export { resolveLines } from './items/lines.ts';
export { factorFor, toBaseQuantity } from './items/units.ts';
export { changeQualityStatus, issueStock, onStockChange, raiseShortages, receiveStock, releaseReservations, reservationSql, type StockChangeListener } from './stock/ledger.ts';
export type { QualityChangeLine } from './stock/ledger.ts';
export { bookedShare, progressOf } from './stock/rules.ts';
export { findItemsByKeyword, freeStockOf, itemKeywordSql, stockPositionOf } from './stock/queries.ts';
export { countItemsByKeyword, salesUnitOf } from './stock/lookup.ts';
export { pendingInspectionStockOf, reservedByDemand } from './stock/planning-reads.ts';
export { itemMovesSince, movingAverageCosts, productionMovesBetween, type ItemMoveRow, type ProductionMonth } from './stock/costing-reads.ts';
export { revalueStock, type RevaluationLine } from './stock/revaluation.ts';
export { stockAdjustmentPosting, stockCountPosting } from './stock/voucher.ts';
