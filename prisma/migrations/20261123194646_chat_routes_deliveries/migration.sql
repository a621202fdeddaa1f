-- CreateEnum
CREATE TYPE "delivery_status" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "chat_inbound_event" (
    "platform" "chat_platform" NOT NULL,
    "event_id" VARCHAR(128) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_inbound_event_pkey" PRIMARY KEY ("platform","event_id")
);

-- CreateTable
CREATE TABLE "notification_route" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "topic" VARCHAR(40) NOT NULL,
    "platform" "chat_platform" NOT NULL,
    "target_kind" VARCHAR(10) NOT NULL,
    "target_id" VARCHAR(200) NOT NULL,
    "customer_id" UUID,
    "to_owner" BOOLEAN NOT NULL DEFAULT false,
    "name" VARCHAR(60),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_route_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notice_delivery" (
    "id" BIGSERIAL NOT NULL,
    "company_id" UUID NOT NULL,
    "event_id" BIGINT,
    "platform" "chat_platform" NOT NULL,
    "target_kind" VARCHAR(10) NOT NULL,
    "target_id" VARCHAR(200) NOT NULL,
    "card" JSONB,
    "text" TEXT,
    "idempotency_key" VARCHAR(120) NOT NULL,
    "status" "delivery_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_by" VARCHAR(64),
    "claimed_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "message_id" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notice_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notification_route_company_id_topic_idx" ON "notification_route"("company_id", "topic");

-- CreateIndex
CREATE INDEX "notice_delivery_status_available_at_idx" ON "notice_delivery"("status", "available_at");

-- CreateIndex
CREATE INDEX "notice_delivery_platform_target_id_sent_at_idx" ON "notice_delivery"("platform", "target_id", "sent_at");

-- CreateIndex
CREATE UNIQUE INDEX "notice_delivery_company_id_idempotency_key_key" ON "notice_delivery"("company_id", "idempotency_key");


-- Row-level security for new tenant tables
ALTER TABLE "notification_route" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notification_route" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "notification_route" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "notification_route" TO yunqiao_system USING (true) WITH CHECK (true);
ALTER TABLE "notice_delivery" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notice_delivery" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "notice_delivery" USING ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid) WITH CHECK ("company_id" = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY system_access ON "notice_delivery" TO yunqiao_system USING (true) WITH CHECK (true);
