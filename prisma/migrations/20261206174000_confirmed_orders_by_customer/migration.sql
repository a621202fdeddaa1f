-- A customer's credit exposure sums their confirmed (not yet closed) orders on every confirmation.
-- A customer with years of closed orders has few confirmed ones: this index holds only those, so
-- the sum reads them alone whatever plan is made for it (written by hand: schema.prisma cannot
-- express a partial index).
CREATE INDEX "sales_order_confirmed_by_customer_idx" ON "sales_order" ("company_id", "customer_id") WHERE "state" = 'confirmed';
