-- CreateEnum
CREATE TYPE "approval_business_type" AS ENUM ('salesDiscount', 'salesOrderAmount', 'purchaseOrder', 'expenseClaim', 'leaveRequest', 'contractReview', 'general');

-- CreateEnum
CREATE TYPE "approval_state" AS ENUM ('pending', 'approved', 'rejected', 'withdrawn');

-- CreateEnum
CREATE TYPE "approval_step_state" AS ENUM ('waiting', 'active', 'agreed', 'rejected', 'skipped', 'cancelled');

-- CreateEnum
CREATE TYPE "approval_task_state" AS ENUM ('pending', 'agreed', 'rejected', 'transferred', 'skipped', 'cancelled');

-- CreateEnum
CREATE TYPE "expense_category" AS ENUM ('travel', 'meal', 'transport', 'office', 'entertainment', 'other');

-- CreateEnum
CREATE TYPE "leave_kind" AS ENUM ('annual', 'personal', 'sick', 'marriage', 'maternity', 'compensatory', 'other');

-- AlterTable
ALTER TABLE "department" ADD COLUMN     "head_id" UUID;

-- CreateTable
CREATE TABLE "approval_flow" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "business_type" "approval_business_type" NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "current" BOOLEAN NOT NULL DEFAULT true,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "steps" JSONB NOT NULL,
    "cc_user_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "remind_after_hours" INTEGER,
    "escalate_after_hours" INTEGER,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_flow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "flow_id" UUID NOT NULL,
    "business_type" "approval_business_type" NOT NULL,
    "document_type" VARCHAR(30) NOT NULL,
    "document_id" UUID NOT NULL,
    "document_number" VARCHAR(40),
    "document_version" INTEGER NOT NULL,
    "applicant_id" UUID NOT NULL,
    "state" "approval_state" NOT NULL DEFAULT 'pending',
    "current_step" INTEGER NOT NULL DEFAULT 0,
    "title" VARCHAR(120) NOT NULL,
    "summary" JSONB NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by_id" UUID,
    "reject_reason" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_step" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "approval_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "mode" VARCHAR(10) NOT NULL,
    "state" "approval_step_state" NOT NULL DEFAULT 'waiting',
    "activated_at" TIMESTAMPTZ(3),
    "decided_at" TIMESTAMPTZ(3),
    "reminded_at" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),
    "escalation_level" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "approval_step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_task" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "approval_id" UUID NOT NULL,
    "step_id" UUID NOT NULL,
    "approver_id" UUID NOT NULL,
    "state" "approval_task_state" NOT NULL DEFAULT 'pending',
    "origin" VARCHAR(20) NOT NULL DEFAULT 'rule',
    "comment" VARCHAR(500),
    "document_version" INTEGER,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_action" (
    "id" BIGSERIAL NOT NULL,
    "company_id" UUID NOT NULL,
    "approval_id" UUID NOT NULL,
    "actor_id" UUID,
    "action" VARCHAR(20) NOT NULL,
    "task_id" UUID,
    "comment" VARCHAR(500),
    "payload" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_cc" (
    "approval_id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_cc_pkey" PRIMARY KEY ("approval_id","user_id")
);

-- CreateTable
CREATE TABLE "approval_card" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "approval_id" UUID NOT NULL,
    "task_id" UUID,
    "platform" "chat_platform" NOT NULL,
    "target_id" VARCHAR(200) NOT NULL,
    "message_id" VARCHAR(200) NOT NULL,
    "response_code" VARCHAR(200),
    "response_code_spent" BOOLEAN NOT NULL DEFAULT false,
    "shows" VARCHAR(20),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_card_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "expense_claim" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "applicant_id" UUID NOT NULL,
    "department_id" UUID,
    "claim_date" DATE NOT NULL,
    "total_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "state" "document_state" NOT NULL DEFAULT 'draft',
    "ready_for_payment" BOOLEAN NOT NULL DEFAULT false,
    "remark" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "expense_claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "expense_claim_line" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "category" "expense_category" NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "invoice_no" VARCHAR(40),
    "attachment_id" UUID,
    "description" VARCHAR(200),
    "occurred_on" DATE,

    CONSTRAINT "expense_claim_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "leave_request" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "applicant_id" UUID NOT NULL,
    "department_id" UUID,
    "kind" "leave_kind" NOT NULL,
    "start_at" TIMESTAMPTZ(3) NOT NULL,
    "end_at" TIMESTAMPTZ(3) NOT NULL,
    "days" DECIMAL(6,1) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "state" "document_state" NOT NULL DEFAULT 'draft',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "leave_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "approval_flow_company_id_business_type_current_idx" ON "approval_flow"("company_id", "business_type", "current");

