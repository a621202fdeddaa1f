-- 订单预收款 become customer receipts (收款单, all of it 预收) so 核销 can apply them to invoices; each
-- existing one gets its receipt (same id, numbered SK-<day of receipt>-NNNN after that day's numbers).
-- 核销 of a foreign receipt/payment against an invoice in the same currency takes the same foreign
-- amount off both at their own rates: the receipt/payment side gets its own column (= amount so far).
-- The owner's updates pass row-level security for every company only while it is not forced.
ALTER TABLE "advance_receipt" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "customer_receipt" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "document_sequence" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "sales_order" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "ar_match" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "payable_settlement" NO FORCE ROW LEVEL SECURITY;

ALTER TABLE "advance_receipt" ADD COLUMN "customer_receipt_id" UUID;
INSERT INTO "customer_receipt" ("id", "company_id", "number", "customer_id", "order_id", "received_on", "account_code", "amount",
                                "currency_code", "amount_foreign", "exchange_rate", "advance_amount", "matched_amount", "method", "remark", "created_by_id", "created_at")
SELECT a."id", a."company_id",
       'SK-' || a."day" || '-' || lpad((coalesce(s."last_value", 0) + a."n")::text, GREATEST(4, length((coalesce(s."last_value", 0) + a."n")::text)), '0'),
       a."customer_id", a."order_id", a."received_on", '1002', a."cny",
       CASE WHEN a."currency_code" <> 'CNY' THEN a."currency_code" END, CASE WHEN a."currency_code" <> 'CNY' THEN a."amount" END,
       CASE WHEN a."currency_code" <> 'CNY' THEN a."exchange_rate" END, a."cny", 0, a."method", a."remark", a."created_by_id", a."created_at"
  FROM (SELECT r.*, o."customer_id", o."currency_code", o."exchange_rate", round(r."amount" * o."exchange_rate", 2) AS "cny",
               to_char(r."received_at" AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') AS "day",
               (r."received_at" AT TIME ZONE 'Asia/Shanghai')::date AS "received_on",
               row_number() OVER (PARTITION BY r."company_id", to_char(r."received_at" AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') ORDER BY r."received_at", r."id") AS "n"
          FROM "advance_receipt" r JOIN "sales_order" o ON o."id" = r."order_id") a
  LEFT JOIN "document_sequence" s ON s."company_id" = a."company_id" AND s."prefix" = 'SK' AND s."day" = a."day";
INSERT INTO "document_sequence" ("company_id", "prefix", "day", "last_value")
SELECT "company_id", 'SK', to_char("received_at" AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD'), count(*)
  FROM "advance_receipt" GROUP BY 1, 3
    ON CONFLICT ("company_id", "prefix", "day") DO UPDATE SET "last_value" = "document_sequence"."last_value" + EXCLUDED."last_value";
UPDATE "advance_receipt" SET "customer_receipt_id" = "id";
ALTER TABLE "advance_receipt" ALTER COLUMN "customer_receipt_id" SET NOT NULL;
CREATE UNIQUE INDEX "advance_receipt_customer_receipt_id_key" ON "advance_receipt"("customer_receipt_id");
ALTER TABLE "advance_receipt" ADD CONSTRAINT "advance_receipt_customer_receipt_id_fkey" FOREIGN KEY ("customer_receipt_id") REFERENCES "customer_receipt"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "ar_match" ADD COLUMN "amount_foreign" DECIMAL(18,2), ADD COLUMN "receipt_amount" DECIMAL(18,2);
UPDATE "ar_match" SET "receipt_amount" = "amount";
ALTER TABLE "ar_match" ALTER COLUMN "receipt_amount" SET NOT NULL;
ALTER TABLE "ar_match" DROP CONSTRAINT "ar_match_amount_check";
ALTER TABLE "ar_match" ADD CONSTRAINT "ar_match_amounts_check" CHECK ("amount" > 0 AND "receipt_amount" > 0 AND "from_advance" >= 0 AND "from_advance" <= "receipt_amount");

ALTER TABLE "payable_settlement" ADD COLUMN "amount_foreign" DECIMAL(20,2), ADD COLUMN "payment_amount" DECIMAL(20,2);
UPDATE "payable_settlement" SET "payment_amount" = "amount";
ALTER TABLE "payable_settlement" ALTER COLUMN "payment_amount" SET NOT NULL;

ALTER TABLE "advance_receipt" FORCE ROW LEVEL SECURITY;
ALTER TABLE "customer_receipt" FORCE ROW LEVEL SECURITY;
ALTER TABLE "document_sequence" FORCE ROW LEVEL SECURITY;
ALTER TABLE "sales_order" FORCE ROW LEVEL SECURITY;
ALTER TABLE "ar_match" FORCE ROW LEVEL SECURITY;
ALTER TABLE "payable_settlement" FORCE ROW LEVEL SECURITY;
