// 采购: suppliers and their price lists, requisitions, purchase orders (and what is on order),
// receipts at the receipt day's exchange rate, and purchase returns.
// Today only the approvals engine reaches into it (to confirm an approved order); that wiring becomes
// purchase's own registration with approvals, so nothing is exported yet.
export {};
