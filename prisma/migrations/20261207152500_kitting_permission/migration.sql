-- 齐套分析 (kitting:read): upgraded companies' roles get it as the seed gives new ones (计划员, 销售经理,
-- 销售员, 采购员, 仓管员). The owner's updates pass RLS only while it is not forced.
ALTER TABLE "role" NO FORCE ROW LEVEL SECURITY;
UPDATE "role" SET "permissions" = array_append("permissions", 'kitting:read'), "updated_at" = now(), "version" = "version" + 1
 WHERE "code" IN ('planner', 'sales_manager', 'sales', 'purchaser', 'warehouse') AND NOT ('kitting:read' = ANY("permissions")) AND NOT ('*' = ANY("permissions"));
ALTER TABLE "role" FORCE ROW LEVEL SECURITY;
