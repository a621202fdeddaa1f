-- CreateEnum
CREATE TYPE "expense_invoice_kind" AS ENUM ('special', 'ordinary', 'airTicket', 'railTicket', 'roadWaterTicket', 'none');

-- AlterTable
ALTER TABLE "sales_order" ADD COLUMN     "agreed_payment_date" DATE;

-- AlterTable
ALTER TABLE "shipment" ADD COLUMN     "deferred_amount_with_tax" DECIMAL(18,2) NOT NULL DEFAULT 0,
ADD COLUMN     "deferred_output_vat" DECIMAL(18,2) NOT NULL DEFAULT 0,
ADD COLUMN     "deferred_vat_moved_at" TIMESTAMPTZ(3),
ADD COLUMN     "deferred_vat_moved_by" VARCHAR(60),
ADD COLUMN     "output_vat_due_on" DATE;

-- AlterTable
ALTER TABLE "expense_claim_line" ADD COLUMN     "fare_and_fuel" DECIMAL(18,2),
ADD COLUMN     "invoice_kind" "expense_invoice_kind" NOT NULL DEFAULT 'none',
ADD COLUMN     "tax_amount" DECIMAL(18,2) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "finance_settings" ADD COLUMN     "air_rail_passenger_vat_rate" DECIMAL(5,4) NOT NULL DEFAULT 0.09,
ADD COLUMN     "road_water_passenger_vat_rate" DECIMAL(5,4) NOT NULL DEFAULT 0.03;

-- CreateIndex
CREATE INDEX "shipment_company_id_customer_id_idx" ON "shipment"("company_id", "customer_id");


-- Lines written before carry an invoice number but no type: an ordinary invoice (no deduction, as booked then).
UPDATE "expense_claim_line" SET "invoice_kind" = 'ordinary' WHERE "invoice_no" IS NOT NULL;
