-- AlterTable
ALTER TABLE "finance_settings" ADD COLUMN     "block_overdue_orders" BOOLEAN NOT NULL DEFAULT false;

