-- AlterTable
ALTER TABLE "purchase_return_line" ADD COLUMN     "red_invoice_id" UUID;

-- AlterTable
ALTER TABLE "payable_settlement" ADD COLUMN     "red_invoice_id" UUID,
ALTER COLUMN "payment_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "purchase_red_invoice" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "supplier_id" UUID NOT NULL,
    "return_id" UUID NOT NULL,
    "original_invoice_id" UUID NOT NULL,
    "red_invoice_no" VARCHAR(20),
    "invoice_date" DATE NOT NULL,
    "total_amount" DECIMAL(20,2) NOT NULL,
    "input_vat" DECIMAL(20,2) NOT NULL,
    "currency_code" VARCHAR(3),
    "total_foreign" DECIMAL(20,2),
    "exchange_rate" DECIMAL(18,6),
    "settled_amount" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "purchase_red_invoice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "purchase_red_invoice_company_id_supplier_id_invoice_date_idx" ON "purchase_red_invoice"("company_id", "supplier_id", "invoice_date");

-- CreateIndex
CREATE INDEX "purchase_red_invoice_company_id_original_invoice_id_idx" ON "purchase_red_invoice"("company_id", "original_invoice_id");

-- CreateIndex
CREATE INDEX "purchase_red_invoice_company_id_return_id_idx" ON "purchase_red_invoice"("company_id", "return_id");

-- CreateIndex
CREATE UNIQUE INDEX "purchase_red_invoice_company_id_number_key" ON "purchase_red_invoice"("company_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "purchase_red_invoice_company_id_supplier_id_red_invoice_no_key" ON "purchase_red_invoice"("company_id", "supplier_id", "red_invoice_no");

-- CreateIndex
CREATE INDEX "payable_settlement_company_id_red_invoice_id_idx" ON "payable_settlement"("company_id", "red_invoice_id");


-- Row-level security for new tenant tables
ALTER TABLE "purchase_red_invoice" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "purchase_red_invoice" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "purchase_red_invoice" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "purchase_red_invoice" TO yunqiao_system USING (true) WITH CHECK (true);

-- Hand-written (server/db/hand-written.ts): a settlement settles either a payment or a red invoice's
-- credit; a red invoice's credit is above 0 and never settled beyond it.
ALTER TABLE "payable_settlement" ADD CONSTRAINT "payable_settlement_source_check" CHECK (num_nonnulls("payment_id", "red_invoice_id") = 1);
ALTER TABLE "purchase_red_invoice" ADD CONSTRAINT "purchase_red_invoice_settled_check" CHECK ("total_amount" > 0 AND "settled_amount" >= 0 AND "settled_amount" <= "total_amount");
