-- CreateEnum
CREATE TYPE "production_task_state" AS ENUM ('planned', 'released', 'in_progress', 'completed', 'closed', 'cancelled');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "stock_move_kind" ADD VALUE 'productionIssue';
ALTER TYPE "stock_move_kind" ADD VALUE 'productionReceipt';

-- CreateTable
CREATE TABLE "production_task" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "item_id" UUID NOT NULL,
    "bom_version_id" UUID,
    "quantity" DECIMAL(18,4) NOT NULL,
    "material_warehouse_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "planned_start" DATE NOT NULL,
    "planned_finish" DATE NOT NULL,
    "state" "production_task_state" NOT NULL DEFAULT 'planned',
    "source_kind" VARCHAR(20) NOT NULL DEFAULT 'manual',
    "sales_order_line_id" UUID,
    "mrp_suggestion_id" UUID,
    "kitted_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "received_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "issued_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "received_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "remark" VARCHAR(500),
    "created_by_id" UUID,
    "released_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "production_task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "production_task_material" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "task_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "item_id" UUID NOT NULL,
    "required_quantity" DECIMAL(18,4) NOT NULL,
    "issued_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "issued_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "issue_method" "bom_issue_method" NOT NULL,
    "operation" VARCHAR(50),

    CONSTRAINT "production_task_material_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "production_task_company_id_state_idx" ON "production_task"("company_id", "state");

-- CreateIndex
CREATE INDEX "production_task_company_id_item_id_idx" ON "production_task"("company_id", "item_id");

-- CreateIndex
CREATE UNIQUE INDEX "production_task_company_id_number_key" ON "production_task"("company_id", "number");

-- CreateIndex
CREATE INDEX "production_task_material_company_id_task_id_idx" ON "production_task_material"("company_id", "task_id");

-- CreateIndex
CREATE UNIQUE INDEX "production_task_material_task_id_line_no_key" ON "production_task_material"("task_id", "line_no");

-- AddForeignKey
ALTER TABLE "production_task_material" ADD CONSTRAINT "production_task_material_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "production_task"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "production_task" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "production_task" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "production_task" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "production_task" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "production_task_material" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "production_task_material" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "production_task_material" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "production_task_material" TO yunqiao_system USING (true) WITH CHECK (true);

-- Hand-written: quantities stay within the task (a race that slips past the service's lock fails here)
ALTER TABLE "production_task" ADD CONSTRAINT "production_task_quantity_check" CHECK ("quantity" > 0 AND "kitted_quantity" >= 0 AND "kitted_quantity" <= "quantity" AND "received_quantity" >= 0 AND "received_quantity" <= "quantity");
ALTER TABLE "production_task_material" ADD CONSTRAINT "production_task_material_quantity_check" CHECK ("required_quantity" >= 0 AND "issued_quantity" >= 0 AND "issued_quantity" <= "required_quantity");

-- 生产任务单 permissions for upgraded companies' roles, as the seed gives new ones: 计划员 all, 仓管员 read + issue.
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "role" SET "permissions" = "permissions" || ARRAY['productionTask:read', 'productionTask:create', 'productionTask:update', 'productionTask:issue'], "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'planner' AND NOT ('productionTask:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
UPDATE "role" SET "permissions" = "permissions" || ARRAY['productionTask:read', 'productionTask:issue'], "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'warehouse' AND NOT ('productionTask:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
