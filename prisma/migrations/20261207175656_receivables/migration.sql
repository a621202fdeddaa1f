-- CreateTable
CREATE TABLE "sales_invoice" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "customer_id" UUID NOT NULL,
    "order_id" UUID,
    "kind" VARCHAR(10) NOT NULL,
    "state" VARCHAR(10) NOT NULL DEFAULT 'draft',
    "invoice_no" VARCHAR(20),
    "invoice_date" DATE NOT NULL,
    "due_date" DATE NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "tax_amount" DECIMAL(18,2) NOT NULL,
    "amount_with_tax" DECIMAL(18,2) NOT NULL,
    "matched_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "billed_ahead" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "remark" VARCHAR(200),
    "created_by_id" UUID,
    "issued_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sales_invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales_invoice_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "order_line_id" UUID,
    "item_id" UUID,
    "description" VARCHAR(100) NOT NULL,
    "quantity" DECIMAL(18,4),
    "tax_rate" DECIMAL(5,4) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "tax_amount" DECIMAL(18,2) NOT NULL,
    "amount_with_tax" DECIMAL(18,2) NOT NULL,
    "billed_ahead" DECIMAL(18,2) NOT NULL DEFAULT 0,

    CONSTRAINT "sales_invoice_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_receipt" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "customer_id" UUID NOT NULL,
    "order_id" UUID,
    "received_on" DATE NOT NULL,
    "account_code" VARCHAR(10) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "advance_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "matched_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "method" VARCHAR(30),
    "remark" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_receipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ar_match" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "receipt_id" UUID NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "from_advance" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unmatched_at" TIMESTAMPTZ(3),
    "unmatched_by_id" UUID,

    CONSTRAINT "ar_match_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sales_invoice_company_id_customer_id_state_idx" ON "sales_invoice"("company_id", "customer_id", "state");

-- CreateIndex
CREATE INDEX "sales_invoice_company_id_order_id_idx" ON "sales_invoice"("company_id", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "sales_invoice_company_id_number_key" ON "sales_invoice"("company_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "sales_invoice_company_id_invoice_no_key" ON "sales_invoice"("company_id", "invoice_no");

-- CreateIndex
CREATE INDEX "sales_invoice_line_company_id_invoice_id_idx" ON "sales_invoice_line"("company_id", "invoice_id");

-- CreateIndex
CREATE INDEX "sales_invoice_line_company_id_order_line_id_idx" ON "sales_invoice_line"("company_id", "order_line_id");

-- CreateIndex
CREATE INDEX "customer_receipt_company_id_customer_id_idx" ON "customer_receipt"("company_id", "customer_id");

-- CreateIndex
CREATE INDEX "customer_receipt_company_id_order_id_idx" ON "customer_receipt"("company_id", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "customer_receipt_company_id_number_key" ON "customer_receipt"("company_id", "number");

-- CreateIndex
CREATE INDEX "ar_match_company_id_invoice_id_idx" ON "ar_match"("company_id", "invoice_id");

-- CreateIndex
CREATE INDEX "ar_match_company_id_receipt_id_idx" ON "ar_match"("company_id", "receipt_id");

-- AddForeignKey
ALTER TABLE "sales_invoice_line" ADD CONSTRAINT "sales_invoice_line_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "sales_invoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "sales_invoice" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales_invoice" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales_invoice" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "sales_invoice" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "sales_invoice_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales_invoice_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales_invoice_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "sales_invoice_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "customer_receipt" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "customer_receipt" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "customer_receipt" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "customer_receipt" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "ar_match" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ar_match" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ar_match" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "ar_match" TO yunqiao_system USING (true) WITH CHECK (true);

-- Hand-written: 核销 can never exceed an invoice's 价税合计 or a receipt's amount (the services check
-- first under row locks; these make an over-match impossible whatever the path)
ALTER TABLE "sales_invoice" ADD CONSTRAINT "sales_invoice_matched_check" CHECK ("matched_amount" >= 0 AND "matched_amount" <= "amount_with_tax");
ALTER TABLE "customer_receipt" ADD CONSTRAINT "customer_receipt_matched_check" CHECK ("amount" > 0 AND "matched_amount" >= 0 AND "matched_amount" <= "amount" AND "advance_amount" >= 0 AND "advance_amount" <= "amount");
ALTER TABLE "ar_match" ADD CONSTRAINT "ar_match_amount_check" CHECK ("amount" > 0 AND "from_advance" >= 0 AND "from_advance" <= "amount");
