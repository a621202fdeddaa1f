// Database roles. Migrations and this bootstrap run as the owner; the app connects as
// APP_ROLE (no superuser, no BYPASSRLS: row-level security applies to it), and cross-company
// background work (login lookup, chat callbacks before the company is known, outbox delivery)
// as SYSTEM_ROLE, which a second policy on every tenant table lets through.
import crypto from 'node:crypto';
import type pg from 'pg';

export const APP_ROLE = 'yunqiao_app';
export const SYSTEM_ROLE = 'yunqiao_system';

/** Role passwords derive from the owner's credentials, so every process agrees without storing them. */
export function rolePassword(ownerUrl: string, role: string): string {
  const u = new URL(ownerUrl);
  return crypto.createHmac('sha256', `${u.username}:${decodeURIComponent(u.password)}`).update(role).digest('hex');
}

export function roleUrl(ownerUrl: string, role: string): string {
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = rolePassword(ownerUrl, role);
  return u.toString();
}

export async function ensureRoles(client: pg.ClientBase, ownerUrl: string): Promise<void> {
  for (const role of [APP_ROLE, SYSTEM_ROLE]) {
    const pw = rolePassword(ownerUrl, role).replace(/'/g, "''");
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const verb = rowCount ? 'ALTER' : 'CREATE';
    try {
      await client.query(`${verb} ROLE ${role} WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '${pw}'`);
    } catch (e) {
      if ((e as { code?: string }).code === '42501') {
        throw new Error(
          `数据库用户无权创建角色 ${role}: 请授予 CREATEROLE，或由 DBA 预先创建角色 ${APP_ROLE} 与 ${SYSTEM_ROLE}`,
          { cause: e },
        );
      }
      throw e;
    }
  }
}

/** Ledgers: the app may add rows, never change or remove them (corrections are new rows). */
export const APPEND_ONLY_TABLES = ['stock_move', 'audit_log', 'timeline_entry', 'approval_action'];

/** Grants run after migrations so new tables are covered. */
export async function grantRoles(client: pg.ClientBase): Promise<void> {
  const db = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
  for (const role of [APP_ROLE, SYSTEM_ROLE]) {
    await client.query(`GRANT CONNECT ON DATABASE "${db}" TO ${role}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await client.query(`REVOKE ALL ON "_prisma_migrations" FROM ${role}`);
  }
  const { rows } = await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1)`, [APPEND_ONLY_TABLES]);
  for (const { t } of rows) await client.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "${t}" FROM ${APP_ROLE}`);
}
