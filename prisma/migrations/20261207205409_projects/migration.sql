-- CreateEnum
CREATE TYPE "project_status" AS ENUM ('active', 'closed');

-- AlterTable
ALTER TABLE "voucher_line" ADD COLUMN     "project_id" UUID;

-- CreateTable
CREATE TABLE "project" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "customer_id" UUID,
    "manager_id" UUID,
    "start_date" DATE,
    "end_date" DATE,
    "status" "project_status" NOT NULL DEFAULT 'active',
    "remark" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "project_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "project_company_id_status_idx" ON "project"("company_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "project_company_id_code_key" ON "project"("company_id", "code");

-- CreateIndex
CREATE INDEX "voucher_line_company_id_project_id_idx" ON "voucher_line"("company_id", "project_id");

-- AddForeignKey
ALTER TABLE "voucher_line" ADD CONSTRAINT "voucher_line_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project" ADD CONSTRAINT "project_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project" ADD CONSTRAINT "project_manager_id_fkey" FOREIGN KEY ("manager_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "project" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "project" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "project" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "project" TO yunqiao_system USING (true) WITH CHECK (true);

-- 项目 permissions for upgraded companies' roles, as the seed gives new ones: 会计 maintains projects, 销售经理 and 销售员 see them.
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "role" SET "permissions" = "permissions" || ARRAY['project:read', 'project:write'], "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'accountant' AND NOT ('project:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
UPDATE "role" SET "permissions" = array_append("permissions", 'project:read'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" IN ('sales', 'sales_manager') AND NOT ('project:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
