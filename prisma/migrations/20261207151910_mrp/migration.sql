-- CreateEnum
CREATE TYPE "mrp_run_state" AS ENUM ('running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "mrp_suggestion_kind" AS ENUM ('purchase', 'production');

-- CreateEnum
CREATE TYPE "mrp_suggestion_state" AS ENUM ('suggested', 'firmed', 'released');

-- CreateTable
CREATE TABLE "mrp_run" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "state" "mrp_run_state" NOT NULL DEFAULT 'running',
    "started_by_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "progress" INTEGER NOT NULL DEFAULT 0,
    "stage" VARCHAR(100) NOT NULL DEFAULT '',
    "purchase_count" INTEGER NOT NULL DEFAULT 0,
    "production_count" INTEGER NOT NULL DEFAULT 0,
    "past_due_count" INTEGER NOT NULL DEFAULT 0,
    "purchase_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "error" VARCHAR(1000),

    CONSTRAINT "mrp_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mrp_suggestion" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "kind" "mrp_suggestion_kind" NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    "order_date" DATE NOT NULL,
    "due_date" DATE NOT NULL,
    "past_due" BOOLEAN NOT NULL DEFAULT false,
    "bom_version_id" UUID,
    "state" "mrp_suggestion_state" NOT NULL DEFAULT 'suggested',
    "materials" JSONB NOT NULL DEFAULT '[]',
    "released_doc_type" VARCHAR(30),
    "released_doc_id" UUID,
    "released_doc_no" VARCHAR(32),
    "released_at" TIMESTAMPTZ(3),
    "released_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "mrp_suggestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mrp_pegging" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "suggestion_id" UUID NOT NULL,
    "demand_kind" VARCHAR(30) NOT NULL,
    "demand_ref" VARCHAR(64),
    "demand_source_id" UUID,
    "parent_suggestion_id" UUID,
    "quantity" DECIMAL(18,4) NOT NULL,

    CONSTRAINT "mrp_pegging_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "mrp_run_company_id_started_at_idx" ON "mrp_run"("company_id", "started_at");

-- CreateIndex
CREATE INDEX "mrp_suggestion_company_id_state_idx" ON "mrp_suggestion"("company_id", "state");

-- CreateIndex
CREATE INDEX "mrp_suggestion_company_id_item_id_idx" ON "mrp_suggestion"("company_id", "item_id");

-- CreateIndex
CREATE INDEX "mrp_suggestion_company_id_run_id_idx" ON "mrp_suggestion"("company_id", "run_id");

-- CreateIndex
CREATE INDEX "mrp_pegging_company_id_suggestion_id_idx" ON "mrp_pegging"("company_id", "suggestion_id");

-- AddForeignKey
ALTER TABLE "mrp_suggestion" ADD CONSTRAINT "mrp_suggestion_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "mrp_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mrp_pegging" ADD CONSTRAINT "mrp_pegging_suggestion_id_fkey" FOREIGN KEY ("suggestion_id") REFERENCES "mrp_suggestion"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "mrp_run" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "mrp_run" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "mrp_run" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "mrp_run" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "mrp_suggestion" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "mrp_suggestion" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "mrp_suggestion" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "mrp_suggestion" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "mrp_pegging" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "mrp_pegging" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "mrp_pegging" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "mrp_pegging" TO yunqiao_system USING (true) WITH CHECK (true);

-- Hand-written (server/db/hand-written.ts): one running MRP run per company, so a second start is refused race-free
CREATE UNIQUE INDEX "mrp_run_one_running" ON "mrp_run"("company_id") WHERE "state" = 'running';
-- Progress is a percentage; suggestion and pegging quantities are positive
ALTER TABLE "mrp_run" ADD CONSTRAINT "mrp_run_progress_check" CHECK ("progress" >= 0 AND "progress" <= 100);
ALTER TABLE "mrp_suggestion" ADD CONSTRAINT "mrp_suggestion_quantity_check" CHECK ("quantity" > 0);
ALTER TABLE "mrp_pegging" ADD CONSTRAINT "mrp_pegging_quantity_check" CHECK ("quantity" > 0);

-- Upgraded companies' planners get the MRP permissions the seed gives new ones. The owner's updates pass RLS only while it is not forced.
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "role" SET "permissions" = array_append("permissions", 'mrp:read'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" IN ('planner', 'purchaser') AND NOT ('mrp:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
UPDATE "role" SET "permissions" = array_append("permissions", 'mrp:run'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'planner' AND NOT ('mrp:run' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
UPDATE "role" SET "permissions" = array_append("permissions", 'mrp:write'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'planner' AND NOT ('mrp:write' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
