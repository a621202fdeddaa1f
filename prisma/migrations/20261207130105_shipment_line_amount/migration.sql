-- AlterTable
ALTER TABLE "shipment_line" ADD COLUMN     "amount" DECIMAL(20,2) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "sales_return_line" ADD COLUMN     "amount" DECIMAL(20,2) NOT NULL DEFAULT 0;


-- Backfill: a shipment line is worth what its stock move took out (exact, to the fen); lines
-- without one fall back to quantity × the stored unit cost. Old sales returns came back at
-- round(quantity × unit cost, 2), which is what their moves recorded.
ALTER TABLE "shipment_line" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "stock_move" NO FORCE ROW LEVEL SECURITY;
UPDATE "shipment_line" sl SET "amount" = COALESCE(
  (SELECT -sum(m."amount") FROM "stock_move" m
    WHERE m."company_id" = sl."company_id" AND m."source_type" = 'shipment' AND m."source_id" = sl."shipment_id"::text AND m."source_line_id" = sl."id"::text),
  round(sl."base_quantity" * sl."unit_cost", 2));
ALTER TABLE "stock_move" FORCE ROW LEVEL SECURITY;
ALTER TABLE "shipment_line" FORCE ROW LEVEL SECURITY;
ALTER TABLE "sales_return_line" NO FORCE ROW LEVEL SECURITY;
UPDATE "sales_return_line" SET "amount" = round("base_quantity" * "unit_cost", 2);
ALTER TABLE "sales_return_line" FORCE ROW LEVEL SECURITY;
