// 期末处理 use cases: each step reads the month's balances, asks its pure rule (rules.ts) for the
// voucher and posts it through the engine, all in one transaction under a per-company month-end
// lock (two runs at once cannot both see the balance before the other's voucher). A run that finds
// nothing left posts nothing, so every step may be run again.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { MonthEndStatus, MonthEndStepResult } from '../../../../shared/schemas/finance-reports.ts';
import type { Tx } from '../../../db/transaction.ts';
import { AppError } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { ACCOUNTS } from '../accounts/chart.ts';
import { seedChartOfAccounts } from '../accounts/store.ts';
import { postDocument } from '../posting/post.ts';
import { registerPostingRule, isPostingRuleRegistered, type PostingFacts, type VoucherDraft } from '../posting/registry.ts';
import { accountFigures, sumUnder, type AccountFigures } from '../reports/figures.ts';
import { loadFinanceSettings } from '../settings/service.ts';
import { FX_ACCOUNTS } from '../accounts/chart.ts';
import { rateOnBasis } from '../currencies/lookup.ts';
import { exchangeGainLossAccount } from '../currencies/settlement.ts';
import { dueDeferredOutputVat } from './deferred-output-vat.ts';
import {
  computeSurcharges, deferredOutputVatVoucher, fxGain, fxRevaluationVoucher, periodEnd, type FxBalance, incomeTaxDue, incomeTaxVoucher, MONTH_END_STEP_LABELS, MONTH_END_STEPS, monthEndSourceType, profitTransferVoucher, surchargeVoucher, vatTransferVoucher, yearEndVoucher,
  type MonthEndStep,
} from './rules.ts';

type Rule = (facts: never) => VoucherDraft | null;
const RULES: Record<MonthEndStep, Rule> = {
  fxRevaluation: fxRevaluationVoucher, deferredOutputVat: deferredOutputVatVoucher, vatTransfer: vatTransferVoucher, surcharges: surchargeVoucher, incomeTax: incomeTaxVoucher, profitTransfer: profitTransferVoucher, yearEnd: yearEndVoucher,
};

/** Month end's own document types, registered like any business document's. */
export function registerMonthEndRules(): void {
  for (const step of MONTH_END_STEPS) {
    const type = monthEndSourceType(step);
    if (isPostingRuleRegistered(type)) continue;
    registerPostingRule(type, RULES[step] as (f: PostingFacts) => VoucherDraft | null, {
      // The step has no page of its own: its vouchers of the month stand for it.
      label: `期末处理—${MONTH_END_STEP_LABELS[step]}`,
      apiPath: (id) => `/api/v1/vouchers?sourceId=${id}`,
    });
  }
}