-- CreateIndex
CREATE UNIQUE INDEX "approval_flow_company_id_business_type_version_key" ON "approval_flow"("company_id", "business_type", "version");

-- CreateIndex
CREATE INDEX "approval_company_id_document_type_document_id_idx" ON "approval"("company_id", "document_type", "document_id");

-- CreateIndex
CREATE INDEX "approval_company_id_applicant_id_state_idx" ON "approval"("company_id", "applicant_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "approval_step_approval_id_index_key" ON "approval_step"("approval_id", "index");

-- CreateIndex
CREATE INDEX "approval_task_company_id_approver_id_state_idx" ON "approval_task"("company_id", "approver_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "approval_task_step_id_approver_id_key" ON "approval_task"("step_id", "approver_id");

-- CreateIndex
CREATE INDEX "approval_action_approval_id_at_idx" ON "approval_action"("approval_id", "at");

-- CreateIndex
CREATE INDEX "approval_cc_company_id_user_id_idx" ON "approval_cc"("company_id", "user_id");

-- CreateIndex
CREATE INDEX "approval_card_approval_id_idx" ON "approval_card"("approval_id");

-- CreateIndex
CREATE INDEX "expense_claim_company_id_applicant_id_idx" ON "expense_claim"("company_id", "applicant_id");

-- CreateIndex
CREATE UNIQUE INDEX "expense_claim_company_id_number_key" ON "expense_claim"("company_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "expense_claim_line_claim_id_line_no_key" ON "expense_claim_line"("claim_id", "line_no");

-- CreateIndex
CREATE INDEX "leave_request_company_id_department_id_start_at_idx" ON "leave_request"("company_id", "department_id", "start_at");

-- CreateIndex
CREATE UNIQUE INDEX "leave_request_company_id_number_key" ON "leave_request"("company_id", "number");

-- AddForeignKey
ALTER TABLE "expense_claim_line" ADD CONSTRAINT "expense_claim_line_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "expense_claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "approval_flow" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "approval_flow" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "approval_flow" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "approval_flow" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "approval" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "approval" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "approval" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "approval" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "approval_step" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "approval_step" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "approval_step" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "approval_step" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "approval_task" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "approval_task" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "approval_task" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "approval_task" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "approval_action" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "approval_action" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "approval_action" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "approval_action" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "approval_cc" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "approval_cc" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "approval_cc" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "approval_cc" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "approval_card" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "approval_card" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "approval_card" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "approval_card" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "expense_claim" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "expense_claim" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "expense_claim" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "expense_claim" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "expense_claim_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "expense_claim_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "expense_claim_line" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "expense_claim_line" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "leave_request" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "leave_request" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "leave_request" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "leave_request" TO yunqiao_system USING (true) WITH CHECK (true);

-- Written by hand (schema.prisma keeps these tables free of relation fields).
-- One running approval per document: a second submit while one is pending fails here.
CREATE UNIQUE INDEX "approval_one_pending_per_document" ON "approval" ("company_id", "document_type", "document_id") WHERE "state" = 'pending';
ALTER TABLE "department" ADD CONSTRAINT "department_head_id_fkey" FOREIGN KEY ("head_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "approval" ADD CONSTRAINT "approval_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "approval_flow"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "approval" ADD CONSTRAINT "approval_applicant_id_fkey" FOREIGN KEY ("applicant_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "approval_step" ADD CONSTRAINT "approval_step_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approval"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "approval_task" ADD CONSTRAINT "approval_task_step_id_fkey" FOREIGN KEY ("step_id") REFERENCES "approval_step"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "approval_task" ADD CONSTRAINT "approval_task_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approval"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "approval_task" ADD CONSTRAINT "approval_task_approver_id_fkey" FOREIGN KEY ("approver_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "approval_action" ADD CONSTRAINT "approval_action_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approval"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "approval_cc" ADD CONSTRAINT "approval_cc_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approval"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "approval_cc" ADD CONSTRAINT "approval_cc_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "approval_card" ADD CONSTRAINT "approval_card_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approval"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "expense_claim" ADD CONSTRAINT "expense_claim_applicant_id_fkey" FOREIGN KEY ("applicant_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "expense_claim_line" ADD CONSTRAINT "expense_claim_line_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "expense_claim" ADD CONSTRAINT "expense_claim_total_not_negative" CHECK ("total_amount" >= 0);
ALTER TABLE "leave_request" ADD CONSTRAINT "leave_request_applicant_id_fkey" FOREIGN KEY ("applicant_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "leave_request" ADD CONSTRAINT "leave_request_period" CHECK ("end_at" > "start_at" AND "days" > 0);
