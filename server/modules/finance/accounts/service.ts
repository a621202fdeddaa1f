// 会计科目: the chart as a list (by code, the tree in its order) and the company's own sub-accounts.
// Rule for a new sub-account: only under an existing account that has no postings yet (its balance
// would otherwise sit on an account that no longer takes postings); the child inherits the
// parent's category and direction; its code is the parent's plus two digits.
import type { Account as AccountRow } from '../../../generated/prisma/client.ts';
import { ACCOUNT_CATEGORY_LABELS, BALANCE_DIRECTION_LABELS, type Account, type AccountCreate } from '../../../../shared/schemas/vouchers.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, invalid } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { ensureChart } from './store.ts';

export function toAccountDto(a: AccountRow): Account {
  return {
    id: a.id, code: a.code, name: a.name, fullName: a.fullName, parentId: a.parentId, level: a.level,
    category: a.category, categoryLabel: ACCOUNT_CATEGORY_LABELS[a.category],
    direction: a.direction, directionLabel: BALANCE_DIRECTION_LABELS[a.direction], postable: !a.hasChildren,
    fxAccounting: a.fxAccounting, currencyCode: a.currencyCode,
  };
}

export async function listAccounts(ctx: UseCaseContext): Promise<{ items: Account[] }> {
  return runUseCase(ctx, async (tx) => {
    await ensureChart(tx, ctx.actor.companyId);
    const rows = await tx.account.findMany({ orderBy: { code: 'asc' } });
    return { items: rows.map(toAccountDto) };
  });
}

export async function createAccount(ctx: UseCaseContext, input: AccountCreate): Promise<Account> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    await ensureChart(tx, companyId);
    // The parent locked first: a posting to it holds it FOR SHARE until commit (accounts/store.ts).
    const [parent] = await tx.$queryRaw<AccountRow[]>`SELECT id FROM account WHERE id = ${input.parentId}::uuid FOR UPDATE`;
    if (!parent) throw invalid('body.parentId', '上级科目不存在');
    const p = await tx.account.findUniqueOrThrow({ where: { id: input.parentId } });
    const [posted] = await tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one FROM voucher_line WHERE account_id = ${p.id}::uuid LIMIT 1`;
    if (posted) throw new AppError('CONFLICT', `科目「${p.code} ${p.fullName}」已有凭证分录，不能再增加下级科目`);
    const siblings = await tx.account.findMany({ where: { parentId: p.id }, select: { code: true, name: true } });
    if (siblings.some((s) => s.name === input.name)) throw new AppError('DUPLICATE', `「${p.fullName}」下已有明细科目「${input.name}」`, [{ field: 'body.name', message: '同名明细科目已存在' }]);
    const currency = input.currencyCode && input.currencyCode !== 'CNY' ? input.currencyCode : null;
    if (currency && !(await tx.currency.findFirst({ where: { code: currency }, select: { id: true } }))) throw invalid('body.currencyCode', `币别 ${currency} 不存在，请先在「币别与汇率」中新增`);
    if (currency && p.currencyCode && p.currencyCode !== currency) throw invalid('body.currencyCode', `上级科目按 ${p.currencyCode} 核算，明细科目不能改为 ${currency}`);
    let code = input.code;
    if (code !== undefined) {
      if (!(code.length === p.code.length + 2 && code.startsWith(p.code))) throw invalid('body.code', `应为上级编码 ${p.code} 加 2 位数字`);
      if (siblings.some((s) => s.code === code)) throw new AppError('DUPLICATE', `科目编码 ${code} 已存在`, [{ field: 'body.code', message: '编码已存在' }]);
    } else {
      const last = Math.max(0, ...siblings.map((s) => Number(s.code.slice(p.code.length))));
      if (last >= 99) throw new AppError('CONFLICT', `「${p.fullName}」下的明细科目已满 99 个`);
      code = `${p.code}${String(last + 1).padStart(2, '0')}`;
    }
    const row = await tx.account.create({
      data: {
        companyId, code, name: input.name, fullName: `${p.fullName}—${input.name}`, parentId: p.id, level: p.level + 1,
        category: p.category, direction: p.direction,
        // 外币核算 follows the parent; a currency makes the sub-account keep that one currency (银行存款—美元).
        fxAccounting: p.fxAccounting || currency !== null, currencyCode: currency ?? p.currencyCode,
      },
    });
    if (!p.hasChildren) await tx.account.update({ where: { id: p.id }, data: { hasChildren: true } });
    await recordAudit(tx, ctx, { action: 'create', entity: 'account', entityId: row.id, after: row });
    return toAccountDto(row);
  });
}
