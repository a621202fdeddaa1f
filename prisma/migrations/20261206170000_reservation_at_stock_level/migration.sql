-- A reservation is held at a stock level (item × warehouse): one foreign key to that level instead
-- of one to the item and one to the warehouse (the level has those). Confirming a 1,000-line order
-- then checks 1,000 keys, against level rows it has just locked, instead of 2,000.
ALTER TABLE "reservation" DROP CONSTRAINT "reservation_item_id_fkey";
ALTER TABLE "reservation" DROP CONSTRAINT "reservation_warehouse_id_fkey";
ALTER TABLE "reservation" ADD CONSTRAINT "reservation_stock_level_fkey" FOREIGN KEY ("company_id", "item_id", "warehouse_id")
  REFERENCES "stock_level"("company_id", "item_id", "warehouse_id") ON DELETE RESTRICT ON UPDATE CASCADE;
