-- CreateTable
CREATE TABLE "work_report" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "task_id" UUID NOT NULL,
    "operation" VARCHAR(50),
    "good_quantity" DECIMAL(18,4) NOT NULL,
    "scrap_quantity" DECIMAL(18,4) NOT NULL,
    "hours" DECIMAL(10,2) NOT NULL,
    "worker_id" UUID NOT NULL,
    "work_date" DATE NOT NULL,
    "remark" VARCHAR(200),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "work_report_company_id_task_id_idx" ON "work_report"("company_id", "task_id");

-- CreateIndex
CREATE INDEX "work_report_company_id_work_date_idx" ON "work_report"("company_id", "work_date");

-- CreateIndex
CREATE UNIQUE INDEX "work_report_company_id_number_key" ON "work_report"("company_id", "number");

-- AddForeignKey
ALTER TABLE "work_report" ADD CONSTRAINT "work_report_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "production_task"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "work_report" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "work_report" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "work_report" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "work_report" TO yunqiao_system USING (true) WITH CHECK (true);

-- Hand-written: a report says something (a quantity or hours), never a negative; its worker is a user of the company
ALTER TABLE "work_report" ADD CONSTRAINT "work_report_figures_check" CHECK ("good_quantity" >= 0 AND "scrap_quantity" >= 0 AND "hours" >= 0 AND ("good_quantity" + "scrap_quantity" > 0 OR "hours" > 0));
ALTER TABLE "work_report" ADD CONSTRAINT "work_report_worker_id_fkey" FOREIGN KEY ("worker_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- 报工 permission for upgraded companies' planners, as the seed gives new ones.
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "role" SET "permissions" = "permissions" || ARRAY['productionTask:report'], "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'planner' AND NOT ('productionTask:report' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
