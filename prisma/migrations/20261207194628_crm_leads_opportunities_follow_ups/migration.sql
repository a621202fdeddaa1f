-- CreateEnum
CREATE TYPE "lead_status" AS ENUM ('new', 'following', 'converted', 'invalid');

-- CreateEnum
CREATE TYPE "opportunity_stage_kind" AS ENUM ('open', 'won', 'lost', 'invalid');

-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "next_contact_on" DATE;

-- CreateTable
CREATE TABLE "lead" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "company" VARCHAR(100) NOT NULL,
    "title" VARCHAR(50),
    "phone" VARCHAR(30),
    "email" VARCHAR(100),
    "source" VARCHAR(20) NOT NULL,
    "status" "lead_status" NOT NULL DEFAULT 'new',
    "invalid_reason" VARCHAR(200),
    "owner_id" UUID,
    "customer_id" UUID,
    "opportunity_id" UUID,
    "converted_at" TIMESTAMPTZ(3),
    "remark" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opportunity_stage" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "name" VARCHAR(30) NOT NULL,
    "probability" DECIMAL(5,4) NOT NULL,
    "kind" "opportunity_stage_kind" NOT NULL DEFAULT 'open',
    "sort" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "opportunity_stage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opportunity" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "title" VARCHAR(100) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "expected_close_date" DATE NOT NULL,
    "stage_id" UUID NOT NULL,
    "probability" DECIMAL(5,4) NOT NULL,
    "close_reason" VARCHAR(200),
    "closed_at" TIMESTAMPTZ(3),
    "owner_id" UUID,
    "lead_id" UUID,
    "remark" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "opportunity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opportunity_stage_change" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "opportunity_id" UUID NOT NULL,
    "from_stage_id" UUID,
    "to_stage_id" UUID NOT NULL,
    "probability" DECIMAL(5,4) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "reason" VARCHAR(200),
    "changed_by_id" UUID NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "opportunity_stage_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow_up" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "customer_id" UUID,
    "opportunity_id" UUID,
    "lead_id" UUID,
    "type" VARCHAR(10) NOT NULL,
    "content" VARCHAR(2000) NOT NULL,
    "next_contact_on" DATE,
    "owner_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "follow_up_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "lead_company_id_owner_id_idx" ON "lead"("company_id", "owner_id");

-- CreateIndex
CREATE INDEX "lead_company_id_status_idx" ON "lead"("company_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "opportunity_stage_company_id_name_key" ON "opportunity_stage"("company_id", "name");

-- CreateIndex
CREATE INDEX "opportunity_company_id_owner_id_idx" ON "opportunity"("company_id", "owner_id");

-- CreateIndex
CREATE INDEX "opportunity_company_id_customer_id_idx" ON "opportunity"("company_id", "customer_id");

-- CreateIndex
CREATE INDEX "opportunity_company_id_expected_close_date_idx" ON "opportunity"("company_id", "expected_close_date");

-- CreateIndex
CREATE INDEX "opportunity_stage_change_company_id_opportunity_id_idx" ON "opportunity_stage_change"("company_id", "opportunity_id");

-- CreateIndex
CREATE INDEX "follow_up_company_id_customer_id_created_at_idx" ON "follow_up"("company_id", "customer_id", "created_at");

-- CreateIndex
CREATE INDEX "follow_up_company_id_owner_id_idx" ON "follow_up"("company_id", "owner_id");

-- CreateIndex
CREATE INDEX "follow_up_company_id_next_contact_on_idx" ON "follow_up"("company_id", "next_contact_on");

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "opportunity" ADD CONSTRAINT "opportunity_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "opportunity" ADD CONSTRAINT "opportunity_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "opportunity_stage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "opportunity" ADD CONSTRAINT "opportunity_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "opportunity_stage_change" ADD CONSTRAINT "opportunity_stage_change_opportunity_id_fkey" FOREIGN KEY ("opportunity_id") REFERENCES "opportunity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_opportunity_id_fkey" FOREIGN KEY ("opportunity_id") REFERENCES "opportunity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "lead" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "lead" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "lead" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "lead" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "opportunity_stage" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "opportunity_stage" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "opportunity_stage" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "opportunity_stage" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "opportunity" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "opportunity" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "opportunity" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "opportunity" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "opportunity_stage_change" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "opportunity_stage_change" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "opportunity_stage_change" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "opportunity_stage_change" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "follow_up" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "follow_up" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "follow_up" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "follow_up" TO yunqiao_system USING (true) WITH CHECK (true);

-- The sales roles of existing companies get the CRM permissions the seed gives them.
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "role" SET "permissions" = "permissions" || ARRAY['lead:read', 'lead:create', 'lead:update', 'lead:convert', 'opportunity:read', 'opportunity:create', 'opportunity:update', 'followUp:read', 'followUp:create'], "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'sales' AND NOT ('lead:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
UPDATE "role" SET "permissions" = "permissions" || ARRAY['lead:read', 'lead:create', 'lead:update', 'lead:delete', 'lead:assign', 'lead:convert', 'opportunity:read', 'opportunity:create', 'opportunity:update', 'opportunity:delete', 'opportunityStage:write', 'followUp:read', 'followUp:create', 'followUp:delete'], "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'sales_manager' AND NOT ('lead:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
