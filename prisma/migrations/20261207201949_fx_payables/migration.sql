-- AlterTable
ALTER TABLE "purchase_invoice" ADD COLUMN     "currency_code" VARCHAR(3),
ADD COLUMN     "exchange_rate" DECIMAL(18,6),
ADD COLUMN     "total_foreign" DECIMAL(20,2);

-- AlterTable
ALTER TABLE "supplier_payment" ADD COLUMN     "amount_foreign" DECIMAL(20,2),
ADD COLUMN     "currency_code" VARCHAR(3),
ADD COLUMN     "exchange_rate" DECIMAL(18,6);