/** A step of a month has one document id, the same every run (its vouchers link to it). */
function stepDocumentId(companyId: string, period: string, step: MonthEndStep): string {
  const h = crypto.createHash('sha256').update(`monthEnd:${companyId}:${period}:${step}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Planned {
  facts: PostingFacts & Record<string, unknown>;
  note: string | null;
  figures: Record<string, string>;
}

const credit = (d: Decimal) => d.neg();

/**
 * 期末调汇's facts: every foreign-currency balance up to the month's end (往来 accounts per customer
 * and supplier, bank and other accounts whole), the month-end rate of each currency (the spot rate
 * in effect on the last day) and the account the difference goes to. A currency with no rate: a run
 * is refused (409 naming it), the status only says so.
 */
async function fxPlan(tx: Tx, period: string, base: Planned['facts'], strict: boolean): Promise<Planned> {
  const rows = await tx.$queryRaw<{ account: string; currency: string; customer_id: string | null; supplier_id: string | null; foreign: string; base: string }[]>`
    SELECT a.code AS account, l.currency_code AS currency, d.customer_id::text, d.supplier_id::text,
           sum(CASE WHEN l.debit <> 0 THEN l.amount_foreign ELSE -l.amount_foreign END)::text AS foreign,
           sum(l.debit - l.credit)::text AS base
      FROM voucher_line l JOIN account a ON a.id = l.account_id
      CROSS JOIN LATERAL (SELECT CASE WHEN left(a.code, 4) = ANY(${[...FX_ACCOUNTS]}::text[]) THEN l.customer_id END AS customer_id,
                                 CASE WHEN left(a.code, 4) = ANY(${[...FX_ACCOUNTS]}::text[]) THEN l.supplier_id END AS supplier_id) d
     WHERE l.currency_code IS NOT NULL AND l.period <= ${period}
     GROUP BY a.code, l.currency_code, d.customer_id, d.supplier_id
     ORDER BY a.code, l.currency_code, d.customer_id, d.supplier_id`;
  const balances: FxBalance[] = rows.map((r) => ({ account: r.account, currencyCode: r.currency, customerId: r.customer_id, supplierId: r.supplier_id, foreign: r.foreign, base: r.base }));
  const day = periodEnd(period);
  const rates: Record<string, string> = {};
  const missing: string[] = [];
  for (const code of [...new Set(balances.map((b) => b.currencyCode))]) {
    const r = await rateOnBasis(tx, code, day, 'spot');
    if (r) rates[code] = r.rate;
    else missing.push(code);
  }
  if (missing.length && strict) {
    throw new AppError('CONFLICT', `没有 ${missing.join('、')} 在 ${day} 及之前的汇率，无法期末调汇，请先在「币别与汇率」中录入 ${missing.join('、')} 的期末汇率`);
  }
  const known = balances.filter((b) => rates[b.currencyCode] !== undefined);
  const gain = fxGain({ balances: known, rates });
  const rateText = Object.entries(rates).map(([c, r]) => `${c} ${r}`).join('，');
  return {
    facts: { ...base, balances: known, rates, gainLossAccount: await exchangeGainLossAccount(tx) },
    note: missing.length ? `缺少 ${missing.join('、')} 在 ${day} 及之前的汇率，请先录入` : balances.length ? `期末汇率：${rateText}` : '没有外币余额',
    figures: balances.length ? { exchangeGain: gain.toFixed(2) } : {},
  };
}

/**
 * `run`: a run (not the status page): a missing month-end rate refuses it, and it takes the 待转销项税额
 * that fell due, so that is moved once.
 */
async function planStep(tx: Tx, companyId: string, period: string, step: MonthEndStep, figures: AccountFigures[], run = false): Promise<Planned> {
  const company = await tx.company.findUniqueOrThrow({ where: { id: companyId }, select: { taxpayerKind: true } });
  const small = company.taxpayerKind === 'smallScaleTaxpayer';
  const base = { documentId: stepDocumentId(companyId, period, step), documentNumber: `${period} ${MONTH_END_STEP_LABELS[step]}`, period };
  switch (step) {
    case 'fxRevaluation':
      return fxPlan(tx, period, base, run);
    case 'deferredOutputVat': {
      if (small) return { facts: { ...base, moves: [] }, note: '小规模纳税人不设待转销项税额', figures: {} };
      const moves = await dueDeferredOutputVat(tx, periodEnd(period), run ? `期末 ${period}` : null);
      const total = moves.reduce((t, m) => t.plus(m.amount), new Decimal(0));
      return { facts: { ...base, moves }, note: null, figures: { dueCount: String(moves.length), deferredOutputVat: total.toFixed(2) } };
    }
    case 'vatTransfer': {
      if (small) return { facts: { ...base, vatCreditBalance: 0 }, note: '小规模纳税人不设未交增值税，无需转出', figures: {} };
      const balance = credit(sumUnder(figures, [ACCOUNTS.vat], (f) => f.closing));
      return { facts: { ...base, vatCreditBalance: balance }, note: null, figures: { vatCreditBalance: balance.toFixed(2) } };
    }
    case 'surcharges': {
      const settings = await loadFinanceSettings(tx);
      // 一般纳税人: the VAT transferred out for the month; 小规模纳税人: the VAT the month charged.
      const vatPayable = small
        ? sumUnder(figures, [ACCOUNTS.vat], (f) => f.periodCredit)
        : sumUnder(figures, [ACCOUNTS.unpaidVatTransferredOut], (f) => f.periodNet);
      const sales = credit(sumUnder(figures, [ACCOUNTS.revenue, ACCOUNTS.otherRevenue], (f) => f.periodNet));
      const due = computeSurcharges(vatPayable, sales, settings);
      const [booked] = await tx.$queryRaw<{ u: string; e: string; l: string }[]>`
        SELECT coalesce(sum(l.credit - l.debit) FILTER (WHERE a.code = ${ACCOUNTS.urbanConstructionTax}), 0)::text AS u,
               coalesce(sum(l.credit - l.debit) FILTER (WHERE a.code = ${ACCOUNTS.educationSurcharge}), 0)::text AS e,
               coalesce(sum(l.credit - l.debit) FILTER (WHERE a.code = ${ACCOUNTS.localEducationSurcharge}), 0)::text AS l
          FROM voucher v JOIN voucher_line l ON l.voucher_id = v.id JOIN account a ON a.id = l.account_id
         WHERE v.period = ${period} AND v.source_type = ${monthEndSourceType('surcharges')}`;
      return {
        facts: { ...base, due, booked: { urbanConstructionTax: booked!.u, educationSurcharge: booked!.e, localEducationSurcharge: booked!.l } },
        note: due.exempt ? `本月销售额 ${sales.toFixed(2)} 元未超过 ${new Decimal(settings.surchargeExemptThreshold).toFixed(2)} 元，免征教育费附加和地方教育附加` : null,
        figures: {
          vatPayable: vatPayable.toFixed(2), sales: sales.toFixed(2), urbanConstructionTax: due.urbanConstructionTax.toFixed(2),
          educationSurcharge: due.educationSurcharge.toFixed(2), localEducationSurcharge: due.localEducationSurcharge.toFixed(2),
        },
      };
    }
    case 'incomeTax': {
      const settings = await loadFinanceSettings(tx);
      // The month's own 损益 postings, so a run after 结转损益 still sees the profit it carried away.
      const [row] = await tx.$queryRaw<{ profit: string; booked: string }[]>`
        SELECT coalesce(sum(l.credit - l.debit) FILTER (WHERE a.code <> ${ACCOUNTS.incomeTaxExpense}), 0)::text AS profit,
               coalesce(sum(l.debit - l.credit) FILTER (WHERE v.source_type = ${monthEndSourceType('incomeTax')} AND a.code = ${ACCOUNTS.incomeTaxExpense}), 0)::text AS booked
          FROM voucher v JOIN voucher_line l ON l.voucher_id = v.id JOIN account a ON a.id = l.account_id
         WHERE v.period = ${period} AND a.category = 'profitLoss' AND v.source_type IS DISTINCT FROM ${monthEndSourceType('profitTransfer')}`;
      const profit = new Decimal(row!.profit);
      return {
        facts: { ...base, profitBeforeTax: profit, rate: settings.incomeTaxRate, booked: row!.booked },
        note: profit.gt(0) ? null : `本月利润总额 ${profit.toFixed(2)} 元，不计提所得税`,
        figures: { profitBeforeTax: profit.toFixed(2), rate: settings.incomeTaxRate, incomeTax: incomeTaxDue(profit, settings.incomeTaxRate).toFixed(2) },
      };
    }
    case 'profitTransfer': {
      const balances = figures.filter((f) => f.category === 'profitLoss').map((f) => ({ code: f.code, net: f.closing }));
      const profit = credit(balances.reduce((t, b) => t.plus(b.net), new Decimal(0)));
      return { facts: { ...base, balances }, note: null, figures: { profit: profit.toFixed(2) } };
    }
    case 'yearEnd': {
      if (!period.endsWith('-12')) return { facts: { ...base, profitCreditBalance: 0 }, note: '年末结转只在 12 月做', figures: {} };
      const profit = credit(sumUnder(figures, [ACCOUNTS.currentYearProfit], (f) => f.closing));
      return { facts: { ...base, profitCreditBalance: profit }, note: null, figures: { currentYearProfit: profit.toFixed(2) } };
    }
  }
}

async function stepVouchers(tx: Tx, period: string, step: MonthEndStep) {
  return tx.$queryRaw<{ id: string; number: string }[]>`
    SELECT id::text, number FROM voucher WHERE period = ${period} AND source_type = ${monthEndSourceType(step)} ORDER BY seq`;
}

async function lockMonthEnd(tx: Tx, companyId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('monthEnd:' || ${companyId}))`;
}

async function periodState(tx: Tx, period: string): Promise<'open' | 'closed'> {
  const [row] = await tx.$queryRaw<{ state: 'open' | 'closed' }[]>`SELECT state::text AS state FROM accounting_period WHERE period = ${period}`;
  return row?.state ?? 'open';
}

export async function runMonthEndStep(ctx: UseCaseContext, period: string, step: MonthEndStep): Promise<MonthEndStepResult> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    await lockMonthEnd(tx, companyId);
    if ((await periodState(tx, period)) === 'closed') throw new AppError('CONFLICT', `会计期间 ${period} 已结账，不能再做期末处理`);
    if (step === 'yearEnd' && !period.endsWith('-12')) throw new AppError('VALIDATION_FAILED', '年末结转本年利润只能在 12 月做', [{ field: 'params.step', message: '年末结转本年利润只能在 12 月做' }]);
    // The accounts month end posts to, for a company whose chart predates them.
    const company = await tx.company.findUniqueOrThrow({ where: { id: companyId }, select: { taxpayerKind: true } });
    await seedChartOfAccounts(tx, companyId, company.taxpayerKind);
    const plan = await planStep(tx, companyId, period, step, await accountFigures(tx, period), true);
    const written = await postDocument(tx, ctx, monthEndSourceType(step), plan.facts);
    const vouchers = await stepVouchers(tx, period, step);
    return {
      step, stepLabel: MONTH_END_STEP_LABELS[step], voucher: written ? { id: written.id, number: written.number } : null,
      vouchers, pending: false, note: plan.note, figures: plan.figures,
    };
  });
}

