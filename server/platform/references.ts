// Checks that ids and codes a request names exist in the actor's company (row-level security
// hides other companies' rows, so a foreign id reads as unknown), answering 400 with the field.
import type { Tx } from '../db/transaction.ts';
import { invalid } from './errors.ts';

export async function assertCurrencyExists(tx: Tx, code: string, field = 'body.currencyCode'): Promise<void> {
  const found = await tx.currency.findFirst({ where: { code }, select: { id: true } });
  if (!found) throw invalid(field, `币别 ${code} 不存在`);
}

export async function assertUserExists(tx: Tx, id: string, field: string): Promise<{ id: string; departmentId: string | null }> {
  const user = await tx.user.findUnique({ where: { id }, select: { id: true, departmentId: true } });
  if (!user) throw invalid(field, '用户不存在');
  return user;
}

export async function assertExists(
  lookup: () => Promise<unknown>,
  field: string,
  label: string,
): Promise<void> {
  if (!(await lookup())) throw invalid(field, `${label}不存在`);
}
