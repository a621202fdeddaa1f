-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "chat_platform" AS ENUM ('lark', 'wecom', 'dingtalk', 'wechat');

-- CreateEnum
CREATE TYPE "data_scope" AS ENUM ('own', 'department', 'all');

-- CreateEnum
CREATE TYPE "taxpayer_kind" AS ENUM ('generalTaxpayer', 'smallScaleTaxpayer');

-- CreateEnum
CREATE TYPE "item_kind" AS ENUM ('raw', 'semiFinished', 'finished', 'purchased', 'service');

-- CreateEnum
CREATE TYPE "sourcing_kind" AS ENUM ('make', 'buy', 'outsource');

-- CreateEnum
CREATE TYPE "outbox_status" AS ENUM ('pending', 'delivered', 'dead');

-- CreateTable
CREATE TABLE "system_setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "system_setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "company" (
    "id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "tax_no" VARCHAR(32),
    "taxpayer_kind" "taxpayer_kind" NOT NULL DEFAULT 'generalTaxpayer',
    "base_currency" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "company_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "company_platform" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "platform" "chat_platform" NOT NULL,
    "org_key" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "company_platform_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "department" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "parent_id" UUID,
    "sort" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "department_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "username" VARCHAR(50) NOT NULL,
    "password_hash" VARCHAR(100) NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "employee_no" VARCHAR(32) NOT NULL,
    "mobile" VARCHAR(20),
    "email" VARCHAR(100),
    "department_id" UUID,
    "manager_id" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "role" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "permissions" TEXT[],
    "data_scope" "data_scope" NOT NULL DEFAULT 'own',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "role_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_role" (
    "company_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role_id" UUID NOT NULL,

    CONSTRAINT "user_role_pkey" PRIMARY KEY ("user_id","role_id")
);

-- CreateTable
CREATE TABLE "platform_identity" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "platform" "chat_platform" NOT NULL,
    "external_user_id" VARCHAR(100) NOT NULL,
    "union_id" VARCHAR(100),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "tax_no" VARCHAR(32),
    "industry" VARCHAR(50),
    "level" VARCHAR(1) NOT NULL DEFAULT 'C',
    "credit_limit" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "payment_term_days" INTEGER NOT NULL DEFAULT 30,
    "currency_code" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "owner_id" UUID,
    "phone" VARCHAR(30),
    "province" VARCHAR(20),
    "city" VARCHAR(30),
    "district" VARCHAR(30),
    "address" VARCHAR(200),
    "latitude" DECIMAL(9,6),
    "longitude" DECIMAL(9,6),
    "remark" VARCHAR(500),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "supplier" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "tax_no" VARCHAR(32),
    "category" VARCHAR(50),
    "payment_term_days" INTEGER NOT NULL DEFAULT 30,
    "currency_code" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "phone" VARCHAR(30),
    "province" VARCHAR(20),
    "city" VARCHAR(30),
    "address" VARCHAR(200),
    "bank_name" VARCHAR(100),
    "bank_account" VARCHAR(40),
    "remark" VARCHAR(500),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "supplier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "customer_id" UUID,
    "supplier_id" UUID,
    "name" VARCHAR(50) NOT NULL,
    "title" VARCHAR(50),
    "mobile" VARCHAR(20),
    "email" VARCHAR(100),
    "is_primary" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "unit" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(16) NOT NULL,
    "name" VARCHAR(20) NOT NULL,
    "precision" INTEGER NOT NULL DEFAULT 4,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "item_category" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "parent_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "item_category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "item" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "spec" VARCHAR(100),
    "category_id" UUID,
    "kind" "item_kind" NOT NULL,
    "sourcing" "sourcing_kind" NOT NULL DEFAULT 'buy',
    "base_unit_id" UUID NOT NULL,
    "purchase_unit_id" UUID,
    "sales_unit_id" UUID,
    "safety_stock" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "lead_time_days" INTEGER NOT NULL DEFAULT 0,
    "scrap_rate" DECIMAL(7,4) NOT NULL DEFAULT 0,
    "standard_cost" DECIMAL(18,6) NOT NULL DEFAULT 0,
    "sale_price" DECIMAL(18,6) NOT NULL DEFAULT 0,
    "tax_rate" DECIMAL(5,4) NOT NULL DEFAULT 0.13,
    "batch_tracked" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "unit_conversion" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "unit_id" UUID NOT NULL,
    "factor" DECIMAL(18,6) NOT NULL,

    CONSTRAINT "unit_conversion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "warehouse" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "address" VARCHAR(200),
    "manager_id" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "warehouse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "currency" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code" VARCHAR(3) NOT NULL,
    "name" VARCHAR(30) NOT NULL,
    "symbol" VARCHAR(5) NOT NULL,
    "is_base" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "currency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exchange_rate" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "currency_id" UUID NOT NULL,
    "rate_date" DATE NOT NULL,
    "rate" DECIMAL(18,6) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exchange_rate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "company_id" UUID NOT NULL,
    "user_id" UUID,
    "action" VARCHAR(40) NOT NULL,
    "entity" VARCHAR(40) NOT NULL,
    "entity_id" VARCHAR(64) NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "request_id" VARCHAR(64),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "document_sequence" (
    "company_id" UUID NOT NULL,
    "prefix" VARCHAR(10) NOT NULL,
    "day" VARCHAR(8) NOT NULL,
    "last_value" INTEGER NOT NULL,

    CONSTRAINT "document_sequence_pkey" PRIMARY KEY ("company_id","prefix","day")
);

-- CreateTable
CREATE TABLE "attachment" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "file_name" VARCHAR(200) NOT NULL,
    "mime_type" VARCHAR(100) NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "data" BYTEA NOT NULL,
    "entity" VARCHAR(40),
    "entity_id" VARCHAR(64),
    "uploaded_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "company_id" UUID NOT NULL,
    "type" VARCHAR(60) NOT NULL,
    "aggregate" VARCHAR(40),
    "aggregate_id" VARCHAR(64),
    "payload" JSONB NOT NULL,
    "status" "outbox_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_by" VARCHAR(64),
    "claimed_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "company_code_key" ON "company"("code");

-- CreateIndex
CREATE INDEX "company_platform_company_id_idx" ON "company_platform"("company_id");

-- CreateIndex
CREATE UNIQUE INDEX "company_platform_platform_org_key_key" ON "company_platform"("platform", "org_key");

-- CreateIndex
CREATE INDEX "department_company_id_parent_id_idx" ON "department"("company_id", "parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "department_company_id_code_key" ON "department"("company_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "department_company_id_id_key" ON "department"("company_id", "id");

-- CreateIndex
CREATE INDEX "app_user_company_id_department_id_idx" ON "app_user"("company_id", "department_id");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_company_id_username_key" ON "app_user"("company_id", "username");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_company_id_employee_no_key" ON "app_user"("company_id", "employee_no");

-- CreateIndex
CREATE UNIQUE INDEX "role_company_id_code_key" ON "role"("company_id", "code");

-- CreateIndex
CREATE INDEX "user_role_company_id_role_id_idx" ON "user_role"("company_id", "role_id");

-- CreateIndex
CREATE UNIQUE INDEX "platform_identity_company_id_platform_external_user_id_key" ON "platform_identity"("company_id", "platform", "external_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "platform_identity_company_id_user_id_platform_key" ON "platform_identity"("company_id", "user_id", "platform");

-- CreateIndex
CREATE INDEX "customer_company_id_owner_id_idx" ON "customer"("company_id", "owner_id");

-- CreateIndex
CREATE INDEX "customer_company_id_name_idx" ON "customer"("company_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "customer_company_id_code_key" ON "customer"("company_id", "code");

-- CreateIndex
CREATE INDEX "supplier_company_id_name_idx" ON "supplier"("company_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "supplier_company_id_code_key" ON "supplier"("company_id", "code");

-- CreateIndex
CREATE INDEX "contact_company_id_customer_id_idx" ON "contact"("company_id", "customer_id");

-- CreateIndex
CREATE INDEX "contact_company_id_supplier_id_idx" ON "contact"("company_id", "supplier_id");

-- CreateIndex
CREATE UNIQUE INDEX "unit_company_id_code_key" ON "unit"("company_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "unit_company_id_name_key" ON "unit"("company_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "item_category_company_id_code_key" ON "item_category"("company_id", "code");

-- CreateIndex
CREATE INDEX "item_company_id_name_idx" ON "item"("company_id", "name");

-- CreateIndex
CREATE INDEX "item_company_id_category_id_idx" ON "item"("company_id", "category_id");

-- CreateIndex
CREATE UNIQUE INDEX "item_company_id_code_key" ON "item"("company_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "unit_conversion_company_id_item_id_unit_id_key" ON "unit_conversion"("company_id", "item_id", "unit_id");

-- CreateIndex
CREATE UNIQUE INDEX "warehouse_company_id_code_key" ON "warehouse"("company_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "currency_company_id_code_key" ON "currency"("company_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "exchange_rate_company_id_currency_id_rate_date_key" ON "exchange_rate"("company_id", "currency_id", "rate_date");

-- CreateIndex
CREATE INDEX "audit_log_company_id_entity_entity_id_idx" ON "audit_log"("company_id", "entity", "entity_id");

-- CreateIndex
CREATE INDEX "audit_log_company_id_at_idx" ON "audit_log"("company_id", "at");

-- CreateIndex
CREATE INDEX "attachment_company_id_entity_entity_id_idx" ON "attachment"("company_id", "entity", "entity_id");

-- CreateIndex
CREATE INDEX "outbox_event_status_available_at_idx" ON "outbox_event"("status", "available_at");

-- CreateIndex
CREATE INDEX "outbox_event_company_id_type_idx" ON "outbox_event"("company_id", "type");

-- AddForeignKey
ALTER TABLE "company_platform" ADD CONSTRAINT "company_platform_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "department" ADD CONSTRAINT "department_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_manager_id_fkey" FOREIGN KEY ("manager_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_role" ADD CONSTRAINT "user_role_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_role" ADD CONSTRAINT "user_role_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "role"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "platform_identity" ADD CONSTRAINT "platform_identity_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer" ADD CONSTRAINT "customer_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "supplier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item_category" ADD CONSTRAINT "item_category_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "item_category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item" ADD CONSTRAINT "item_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "item_category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item" ADD CONSTRAINT "item_base_unit_id_fkey" FOREIGN KEY ("base_unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item" ADD CONSTRAINT "item_purchase_unit_id_fkey" FOREIGN KEY ("purchase_unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item" ADD CONSTRAINT "item_sales_unit_id_fkey" FOREIGN KEY ("sales_unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit_conversion" ADD CONSTRAINT "unit_conversion_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit_conversion" ADD CONSTRAINT "unit_conversion_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exchange_rate" ADD CONSTRAINT "exchange_rate_currency_id_fkey" FOREIGN KEY ("currency_id") REFERENCES "currency"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for new tenant tables
ALTER TABLE "company" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "company" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "company" USING ("id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "company" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "company_platform" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "company_platform" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "company_platform" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "company_platform" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "department" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "department" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "department" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "department" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "app_user" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "app_user" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "app_user" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "app_user" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "role" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "role" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "role" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "user_role" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "user_role" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "user_role" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "user_role" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "platform_identity" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "platform_identity" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "platform_identity" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "platform_identity" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "customer" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "customer" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "customer" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "customer" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "supplier" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "supplier" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "supplier" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "supplier" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "contact" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "contact" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "contact" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "contact" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "unit" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "unit" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "unit" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "unit" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "item_category" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "item_category" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "item_category" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "item_category" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "item" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "item" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "item" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "item" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "unit_conversion" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "unit_conversion" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "unit_conversion" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "unit_conversion" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "warehouse" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "warehouse" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "warehouse" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "warehouse" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "currency" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "currency" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "currency" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "currency" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "exchange_rate" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "exchange_rate" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "exchange_rate" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "exchange_rate" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "audit_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "audit_log" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "audit_log" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "document_sequence" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "document_sequence" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "document_sequence" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "document_sequence" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "attachment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "attachment" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "attachment" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "attachment" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "outbox_event" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "outbox_event" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "outbox_event" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "outbox_event" TO yunqiao_system USING (true) WITH CHECK (true);
