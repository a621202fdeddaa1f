-- Attachments referenced before documents recorded their attachments (expense claim lines' invoices,
-- contracts' scans) may still have no document (entity IS NULL), so only their uploader saw them:
-- they now belong to the document that refers to them. Upgraded companies' 会计 roles also get the
-- permissions the seed gives new ones (pay approved claims, read the invoices). The owner's updates
-- pass row-level security for every company only while it is not forced.
ALTER TABLE "attachment" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "expense_claim_line" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "sales_contract" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "attachment" AS a SET "entity" = 'expenseClaim', "entity_id" = l."claim_id"::text
  FROM "expense_claim_line" AS l
 WHERE l."attachment_id" = a."id" AND l."company_id" = a."company_id" AND a."entity" IS NULL;
UPDATE "attachment" AS a SET "entity" = 'contract', "entity_id" = c."id"::text
  FROM "sales_contract" AS c
 WHERE c."attachment_id" = a."id" AND c."company_id" = a."company_id" AND a."entity" IS NULL;
UPDATE "role" SET "permissions" = array_append("permissions", 'expense:pay'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'accountant' AND NOT ('expense:pay' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
UPDATE "role" SET "permissions" = array_append("permissions", 'attachment:read'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" = 'accountant' AND NOT ('attachment:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "attachment" FORCE ROW LEVEL SECURITY;
ALTER TABLE "expense_claim_line" FORCE ROW LEVEL SECURITY;
ALTER TABLE "sales_contract" FORCE ROW LEVEL SECURITY;
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
