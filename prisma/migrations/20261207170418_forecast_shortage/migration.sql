-- CreateTable
CREATE TABLE "production_task_shortage" (
    "task_id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "short" BOOLEAN NOT NULL DEFAULT false,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "production_task_shortage_pkey" PRIMARY KEY ("task_id")
);

-- CreateTable
CREATE TABLE "sales_forecast" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "period" DATE NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    "warehouse_id" UUID,
    "remark" VARCHAR(500),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "sales_forecast_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "production_task_shortage_company_id_idx" ON "production_task_shortage"("company_id");

-- CreateIndex
CREATE INDEX "sales_forecast_company_id_period_idx" ON "sales_forecast"("company_id", "period");

-- CreateIndex
CREATE UNIQUE INDEX "sales_forecast_company_id_item_id_period_key" ON "sales_forecast"("company_id", "item_id", "period");

-- CreateIndex
CREATE INDEX "production_task_material_company_id_item_id_idx" ON "production_task_material"("company_id", "item_id");


-- Row-level security for new tenant tables
ALTER TABLE "production_task_shortage" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "production_task_shortage" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "production_task_shortage" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "production_task_shortage" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "sales_forecast" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sales_forecast" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sales_forecast" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "sales_forecast" TO yunqiao_system USING (true) WITH CHECK (true);

-- Hand-written: a forecast is a positive quantity for a whole month (stored as the month's first day)
ALTER TABLE "sales_forecast" ADD CONSTRAINT "sales_forecast_quantity_check" CHECK ("quantity" > 0 AND extract(day FROM "period") = 1);

-- Released tasks of upgraded companies start as "not short": the first re-check after a stock move alerts the short ones once.
INSERT INTO "production_task_shortage" ("task_id", "company_id", "short", "changed_at")
SELECT "id", "company_id", false, now() FROM "production_task" WHERE "state" IN ('released', 'in_progress') ON CONFLICT DO NOTHING;

-- 销售预测 permissions for upgraded companies' roles, as the seed gives new ones: 计划员 read + write, 销售经理 read + write.
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "role" SET "permissions" = "permissions" || ARRAY['forecast:read', 'forecast:write'], "updated_at" = now(), "version" = "version" + 1
 WHERE "code" IN ('planner', 'sales_manager') AND NOT ('forecast:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
