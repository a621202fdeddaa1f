-- A suggestion's materials and pegging as json, not jsonb: an MRP run writes them for tens of thousands
-- of rows at once and they are only ever read whole, so the conversion to jsonb was pure cost.

-- AlterTable
ALTER TABLE "mrp_suggestion" ALTER COLUMN "materials" DROP DEFAULT,
ALTER COLUMN "pegging" DROP DEFAULT;
ALTER TABLE "mrp_suggestion" ALTER COLUMN "materials" SET DATA TYPE JSON USING "materials"::json,
ALTER COLUMN "pegging" SET DATA TYPE JSON USING "pegging"::json;
ALTER TABLE "mrp_suggestion" ALTER COLUMN "materials" SET DEFAULT '[]',
ALTER COLUMN "pegging" SET DEFAULT '[]';
