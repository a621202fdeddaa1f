-- CreateEnum
CREATE TYPE "account_category" AS ENUM ('asset', 'liability', 'equity', 'cost', 'profitLoss');

-- CreateEnum
CREATE TYPE "balance_direction" AS ENUM ('debit', 'credit');

-- CreateEnum
CREATE TYPE "period_state" AS ENUM ('open', 'closed');

-- CreateTable
CREATE TABLE "account" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "full_name" VARCHAR(200) NOT NULL,
    "parent_id" UUID,
    "level" INTEGER NOT NULL,
    "category" "account_category" NOT NULL,
    "direction" "balance_direction" NOT NULL,
    "has_children" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounting_period" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "state" "period_state" NOT NULL DEFAULT 'open',
    "last_voucher_no" INTEGER NOT NULL DEFAULT 0,
    "closed_at" TIMESTAMPTZ(3),
    "closed_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounting_period_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "voucher" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "seq" INTEGER NOT NULL,
    "number" VARCHAR(16) NOT NULL,
    "voucher_date" DATE NOT NULL,
    "summary" VARCHAR(200) NOT NULL,
    "total_debit" DECIMAL(20,2) NOT NULL,
    "total_credit" DECIMAL(20,2) NOT NULL,
    "source_type" VARCHAR(40),
    "source_id" UUID,
    "source_number" VARCHAR(40),
    "reversal_of_id" UUID,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "voucher_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "voucher_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "voucher_id" UUID NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "line_no" INTEGER NOT NULL,
    "account_id" UUID NOT NULL,
    "summary" VARCHAR(200) NOT NULL,
    "debit" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "credit" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "customer_id" UUID,
    "supplier_id" UUID,
    "department_id" UUID,
    "employee_id" UUID,
    "item_id" UUID,

    CONSTRAINT "voucher_line_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "account_company_id_parent_id_idx" ON "account"("company_id", "parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "account_company_id_code_key" ON "account"("company_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "accounting_period_company_id_period_key" ON "accounting_period"("company_id", "period");

-- CreateIndex
CREATE INDEX "voucher_company_id_source_type_source_id_idx" ON "voucher"("company_id", "source_type", "source_id");

-- CreateIndex
CREATE INDEX "voucher_company_id_voucher_date_idx" ON "voucher"("company_id", "voucher_date");

-- CreateIndex
CREATE UNIQUE INDEX "voucher_company_id_period_seq_key" ON "voucher"("company_id", "period", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "voucher_company_id_reversal_of_id_key" ON "voucher"("company_id", "reversal_of_id");

-- CreateIndex
CREATE INDEX "voucher_line_company_id_voucher_id_idx" ON "voucher_line"("company_id", "voucher_id");

-- CreateIndex
CREATE INDEX "voucher_line_company_id_period_account_id_idx" ON "voucher_line"("company_id", "period", "account_id");

-- CreateIndex
CREATE INDEX "voucher_line_company_id_account_id_idx" ON "voucher_line"("company_id", "account_id");

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "voucher_line" ADD CONSTRAINT "voucher_line_voucher_id_fkey" FOREIGN KEY ("voucher_id") REFERENCES "voucher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "voucher_line" ADD CONSTRAINT "voucher_line_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "account" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "account" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "account" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "account" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "accounting_period" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "accounting_period" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "accounting_period" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "accounting_period" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "voucher" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "voucher" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "voucher" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "voucher" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "voucher_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "voucher_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "voucher_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "voucher_line" TO yunqiao_system USING (true) WITH CHECK (true);

-- Hand-written: a line is a debit or a credit (the other 0); a voucher's totals agree and are not 0
ALTER TABLE "voucher_line" ADD CONSTRAINT "voucher_line_one_side" CHECK (("debit" = 0) <> ("credit" = 0));
ALTER TABLE "voucher" ADD CONSTRAINT "voucher_balanced" CHECK ("total_debit" = "total_credit" AND "total_debit" <> 0);
