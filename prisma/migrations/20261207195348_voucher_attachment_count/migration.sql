-- AlterTable
ALTER TABLE "voucher" ADD COLUMN     "attachment_count" INTEGER NOT NULL DEFAULT 0;