export async function monthEndStatus(ctx: UseCaseContext, period: string): Promise<MonthEndStatus> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    const figures = await accountFigures(tx, period);
    const steps: MonthEndStepResult[] = [];
    for (const step of MONTH_END_STEPS) {
      if (step === 'yearEnd' && !period.endsWith('-12')) continue;
      const plan = await planStep(tx, companyId, period, step, figures);
      const draft = (RULES[step] as (f: PostingFacts) => VoucherDraft | null)(plan.facts);
      steps.push({
        step, stepLabel: MONTH_END_STEP_LABELS[step], voucher: null, vouchers: await stepVouchers(tx, period, step),
        pending: draft !== null, note: plan.note, figures: plan.figures,
      });
    }
    return { period, state: await periodState(tx, period), steps, profitTransferred: profitLossLeft(figures).isZero() };
  });
}

/** Σ |balance| of the 损益 accounts at the month's end: 0 once 结转损益 is done. */
function profitLossLeft(figures: readonly AccountFigures[]): Decimal {
  return figures.filter((f) => f.category === 'profitLoss').reduce((t, f) => t.plus(f.closing.abs()), new Decimal(0));
}

/** Closing a month needs 结转损益 done: no 损益 account keeps a balance at the month's end. */
export async function assertProfitTransferred(tx: Tx, period: string): Promise<void> {
  const left = (await accountFigures(tx, period)).filter((f) => f.category === 'profitLoss' && !f.closing.isZero());
  if (left.length) {
    throw new AppError('CONFLICT', `会计期间 ${period} 还没有结转损益（${left.slice(0, 3).map((f) => f.code).join('、')}${left.length > 3 ? ' 等' : ''} 科目尚有余额），请先做期末结转损益再结账`);
  }
}
