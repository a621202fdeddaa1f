-- CreateEnum
CREATE TYPE "PurchaseInvoiceType" AS ENUM ('special', 'ordinary');

-- AlterTable
ALTER TABLE "receipt_line" ADD COLUMN     "invoiced_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "purchase_invoice" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "invoice_no" VARCHAR(20) NOT NULL,
    "invoice_type" "PurchaseInvoiceType" NOT NULL,
    "supplier_id" UUID NOT NULL,
    "invoice_date" DATE NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,
    "tax_amount" DECIMAL(20,2) NOT NULL,
    "total_amount" DECIMAL(20,2) NOT NULL,
    "input_vat" DECIMAL(20,2) NOT NULL,
    "provisional_amount" DECIMAL(20,2) NOT NULL,
    "to_stock" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "to_cost_of_sales" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "settled_amount" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "remark" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "purchase_invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchase_invoice_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "receipt_line_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "base_quantity" DECIMAL(18,4) NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,
    "tax_amount" DECIMAL(20,2) NOT NULL,
    "provisional_amount" DECIMAL(20,2) NOT NULL,
    "cost_amount" DECIMAL(20,2) NOT NULL,
    "to_stock" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "to_cost_of_sales" DECIMAL(20,2) NOT NULL DEFAULT 0,

    CONSTRAINT "purchase_invoice_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "supplier_payment" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "supplier_id" UUID NOT NULL,
    "paid_on" DATE NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,
    "account_code" VARCHAR(20) NOT NULL,
    "payable_amount" DECIMAL(20,2) NOT NULL,
    "advance_amount" DECIMAL(20,2) NOT NULL,
    "settled_amount" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "remark" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "supplier_payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payable_settlement" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "supplier_id" UUID NOT NULL,
    "payment_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,
    "from_advance" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "settled_on" DATE NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payable_settlement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "purchase_invoice_company_id_supplier_id_invoice_date_idx" ON "purchase_invoice"("company_id", "supplier_id", "invoice_date");

-- CreateIndex
CREATE UNIQUE INDEX "purchase_invoice_company_id_number_key" ON "purchase_invoice"("company_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "purchase_invoice_company_id_supplier_id_invoice_no_key" ON "purchase_invoice"("company_id", "supplier_id", "invoice_no");

-- CreateIndex
CREATE INDEX "purchase_invoice_line_company_id_invoice_id_idx" ON "purchase_invoice_line"("company_id", "invoice_id");

-- CreateIndex
CREATE INDEX "purchase_invoice_line_company_id_receipt_line_id_idx" ON "purchase_invoice_line"("company_id", "receipt_line_id");

-- CreateIndex
CREATE INDEX "supplier_payment_company_id_supplier_id_paid_on_idx" ON "supplier_payment"("company_id", "supplier_id", "paid_on");

-- CreateIndex
CREATE UNIQUE INDEX "supplier_payment_company_id_number_key" ON "supplier_payment"("company_id", "number");

-- CreateIndex
CREATE INDEX "payable_settlement_company_id_payment_id_idx" ON "payable_settlement"("company_id", "payment_id");

-- CreateIndex
CREATE INDEX "payable_settlement_company_id_invoice_id_idx" ON "payable_settlement"("company_id", "invoice_id");

-- CreateIndex
CREATE INDEX "payable_settlement_company_id_supplier_id_idx" ON "payable_settlement"("company_id", "supplier_id");

-- AddForeignKey
ALTER TABLE "purchase_invoice_line" ADD CONSTRAINT "purchase_invoice_line_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "purchase_invoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "purchase_invoice" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "purchase_invoice" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "purchase_invoice" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "purchase_invoice" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "purchase_invoice_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "purchase_invoice_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "purchase_invoice_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "purchase_invoice_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "supplier_payment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "supplier_payment" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "supplier_payment" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "supplier_payment" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "payable_settlement" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "payable_settlement" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "payable_settlement" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "payable_settlement" TO yunqiao_system USING (true) WITH CHECK (true);
