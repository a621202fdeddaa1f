-- AlterTable
ALTER TABLE "sales_invoice" ADD COLUMN     "write_off_reason" VARCHAR(200),
ADD COLUMN     "written_off_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
ADD COLUMN     "written_off_on" DATE;

-- AlterTable
ALTER TABLE "finance_settings" ADD COLUMN     "income_tax_rate" DECIMAL(5,4) NOT NULL DEFAULT 0.25;

