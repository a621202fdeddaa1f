// 会计科目 in the database: the standard chart written for a company (idempotent), and the accounts a
// voucher names, share-locked so no sub-account is added under one while a posting to it commits.
import { Prisma } from '../../../generated/prisma/client.ts';
import type { TaxpayerKind } from '../../../generated/prisma/enums.ts';
import type { Tx } from '../../../db/transaction.ts';
import { FX_ACCOUNTS, standardChart } from './chart.ts';

/**
 * Writes the standard chart (小企业会计准则, by taxpayer kind) for a company; accounts it already has
 * (by code) are left as they are, so this may run again, and two transactions may run it at once.
 */
export async function seedChartOfAccounts(tx: Tx, companyId: string, taxpayerKind: TaxpayerKind): Promise<void> {
  const chart = standardChart(taxpayerKind);
  const col = <K extends keyof (typeof chart)[number]>(k: K) => chart.map((c) => String(c[k]));
  await tx.$executeRaw`
    INSERT INTO account (id, company_id, code, name, full_name, level, category, direction, has_children)
    SELECT gen_random_uuid(), ${companyId}::uuid, c.code, c.name, c.full_name, c.level, c.category::account_category, c.direction::balance_direction, c.has_children
      FROM unnest(${col('code')}::text[], ${col('name')}::text[], ${col('fullName')}::text[], ${col('level')}::int[],
                  ${col('category')}::text[], ${col('direction')}::text[], ${col('hasChildren')}::boolean[])
           AS c(code, name, full_name, level, category, direction, has_children)
    ON CONFLICT (company_id, code) DO NOTHING`;
  await tx.$executeRaw`
    UPDATE account c SET parent_id = p.id
      FROM account p
     WHERE c.company_id = ${companyId}::uuid AND p.company_id = c.company_id AND c.parent_id IS NULL
       AND length(c.code) > 4 AND p.code = left(c.code, length(c.code) - 2)`;
  // A standard sub-account added to an older company's chart (e.g. 310401 under 3104) makes its parent a parent.
  await tx.$executeRaw`
    UPDATE account p SET has_children = true
     WHERE p.company_id = ${companyId}::uuid AND NOT p.has_children
       AND EXISTS (SELECT 1 FROM account c WHERE c.company_id = p.company_id AND c.parent_id = p.id)`;
  // 外币核算 on the standard accounts that take foreign amounts (older charts get it here too).
  await tx.$executeRaw`
    UPDATE account SET fx_accounting = true
     WHERE company_id = ${companyId}::uuid AND NOT fx_accounting AND left(code, 4) = ANY(${[...FX_ACCOUNTS]}::text[])`;
}

export interface PostableAccount {
  id: string;
  code: string;
  fullName: string;
  hasChildren: boolean;
  fxAccounting: boolean;
  /** a 外币核算 account's one currency (null: any) */
  currencyCode: string | null;
}

/**
 * The accounts named by id or code, FOR SHARE: adding a sub-account locks its parent FOR UPDATE,
 * so it waits for a posting to the parent to commit (and then sees the posting), or the posting
 * waits and then sees the parent is no longer a leaf.
 */
export async function lockAccounts(tx: Tx, by: { ids?: string[]; codes?: string[] }): Promise<PostableAccount[]> {
  const ids = by.ids ?? [];
  const codes = by.codes ?? [];
  return tx.$queryRaw<PostableAccount[]>(Prisma.sql`
    SELECT id::text, code, full_name AS "fullName", has_children AS "hasChildren", fx_accounting AS "fxAccounting", currency_code AS "currencyCode"
      FROM account
     WHERE id = ANY(${ids}::uuid[]) OR code = ANY(${codes}::text[])
     ORDER BY code
       FOR SHARE`);
}

/** A company made outside the seed (or before the chart existed) gets the standard chart on first use. */
export async function ensureChart(tx: Tx, companyId: string): Promise<void> {
  const [any] = await tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one FROM account WHERE company_id = ${companyId}::uuid LIMIT 1`;
  if (any) return;
  const company = await tx.company.findUniqueOrThrow({ where: { id: companyId }, select: { taxpayerKind: true } });
  await seedChartOfAccounts(tx, companyId, company.taxpayerKind);
}

/**
 * Why a document may not name the account `code` for its postings (null: it may) — for a request
 * field (a payment's bank account) to be answered 400 before anything is written.
 */
export async function postingAccountProblem(tx: Tx, companyId: string, code: string): Promise<string | null> {
  await ensureChart(tx, companyId);
  const [a] = await lockAccounts(tx, { codes: [code] });
  if (!a) return `科目 ${code} 不存在`;
  if (a.hasChildren) return `科目「${a.code} ${a.fullName}」有下级科目，不能直接记账，请选择明细科目`;
  return null;
}
