-- AlterTable
ALTER TABLE "notice_delivery" ADD COLUMN     "approval_id" UUID,
ADD COLUMN     "task_id" UUID,
ADD COLUMN     "updates_card_id" UUID;

