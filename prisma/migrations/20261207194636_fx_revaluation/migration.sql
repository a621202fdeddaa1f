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


-- 外币核算 on the standard accounts that take foreign amounts per line (应收, 预付, 应付 and its sub-accounts, 预收)
UPDATE "account" SET "fx_accounting" = true WHERE left("code", 4) IN ('1122', '1123', '2202', '2203');
