-- CreateTable
CREATE TABLE "sales_contract" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "title" VARCHAR(120) NOT NULL,
    "customer_id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "sign_date" DATE NOT NULL,
    "start_date" DATE,
    "end_date" DATE,
    "payment_terms" VARCHAR(200),
    "content" VARCHAR(2000),
    "attachment_id" UUID,
    "state" "document_state" NOT NULL DEFAULT 'draft',
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "sales_contract_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sales_contract_company_id_customer_id_idx" ON "sales_contract"("company_id", "customer_id");

-- CreateIndex
CREATE INDEX "sales_contract_company_id_owner_id_idx" ON "sales_contract"("company_id", "owner_id");

-- CreateIndex
CREATE UNIQUE INDEX "sales_contract_company_id_number_key" ON "sales_contract"("company_id", "number");


-- Row-level security for new tenant tables
ALTER TABLE "sales_contract" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales_contract" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales_contract" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "sales_contract" TO yunqiao_system USING (true) WITH CHECK (true);

-- Integrity the Prisma schema does not express
ALTER TABLE "sales_contract" ADD CONSTRAINT "sales_contract_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "sales_contract" ADD CONSTRAINT "sales_contract_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "sales_contract" ADD CONSTRAINT "sales_contract_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "sales_contract" ADD CONSTRAINT "sales_contract_attachment_id_fkey" FOREIGN KEY ("attachment_id") REFERENCES "attachment"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "sales_contract" ADD CONSTRAINT "sales_contract_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "sales_contract" ADD CONSTRAINT "sales_contract_period" CHECK ("end_date" IS NULL OR "start_date" IS NULL OR "end_date" >= "start_date");
