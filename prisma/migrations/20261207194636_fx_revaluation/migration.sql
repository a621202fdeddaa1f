-- AlterTable
ALTER TABLE "account" ADD COLUMN     "currency_code" VARCHAR(3),
ADD COLUMN     "fx_accounting" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "voucher_line" ADD COLUMN     "amount_foreign" DECIMAL(20,2),
ADD COLUMN     "currency_code" VARCHAR(3),
ADD COLUMN     "rate" DECIMAL(18,6);

-- AlterTable
ALTER TABLE "customer_receipt" ADD COLUMN     "amount_foreign" DECIMAL(18,2),
ADD COLUMN     "currency_code" VARCHAR(3),
ADD COLUMN     "exchange_rate" DECIMAL(18,6);

