-- AlterTable
ALTER TABLE "item_category" ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "currency" ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;


-- One base currency per company: a partial unique index, which schema.prisma cannot express.
CREATE UNIQUE INDEX "currency_one_base_per_company" ON "currency" ("company_id") WHERE "is_base";
