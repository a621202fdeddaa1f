// 币别与汇率: use cases, each one transaction, scoped to the company. Each company has exactly one
// base currency (本位币); other currencies carry dated rates into it.
import type { Tx } from '../../../db/transaction.ts';
import type { ExchangeRate as ExchangeRateRow, Prisma } from '../../../generated/prisma/client.ts';
import type {
  Currency, CurrencyCreate, CurrencyListQuery, CurrencyUpdate, ExchangeRate, ExchangeRateCreate, ExchangeRateListQuery, RateLookupQuery, RateOnDate,
} from '../../../../shared/schemas/finance.ts';
import { recordAudit, recordChange } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb, rateInEffect, todayInShanghai } from './rates.ts';
import { isoShanghai } from '../../../../shared/time.ts';

const include = { rates: { orderBy: { rateDate: 'desc' }, take: 1 } } satisfies Prisma.CurrencyInclude;
type CurrencyRow = Prisma.CurrencyGetPayload<{ include: typeof include }>;

export function toCurrencyDto(c: CurrencyRow): Currency {
  const latest = c.rates[0];
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    symbol: c.symbol,
    isBase: c.isBase,
    latestRate: latest ? { rateDate: dateOnlyOf(latest.rateDate), rate: latest.rate.toFixed(6) } : null,
    createdAt: isoShanghai(c.createdAt),
    updatedAt: isoShanghai(c.updatedAt),
    version: c.version,
  };
}

function toRateDto(r: ExchangeRateRow, currencyCode: string): ExchangeRate {
  return { id: r.id, currencyCode, rateDate: dateOnlyOf(r.rateDate), rate: r.rate.toFixed(6), createdAt: isoShanghai(r.createdAt) };
}

export async function listCurrencies(ctx: UseCaseContext, query: CurrencyListQuery): Promise<Page<Currency>> {
  return runUseCase(ctx, (tx) => {
    const where: Prisma.CurrencyWhereInput = { AND: [keywordWhere(query.q, ['code', 'name']), { isBase: query.isBase }] };
    const orderBy = orderByOf(query.sort, 'code') as Prisma.CurrencyOrderByWithRelationInput[];
    return findPage(query, (w) => tx.currency.findMany({ where, orderBy, include, ...w }), () => tx.currency.count({ where }), toCurrencyDto);
  });
}

async function findCurrency(tx: Tx, id: string): Promise<CurrencyRow> {
  const row = await tx.currency.findUnique({ where: { id }, include });
  if (!row) throw notFound('币别');
  return row;
}

export async function getCurrency(ctx: UseCaseContext, id: string): Promise<Currency> {
  return runUseCase(ctx, async (tx) => toCurrencyDto(await findCurrency(tx, id)));
}

const ONE_BASE_INDEX = 'currency_one_base_per_company';

function secondBase(baseCode: string | undefined): AppError {
  return new AppError('CONFLICT', baseCode ? `本位币只能有一个（${baseCode}）` : '本位币只能有一个', [
    { field: 'body.isBase', message: baseCode ? `已有本位币 ${baseCode}` : '已有本位币' },
  ]);
}

/** Refuses a second base currency up front, with a message naming the one there is. */
async function assertNoOtherBase(tx: Tx, exceptId?: string): Promise<void> {
  const base = await tx.currency.findFirst({ where: { isBase: true, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { code: true } });
  if (base) throw secondBase(base.code);
}

/**
 * A unique violation of the partial index that allows one base currency per company. Prisma cannot
 * name the columns of a partial index, so errors.ts alone would answer "编码已存在" on body.code;
 * the driver's message names the index.
 */
function violatesOneBase(err: unknown): boolean {
  const e = (err ?? {}) as { code?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string; originalMessage?: string } } } };
  const cause = e.meta?.driverAdapterError?.cause;
  return (e.code === 'P2002' || cause?.originalCode === '23505') && (cause?.originalMessage ?? '').includes(ONE_BASE_INDEX);
}

/**
 * The pre-check cannot see a base currency another request has made but not yet committed; the
 * partial unique index `currency_one_base_per_company` then refuses the second one. That arrives
 * as a unique violation which aborts the transaction, so the base currency that won is read in a
 * fresh one and the same friendly 409 is answered.
 */
async function guardOneBase<T>(ctx: UseCaseContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!violatesOneBase(err)) throw err;
    const base = await runUseCase(ctx, (tx) => tx.currency.findFirst({ where: { isBase: true }, select: { code: true } }));
    throw secondBase(base?.code);
  }
}

export async function createCurrency(ctx: UseCaseContext, input: CurrencyCreate): Promise<Currency> {
  return guardOneBase(ctx, () => runUseCase(ctx, async (tx) => {
    if (input.isBase) await assertNoOtherBase(tx);
    const row = await tx.currency.create({ data: { ...input, companyId: ctx.actor.companyId }, include });
    await recordChange(tx, ctx, { action: 'create', entity: 'currency', entityId: row.id, after: row, payload: { code: row.code, name: row.name } });
    return toCurrencyDto(row);
  }));
}

