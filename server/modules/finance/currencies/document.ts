// 外币单据 (a receipt, a payment, an invoice in a foreign currency): the rate it is converted at — the
// spot rate of its day (the latest on or before it) — and the bank / cash account it names, which
// must take postings and, when kept in one currency (银行存款—美元), be in the document's currency.
import type { Tx } from '../../../db/transaction.ts';
import { invalid } from '../../../platform/errors.ts';
import { postingAccountProblem } from '../accounts/store.ts';
import { rateOnBasis } from './lookup.ts';

export interface DocumentCurrency {
  code: string;
  /** CNY per unit, 6 decimals */
  rate: string;
}

/** null for CNY (or none given); 400 on `fields.currency` for an unknown currency, on `fields.date` when no rate applies. */
export async function documentCurrency(tx: Tx, currencyCode: string | null | undefined, date: string, fields: { currency: string; date: string }): Promise<DocumentCurrency | null> {
  const code = currencyCode && currencyCode !== 'CNY' ? currencyCode : null;
  if (!code) return null;
  const rate = await rateOnBasis(tx, code, date, 'spot');
  if (rate === undefined) throw invalid(fields.currency, `币别 ${code} 不存在`);
  if (rate === null) throw invalid(fields.date, `没有 ${code} 在 ${date} 及之前的汇率，无法折算为人民币，请先在「币别与汇率」中录入`);
  return { code, rate: rate.rate };
}

/** 400 on `field` unless the account takes postings and its currency (if it keeps one) is the document's. */
export async function assertMoneyAccount(tx: Tx, companyId: string, accountCode: string, currency: DocumentCurrency | null, field: string): Promise<void> {
  const problem = await postingAccountProblem(tx, companyId, accountCode);
  if (problem) throw invalid(field, problem);
  const [account] = await tx.$queryRaw<{ currency_code: string | null }[]>`SELECT currency_code FROM account WHERE code = ${accountCode}`;
  const kept = account?.currency_code ?? null;
  if (kept !== (currency?.code ?? null)) {
    throw invalid(field, kept
      ? `科目 ${accountCode} 按 ${kept} 核算，币别应为 ${kept}`
      : `${currency!.code} 收付款请选择按 ${currency!.code} 核算的银行存款明细科目（如 银行存款—${currency!.code}）`);
  }
}
