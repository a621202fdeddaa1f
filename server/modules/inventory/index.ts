// What other modules (and the chat bot) may use of inventory: finding items by keyword, an item's
// stock position across warehouses, and the unit it sells in.
export { findItemsByKeyword, stockPositionOf } from './stock/queries.ts';
export { countItemsByKeyword, salesUnitOf } from './stock/lookup.ts';