export async function updateCurrency(ctx: UseCaseContext, id: string, input: CurrencyUpdate): Promise<Currency> {
  return guardOneBase(ctx, () => runUseCase(ctx, async (tx) => {
    const before = await findCurrency(tx, id);
    const { version, ...fields } = input;
    if (fields.isBase === true && !before.isBase) await assertNoOtherBase(tx, id);
    if (fields.isBase === false && before.isBase) {
      throw new AppError('CONFLICT', `${before.code} 是本位币，不能取消（每家公司必须有一个本位币）`, [{ field: 'body.isBase', message: '本位币不能取消' }]);
    }
    await updateVersioned(tx.currency, { where: { id }, version, data: fields, label: '币别' });
    const after = await findCurrency(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'currency', entityId: id, before, after, payload: { code: after.code, name: after.name } });
    return toCurrencyDto(after);
  }));
}

export async function deleteCurrency(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findCurrency(tx, id);
    if (before.isBase) throw new AppError('CONFLICT', `${before.code} 是本位币，不能删除`);
    const [customers, suppliers] = await Promise.all([
      tx.customer.count({ where: { currencyCode: before.code } }),
      tx.supplier.count({ where: { currencyCode: before.code } }),
    ]);
    if (customers + suppliers > 0) {
      const users = [customers ? `${customers} 个客户` : '', suppliers ? `${suppliers} 个供应商` : ''].filter(Boolean).join('、');
      throw new AppError('IN_USE', `币别「${before.name}」${before.code} 正被 ${users}使用，不能删除`);
    }
    await tx.currency.delete({ where: { id } }); // its exchange rates go with it (cascade)
    await recordChange(tx, ctx, { action: 'delete', entity: 'currency', entityId: id, before, payload: { code: before.code, name: before.name } });
  });
}

export async function listRates(ctx: UseCaseContext, currencyId: string, query: ExchangeRateListQuery): Promise<Page<ExchangeRate>> {
  return runUseCase(ctx, async (tx) => {
    const currency = await findCurrency(tx, currencyId);
    const where: Prisma.ExchangeRateWhereInput = {
      currencyId,
      rateDate: { gte: query.from ? dateOnlyToDb(query.from) : undefined, lte: query.to ? dateOnlyToDb(query.to) : undefined },
    };
    const orderBy = orderByOf(query.sort, '-rateDate') as Prisma.ExchangeRateOrderByWithRelationInput[];
    return findPage(query, (w) => tx.exchangeRate.findMany({ where, orderBy, ...w }), () => tx.exchangeRate.count({ where }), (r) => toRateDto(r, currency.code));
  });
}

export async function createRate(ctx: UseCaseContext, currencyId: string, input: ExchangeRateCreate): Promise<ExchangeRate> {
  return runUseCase(ctx, async (tx) => {
    const currency = await findCurrency(tx, currencyId);
    if (currency.isBase) throw new AppError('CONFLICT', `${currency.code} 是本位币，汇率恒为 1，无需录入`);
    const rateDate = dateOnlyToDb(input.rateDate);
    const existing = await tx.exchangeRate.findFirst({ where: { currencyId, rateDate }, select: { rate: true } });
    if (existing) {
      throw new AppError('DUPLICATE', `${currency.code} 在 ${input.rateDate} 已有汇率 ${existing.rate.toFixed(6)}，不能重复录入`, [
        { field: 'body.rateDate', message: '该日期已有汇率' },
      ]);
    }
    const row = await tx.exchangeRate.create({ data: { companyId: ctx.actor.companyId, currencyId, rateDate, rate: input.rate } });
    const dto = toRateDto(row, currency.code);
    await recordAudit(tx, ctx, { action: 'create', entity: 'exchangeRate', entityId: row.id, after: dto });
    await emitEvent(tx, ctx.actor.companyId, {
      type: 'exchangeRate.created', aggregate: 'currency', aggregateId: currencyId, payload: { currencyCode: currency.code, rateDate: dto.rateDate, rate: dto.rate },
    });
    return dto;
  });
}

/** The rate in effect for a currency on a date (default: today in Asia/Shanghai). */
export async function lookupRate(ctx: UseCaseContext, query: RateLookupQuery): Promise<RateOnDate> {
  return runUseCase(ctx, async (tx) => {
    const date = query.date ?? todayInShanghai();
    const currency = await tx.currency.findFirst({ where: { code: query.currency }, select: { id: true, code: true, isBase: true } });
    if (!currency) throw invalid('query.currency', `币别 ${query.currency} 不存在`);
    const candidates = currency.isBase
      ? []
      : await tx.exchangeRate.findMany({ where: { currencyId: currency.id, rateDate: { lte: dateOnlyToDb(date) } }, orderBy: { rateDate: 'desc' }, take: 1 });
    const found = rateInEffect(currency, candidates.map((r) => ({ rateDate: dateOnlyOf(r.rateDate), rate: r.rate.toFixed(6) })), date);
    if (!found) throw new AppError('NOT_FOUND', `没有 ${currency.code} 在该日期之前的汇率`);
    return found;
  });
}
