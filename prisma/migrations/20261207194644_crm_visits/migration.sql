-- CreateEnum
CREATE TYPE "visit_state" AS ENUM ('planned', 'inProgress', 'done', 'cancelled', 'missed');

-- CreateEnum
CREATE TYPE "position_source" AS ENUM ('browser', 'lark', 'wecom', 'dingtalk');

-- CreateEnum
CREATE TYPE "coord_system" AS ENUM ('wgs84', 'gcj02', 'bd09');

-- AlterTable
ALTER TABLE "company" ADD COLUMN     "visit_min_minutes" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "visit_radius_meters" INTEGER NOT NULL DEFAULT 500;

-- CreateTable
CREATE TABLE "visit" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "salesperson_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "planned_at" TIMESTAMPTZ(3) NOT NULL,
    "purpose" VARCHAR(200),
    "state" "visit_state" NOT NULL DEFAULT 'planned',
    "close_reason" VARCHAR(200),
    "check_in_at" TIMESTAMPTZ(3),
    "captured_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "position_source" "position_source",
    "coord_system" "coord_system",
    "raw_lat" DECIMAL(10,7),
    "raw_lng" DECIMAL(10,7),
    "accuracy_meters" DECIMAL(10,1),
    "wgs_lat" DECIMAL(10,7),
    "wgs_lng" DECIMAL(10,7),
    "gcj_lat" DECIMAL(10,7),
    "gcj_lng" DECIMAL(10,7),
    "distance_meters" INTEGER,
    "radius_meters" INTEGER,
    "distance_warning" BOOLEAN NOT NULL DEFAULT false,
    "pin_proposed" BOOLEAN NOT NULL DEFAULT false,
    "pin_applied_at" TIMESTAMPTZ(3),
    "pin_applied_by_id" UUID,
    "notes" VARCHAR(2000),
    "next_step" VARCHAR(500),
    "opportunity_id" UUID,
    "opportunity_stage" VARCHAR(40),
    "check_out_at" TIMESTAMPTZ(3),
    "duration_minutes" INTEGER,
    "min_minutes" INTEGER,
    "too_short" BOOLEAN NOT NULL DEFAULT false,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "visit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "visit_company_id_salesperson_id_planned_at_idx" ON "visit"("company_id", "salesperson_id", "planned_at");

-- CreateIndex
CREATE INDEX "visit_company_id_customer_id_planned_at_idx" ON "visit"("company_id", "customer_id", "planned_at");

-- CreateIndex
CREATE INDEX "visit_company_id_state_planned_at_idx" ON "visit"("company_id", "state", "planned_at");

-- AddForeignKey
ALTER TABLE "visit" ADD CONSTRAINT "visit_salesperson_id_fkey" FOREIGN KEY ("salesperson_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "visit" ADD CONSTRAINT "visit_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "visit" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "visit" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "visit" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "visit" TO yunqiao_system USING (true) WITH CHECK (true);

-- 拜访 permissions for upgraded companies' roles, as the seed gives new ones: 销售员 read + write, 销售经理 also applies proposed pins.
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "role" SET "permissions" = "permissions" || ARRAY['visit:read', 'visit:write'], "updated_at" = now(), "version" = "version" + 1
 WHERE "code" IN ('sales', 'sales_manager') AND NOT ('visit:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
UPDATE "role" SET "permissions" = array_append("permissions", 'visit:confirm'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'sales_manager' AND NOT ('visit:confirm' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
