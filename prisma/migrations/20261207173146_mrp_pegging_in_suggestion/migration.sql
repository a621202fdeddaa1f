-- Pegging moves into its suggestion's row (a jsonb array): an MRP run wrote more pegging rows than
-- suggestions, each with its own index entries and foreign-key check, and deleted them again by cascade.

-- AlterTable
ALTER TABLE "mrp_suggestion" ADD COLUMN     "pegging" JSONB NOT NULL DEFAULT '[]';

-- Existing pegging rows, in the order they were shown (by reference), short keys as schema.prisma
-- describes them, null fields left out, every
-- company's rows, so row-level security is lifted for the table's owner meanwhile
ALTER TABLE "mrp_suggestion" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "mrp_pegging" NO FORCE ROW LEVEL SECURITY;
UPDATE "mrp_suggestion" s SET "pegging" = p.pegging
  FROM (SELECT suggestion_id, jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                 'k', demand_kind, 'r', demand_ref, 's', demand_source_id, 'p', parent_suggestion_id, 'q', quantity::text))
               ORDER BY demand_ref, id) AS pegging
          FROM "mrp_pegging" GROUP BY suggestion_id) p
 WHERE p.suggestion_id = s.id;
ALTER TABLE "mrp_suggestion" FORCE ROW LEVEL SECURITY;

-- DropForeignKey
ALTER TABLE "mrp_pegging" DROP CONSTRAINT "mrp_pegging_suggestion_id_fkey";

-- DropTable
DROP TABLE "mrp_pegging";
