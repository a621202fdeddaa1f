-- CreateTable
CREATE TABLE "login_throttle" (
    "key" VARCHAR(200) NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_failure_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "login_throttle_last_failure_at_idx" ON "login_throttle"("last_failure_at");


-- A failure count is never negative (a success takes back only its own provisional count)
ALTER TABLE "login_throttle" ADD CONSTRAINT "login_throttle_failures_check" CHECK ("failures" >= 0);
