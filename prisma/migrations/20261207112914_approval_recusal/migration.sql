-- AlterTable
ALTER TABLE "company" ADD COLUMN     "approval_recusal" BOOLEAN NOT NULL DEFAULT true;

