// Row-level security for tenant tables: a row is visible and writable only when its company is
// the transaction's `app.company_id`; the system role (cross-company background work) passes.
import { SYSTEM_ROLE } from './roles.ts';

const CURRENT_COMPANY = `NULLIF(current_setting('app.company_id', true), '')::uuid`;

export function tenantPolicySql(table: string): string {
  const column = table === 'company' ? 'id' : 'company_id';
  return [
    `ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY tenant_isolation ON "${table}" USING ("${column}" = ${CURRENT_COMPANY}) WITH CHECK ("${column}" = ${CURRENT_COMPANY})`,
    `CREATE POLICY system_access ON "${table}" TO ${SYSTEM_ROLE} USING (true) WITH CHECK (true)`,
  ]
    .map((s) => s + ';')
    .join('\n');
}

/** Tables a migration creates that carry company_id (or are the company table itself). */
export function tenantTablesCreatedBy(sql: string): string[] {
  const out: string[] = [];
  for (const m of sql.matchAll(/CREATE TABLE "([^"]+)" \(([\s\S]*?)\n\);/g)) {
    const [, table, body] = m;
    if (table === 'company' || /^\s*"company_id"/m.test(body!)) out.push(table!);
  }
  return out;
}
