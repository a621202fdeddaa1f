-- AlterTable
ALTER TABLE "purchase_return_line" ADD COLUMN     "invoiced_cost" DECIMAL(20,2) NOT NULL DEFAULT 0,
ADD COLUMN     "invoiced_quantity" DECIMAL(18,4) NOT NULL DEFAULT 0,
ADD COLUMN     "invoiced_total" DECIMAL(20,2) NOT NULL DEFAULT 0;

