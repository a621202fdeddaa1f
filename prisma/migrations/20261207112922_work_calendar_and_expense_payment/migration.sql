-- CreateEnum
CREATE TYPE "work_calendar_kind" AS ENUM ('holiday', 'makeUpWorkday');

-- AlterTable
ALTER TABLE "expense_claim" ADD COLUMN     "paid_account" VARCHAR(100),
ADD COLUMN     "paid_at" TIMESTAMPTZ(3),
ADD COLUMN     "paid_by_id" UUID,
ADD COLUMN     "paid_on" DATE;

-- CreateTable
CREATE TABLE "work_calendar_day" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "kind" "work_calendar_kind" NOT NULL,
    "name" VARCHAR(40) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_calendar_day_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "work_calendar_day_company_id_date_key" ON "work_calendar_day"("company_id", "date");


-- Row-level security for new tenant tables
ALTER TABLE "work_calendar_day" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "work_calendar_day" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "work_calendar_day" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "work_calendar_day" TO yunqiao_system USING (true) WITH CHECK (true);

-- A payment is recorded whole (date, account, who, when), only on a paid claim (closed, no longer waiting)
ALTER TABLE "expense_claim" ADD CONSTRAINT "expense_claim_payment_whole" CHECK (("paid_at" IS NULL) = ("paid_on" IS NULL) AND ("paid_at" IS NULL) = ("paid_by_id" IS NULL) AND ("paid_at" IS NULL) = ("paid_account" IS NULL) AND ("paid_at" IS NULL OR ("state" = 'closed' AND NOT "ready_for_payment")));
ALTER TABLE "expense_claim" ADD CONSTRAINT "expense_claim_paid_by_id_fkey" FOREIGN KEY ("paid_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
