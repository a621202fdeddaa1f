-- AlterTable
ALTER TABLE "receipt_line" ADD COLUMN     "amount" DECIMAL(20,2) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "purchase_return" ADD COLUMN     "price_variance" DECIMAL(20,2) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "purchase_return_line" ADD COLUMN     "amount" DECIMAL(20,2) NOT NULL DEFAULT 0,
ADD COLUMN     "price_variance" DECIMAL(20,2) NOT NULL DEFAULT 0;


-- Lines written before this migration entered stock at base quantity × unit cost. The owner's
-- updates pass row-level security for every company only while it is not forced.
ALTER TABLE "receipt_line" NO FORCE ROW LEVEL SECURITY;
UPDATE "receipt_line" SET "amount" = round("base_quantity" * "unit_cost", 2);
ALTER TABLE "receipt_line" FORCE ROW LEVEL SECURITY;
ALTER TABLE "purchase_return_line" NO FORCE ROW LEVEL SECURITY;
UPDATE "purchase_return_line" SET "amount" = round("base_quantity" * "unit_cost", 2);
ALTER TABLE "purchase_return_line" FORCE ROW LEVEL SECURITY;

-- Stock value and the moving average never go negative, and stock at zero holds no value. Values
-- left negative (or stranded at zero quantity) by returns at receipt cost before this fix are set to 0
-- so the constraints can hold; the stock reconciliation report shows such items against their moves.
ALTER TABLE "item_stock" NO FORCE ROW LEVEL SECURITY;
UPDATE "item_stock" SET "value" = 0, "average_cost" = GREATEST("average_cost", 0) WHERE "value" < 0 OR ("quantity" = 0 AND "value" <> 0);
UPDATE "item_stock" SET "average_cost" = 0 WHERE "average_cost" < 0;
ALTER TABLE "item_stock" FORCE ROW LEVEL SECURITY;
ALTER TABLE "item_stock" ADD CONSTRAINT "item_stock_value_nonnegative" CHECK ("value" >= 0);
ALTER TABLE "item_stock" ADD CONSTRAINT "item_stock_average_cost_nonnegative" CHECK ("average_cost" >= 0);
ALTER TABLE "item_stock" ADD CONSTRAINT "item_stock_no_value_without_quantity" CHECK ("quantity" > 0 OR "value" = 0);
ALTER TABLE "purchase_return_line" ADD CONSTRAINT "purchase_return_line_amount_nonnegative" CHECK ("amount" >= 0);
ALTER TABLE "receipt_line" ADD CONSTRAINT "receipt_line_amount_nonnegative" CHECK ("amount" >= 0);
