-- CreateEnum
CREATE TYPE "bom_issue_method" AS ENUM ('kit', 'backflush');

-- AlterTable
ALTER TABLE "item" ADD COLUMN     "moq" DECIMAL(18,4) NOT NULL DEFAULT 0,
ADD COLUMN     "order_multiple" DECIMAL(18,4) NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "bom" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(32),
    "parent_item_id" UUID NOT NULL,
    "remark" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "bom_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bom_version" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "bom_id" UUID NOT NULL,
    "version_no" INTEGER NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,
    "batch_quantity" DECIMAL(18,4) NOT NULL DEFAULT 1,
    "remark" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "bom_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bom_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "component_item_id" UUID NOT NULL,
    "unit_id" UUID NOT NULL,
    "quantity" DECIMAL(18,6) NOT NULL,
    "factor" DECIMAL(18,6) NOT NULL,
    "base_quantity" DECIMAL(24,12) NOT NULL,
    "scrap_rate" DECIMAL(7,4),
    "issue_method" "bom_issue_method" NOT NULL DEFAULT 'kit',
    "operation" VARCHAR(50),
    "phantom" BOOLEAN NOT NULL DEFAULT false,
    "remark" VARCHAR(200),

    CONSTRAINT "bom_line_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "bom_company_id_parent_item_id_key" ON "bom"("company_id", "parent_item_id");

-- CreateIndex
CREATE UNIQUE INDEX "bom_company_id_code_key" ON "bom"("company_id", "code");

-- CreateIndex
CREATE INDEX "bom_version_company_id_bom_id_idx" ON "bom_version"("company_id", "bom_id");

-- CreateIndex
CREATE UNIQUE INDEX "bom_version_bom_id_version_no_key" ON "bom_version"("bom_id", "version_no");

-- CreateIndex
CREATE INDEX "bom_line_company_id_version_id_idx" ON "bom_line"("company_id", "version_id");

-- CreateIndex
CREATE INDEX "bom_line_company_id_component_item_id_idx" ON "bom_line"("company_id", "component_item_id");

-- AddForeignKey
ALTER TABLE "bom_version" ADD CONSTRAINT "bom_version_bom_id_fkey" FOREIGN KEY ("bom_id") REFERENCES "bom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bom_line" ADD CONSTRAINT "bom_line_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "bom_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "bom" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "bom" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "bom" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "bom" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "bom_version" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "bom_version" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "bom_version" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "bom_version" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "bom_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "bom_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "bom_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "bom_line" TO yunqiao_system USING (true) WITH CHECK (true);

-- Hand-written (server/db/hand-written.ts): the items and units a BOM names cannot be deleted while it names them
ALTER TABLE "bom" ADD CONSTRAINT "bom_parent_item_id_fkey" FOREIGN KEY ("parent_item_id") REFERENCES "item"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "bom_line" ADD CONSTRAINT "bom_line_component_item_id_fkey" FOREIGN KEY ("component_item_id") REFERENCES "item"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "bom_line" ADD CONSTRAINT "bom_line_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- Quantities per are positive, scrap below 100 %, a version ends on or after it starts, lot sizing is sane
ALTER TABLE "bom_line" ADD CONSTRAINT "bom_line_quantity_check" CHECK ("quantity" > 0 AND "factor" > 0 AND "base_quantity" > 0);
ALTER TABLE "bom_line" ADD CONSTRAINT "bom_line_scrap_rate_check" CHECK ("scrap_rate" IS NULL OR ("scrap_rate" >= 0 AND "scrap_rate" < 1));
ALTER TABLE "bom_version" ADD CONSTRAINT "bom_version_dates_check" CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from");
ALTER TABLE "bom_version" ADD CONSTRAINT "bom_version_batch_quantity_check" CHECK ("batch_quantity" > 0);
ALTER TABLE "item" ADD CONSTRAINT "item_lot_sizing_check" CHECK ("moq" >= 0 AND "order_multiple" > 0);

-- Upgraded companies' roles get the BOM permissions the seed gives new ones (计划员 maintains BOMs;
-- purchasing, warehouse, QC and accounting read them). The owner's updates pass RLS only while it is not forced.
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "role" SET "permissions" = array_append("permissions", 'bom:read'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" IN ('planner', 'purchaser', 'warehouse', 'qc', 'accountant') AND NOT ('bom:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
UPDATE "role" SET "permissions" = array_append("permissions", 'bom:write'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'planner' AND NOT ('bom:write' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
