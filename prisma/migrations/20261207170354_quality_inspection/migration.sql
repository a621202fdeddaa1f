-- CreateEnum
CREATE TYPE "quality_inspection_state" AS ENUM ('open', 'done');

-- CreateEnum
CREATE TYPE "quality_inspection_source" AS ENUM ('purchaseReceipt', 'productionReceipt');

-- AlterEnum
ALTER TYPE "stock_move_kind" ADD VALUE 'qualityInspection';

-- AlterTable
ALTER TABLE "company" ADD COLUMN     "reject_warehouse_id" UUID;

-- AlterTable
ALTER TABLE "item" ADD COLUMN     "inspection_required" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "quality_inspection" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "source_type" "quality_inspection_source" NOT NULL,
    "source_id" UUID NOT NULL,
    "source_line_id" UUID,
    "source_no" VARCHAR(32) NOT NULL,
    "item_id" UUID NOT NULL,
    "warehouse_id" UUID NOT NULL,
    "batch_no" VARCHAR(40) NOT NULL DEFAULT '',
    "quantity" DECIMAL(18,4) NOT NULL,
    "inspected_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "passed_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "failed_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "concession_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "state" "quality_inspection_state" NOT NULL DEFAULT 'open',
    "remark" VARCHAR(500),
    "inspected_by_id" UUID,
    "inspected_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "quality_inspection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "quality_inspection_company_id_state_idx" ON "quality_inspection"("company_id", "state");

-- CreateIndex
CREATE INDEX "quality_inspection_company_id_item_id_idx" ON "quality_inspection"("company_id", "item_id");

-- CreateIndex
CREATE INDEX "quality_inspection_company_id_source_id_idx" ON "quality_inspection"("company_id", "source_id");

-- CreateIndex
CREATE UNIQUE INDEX "quality_inspection_company_id_number_key" ON "quality_inspection"("company_id", "number");


-- Row-level security for new tenant tables
ALTER TABLE "quality_inspection" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "quality_inspection" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "quality_inspection" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "quality_inspection" TO yunqiao_system USING (true) WITH CHECK (true);

-- Hand-written: an inspection's results add up and never exceed what came in 待检 (a race past the row lock fails here)
ALTER TABLE "quality_inspection" ADD CONSTRAINT "quality_inspection_quantity_check" CHECK ("quantity" > 0 AND "passed_quantity" >= 0 AND "failed_quantity" >= 0 AND "concession_quantity" >= 0 AND "inspected_quantity" = "passed_quantity" + "failed_quantity" + "concession_quantity" AND "inspected_quantity" <= "quantity");
ALTER TABLE "quality_inspection" ADD CONSTRAINT "quality_inspection_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "quality_inspection" ADD CONSTRAINT "quality_inspection_warehouse_id_fkey" FOREIGN KEY ("warehouse_id") REFERENCES "warehouse"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "company" ADD CONSTRAINT "company_reject_warehouse_id_fkey" FOREIGN KEY ("reject_warehouse_id") REFERENCES "warehouse"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- 质检 permissions for upgraded companies' roles, as the seed gives new ones: 质检员 read + record, 仓管员 read.
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "role" SET "permissions" = "permissions" || ARRAY['qualityInspection:read', 'qualityInspection:record'], "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'qc' AND NOT ('qualityInspection:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
UPDATE "role" SET "permissions" = array_append("permissions", 'qualityInspection:read'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'warehouse' AND NOT ('qualityInspection:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
