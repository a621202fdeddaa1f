-- DropIndex
DROP INDEX "mrp_suggestion_company_id_state_idx";

-- DropIndex
DROP INDEX "mrp_suggestion_company_id_item_id_idx";

-- DropIndex
DROP INDEX "mrp_suggestion_company_id_run_id_idx";


-- Hand-written (server/db/hand-written.ts): only firmed and released suggestions are indexed. An MRP
-- run inserts every suggestion as 'suggested' (72,000 in the bench) and those need no index entries:
-- the queries for them (the run's own, the list) read most of the table anyway.
CREATE INDEX "mrp_suggestion_kept_state_idx" ON "mrp_suggestion"("company_id", "state") WHERE "state" <> 'suggested';
CREATE INDEX "mrp_suggestion_kept_item_id_idx" ON "mrp_suggestion"("company_id", "item_id") WHERE "state" <> 'suggested';
CREATE INDEX "mrp_suggestion_kept_run_id_idx" ON "mrp_suggestion"("company_id", "run_id") WHERE "state" <> 'suggested';
