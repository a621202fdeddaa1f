-- CreateTable
CREATE TABLE "finance_settings" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "urban_construction_tax_rate" DECIMAL(5,4) NOT NULL DEFAULT 0.07,
    "education_surcharge_rate" DECIMAL(5,4) NOT NULL DEFAULT 0.03,
    "local_education_surcharge_rate" DECIMAL(5,4) NOT NULL DEFAULT 0.02,
    "six_taxes_half_relief" BOOLEAN NOT NULL DEFAULT false,
    "small_sales_surcharge_exempt" BOOLEAN NOT NULL DEFAULT true,
    "surcharge_exempt_threshold" DECIMAL(18,2) NOT NULL DEFAULT 100000,
    "boss_card_enabled" BOOLEAN NOT NULL DEFAULT true,
    "boss_card_time" VARCHAR(5) NOT NULL DEFAULT '18:00',
    "boss_card_last_date" VARCHAR(10),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "finance_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "finance_settings_company_id_key" ON "finance_settings"("company_id");


-- Row-level security for new tenant tables
ALTER TABLE "finance_settings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "finance_settings" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "finance_settings" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "finance_settings" TO yunqiao_system USING (true) WITH CHECK (true);
