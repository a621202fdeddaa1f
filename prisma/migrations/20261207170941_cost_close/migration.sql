-- CreateEnum
CREATE TYPE "cost_allocation_basis" AS ENUM ('hours', 'output');

-- AlterEnum
ALTER TYPE "stock_move_kind" ADD VALUE 'costAdjustment';

-- CreateTable
CREATE TABLE "cost_close" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "state" VARCHAR(10) NOT NULL DEFAULT 'done',
    "labour_pool" DECIMAL(18,2) NOT NULL,
    "overhead_pool" DECIMAL(18,2) NOT NULL,
    "basis" "cost_allocation_basis" NOT NULL,
    "task_count" INTEGER NOT NULL,
    "material_total" DECIMAL(18,2) NOT NULL,
    "actual_total" DECIMAL(18,2) NOT NULL,
    "completed_total" DECIMAL(18,2) NOT NULL,
    "provisional_total" DECIMAL(18,2) NOT NULL,
    "wip_total" DECIMAL(18,2) NOT NULL,
    "revaluation_to_stock" DECIMAL(18,2) NOT NULL,
    "revaluation_to_cost_of_sales" DECIMAL(18,2) NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cost_close_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cost_close_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "close_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "task_id" UUID NOT NULL,
    "task_number" VARCHAR(32) NOT NULL,
    "item_id" UUID NOT NULL,
    "opening_wip" DECIMAL(18,2) NOT NULL,
    "material" DECIMAL(18,2) NOT NULL,
    "hours" DECIMAL(12,2) NOT NULL,
    "labour" DECIMAL(18,2) NOT NULL,
    "overhead" DECIMAL(18,2) NOT NULL,
    "actual_total" DECIMAL(18,2) NOT NULL,
    "received_quantity" DECIMAL(18,4) NOT NULL,
    "unreceived_quantity" DECIMAL(18,4) NOT NULL,
    "unit_cost" DECIMAL(18,6) NOT NULL,
    "completed_value" DECIMAL(18,2) NOT NULL,
    "provisional_value" DECIMAL(18,2) NOT NULL,
    "wip" DECIMAL(18,2) NOT NULL,
    "to_stock" DECIMAL(18,2) NOT NULL,
    "to_cost_of_sales" DECIMAL(18,2) NOT NULL,

    CONSTRAINT "cost_close_line_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "cost_close_company_id_period_key" ON "cost_close"("company_id", "period");

-- CreateIndex
CREATE INDEX "cost_close_line_company_id_task_id_idx" ON "cost_close_line"("company_id", "task_id");

-- CreateIndex
CREATE UNIQUE INDEX "cost_close_line_close_id_line_no_key" ON "cost_close_line"("close_id", "line_no");

-- AddForeignKey
ALTER TABLE "cost_close_line" ADD CONSTRAINT "cost_close_line_close_id_fkey" FOREIGN KEY ("close_id") REFERENCES "cost_close"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "cost_close" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "cost_close" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "cost_close" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "cost_close" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "cost_close_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "cost_close_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "cost_close_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "cost_close_line" TO yunqiao_system USING (true) WITH CHECK (true);
