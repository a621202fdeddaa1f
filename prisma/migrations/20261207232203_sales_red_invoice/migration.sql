-- AlterTable
ALTER TABLE "sales_return_line" ADD COLUMN     "invoiced_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
ADD COLUMN     "invoiced_tax" DECIMAL(20,2) NOT NULL DEFAULT 0,
ADD COLUMN     "invoiced_total" DECIMAL(20,2) NOT NULL DEFAULT 0,
ADD COLUMN     "red_invoice_id" UUID;

-- AlterTable
ALTER TABLE "ar_match" ADD COLUMN     "red_invoice_id" UUID,
ALTER COLUMN "receipt_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "sales_red_invoice" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "customer_id" UUID NOT NULL,
    "return_id" UUID NOT NULL,
    "original_invoice_id" UUID NOT NULL,
    "red_invoice_no" VARCHAR(20),
    "invoice_date" DATE NOT NULL,
    "total_amount" DECIMAL(18,2) NOT NULL,
    "tax_amount" DECIMAL(18,2) NOT NULL,
    "currency_code" VARCHAR(3),
    "total_foreign" DECIMAL(18,2),
    "exchange_rate" DECIMAL(18,6),
    "matched_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sales_red_invoice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sales_red_invoice_company_id_customer_id_invoice_date_idx" ON "sales_red_invoice"("company_id", "customer_id", "invoice_date");

-- CreateIndex
CREATE INDEX "sales_red_invoice_company_id_original_invoice_id_idx" ON "sales_red_invoice"("company_id", "original_invoice_id");

-- CreateIndex
CREATE INDEX "sales_red_invoice_company_id_return_id_idx" ON "sales_red_invoice"("company_id", "return_id");

-- CreateIndex
CREATE UNIQUE INDEX "sales_red_invoice_company_id_number_key" ON "sales_red_invoice"("company_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "sales_red_invoice_company_id_red_invoice_no_key" ON "sales_red_invoice"("company_id", "red_invoice_no");

-- CreateIndex
CREATE INDEX "ar_match_company_id_red_invoice_id_idx" ON "ar_match"("company_id", "red_invoice_id");


-- Row-level security for new tenant tables
ALTER TABLE "sales_red_invoice" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales_red_invoice" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales_red_invoice" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "sales_red_invoice" TO yunqiao_system USING (true) WITH CHECK (true);

-- Hand-written (server/db/hand-written.ts): a match takes either a receipt or a 销售红字发票's credit;
-- a red invoice's credit is above 0 and never matched beyond it.
ALTER TABLE "ar_match" ADD CONSTRAINT "ar_match_source_check" CHECK (num_nonnulls("receipt_id", "red_invoice_id") = 1);
ALTER TABLE "sales_red_invoice" ADD CONSTRAINT "sales_red_invoice_matched_check" CHECK ("total_amount" > 0 AND "matched_amount" >= 0 AND "matched_amount" <= "total_amount");
