-- stock_level is a small table of counters that every order and stock move updates. With pages
-- half empty an update finds room next to the row it replaces (a HOT update: no index entries are
-- written, the old version is pruned on the next visit); full pages move every updated row.
ALTER TABLE "stock_level" SET (fillfactor = 50);
-- An order step's data and its event carry per-line quantities (a 1,000-line confirmation writes
-- ~20 KB twice): stored out of line uncompressed, as pglz costs more time on the order's path than
-- the disk it saves on an append-only log.
ALTER TABLE "timeline_entry" ALTER COLUMN "data" SET STORAGE EXTERNAL;
ALTER TABLE "outbox_event" ALTER COLUMN "payload" SET STORAGE EXTERNAL;
