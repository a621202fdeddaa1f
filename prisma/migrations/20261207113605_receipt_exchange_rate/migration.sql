-- 外币入库按入库日汇率折算: the company chooses the basis (入库日即期汇率 or 当月平均汇率), and each
-- receipt keeps the rate it was valued at and its basis.
-- CreateEnum
CREATE TYPE "exchange_rate_basis" AS ENUM ('spot', 'monthlyAverage');

-- AlterTable
ALTER TABLE "company" ADD COLUMN     "receipt_rate_basis" "exchange_rate_basis" NOT NULL DEFAULT 'spot';

-- Receipts made before this change were valued at their order's rate: that is the rate they keep.
ALTER TABLE "receipt" ADD COLUMN     "exchange_rate" DECIMAL(18,6) NOT NULL DEFAULT 1,
ADD COLUMN     "rate_basis" "exchange_rate_basis" NOT NULL DEFAULT 'spot';

UPDATE "receipt" r SET "exchange_rate" = po."exchange_rate" FROM "purchase_order" po WHERE po."id" = r."order_id";

ALTER TABLE "receipt" ALTER COLUMN "exchange_rate" DROP DEFAULT, ALTER COLUMN "rate_basis" DROP DEFAULT;
