-- AlterTable
ALTER TABLE "notification_route" ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "notice_delivery" ADD COLUMN     "response_code" VARCHAR(200);

