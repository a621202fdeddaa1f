// 公司设置: the company's own details and which IM organisations are this company.
import { CHAT_PLATFORM_LABELS, EXCHANGE_RATE_BASIS_LABELS, TAXPAYER_KIND_LABELS } from '../../../../shared/enums.ts';
import type { z } from 'zod';
import type { Company, CompanyUpdate, PlatformBind } from '../../../../shared/schemas/company.ts';
import type { Db } from '../../../db/database.ts';
import type { Tx } from '../../../db/transaction.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';

async function load(tx: Tx, companyId: string): Promise<Company> {
  const c = await tx.company.findUniqueOrThrow({ where: { id: companyId }, include: { platforms: { orderBy: { createdAt: 'asc' } } } });
  return {
    id: c.id, code: c.code, name: c.name, taxNo: c.taxNo, taxpayerKind: c.taxpayerKind, taxpayerKindLabel: TAXPAYER_KIND_LABELS[c.taxpayerKind],
    baseCurrency: c.baseCurrency, approvalRecusal: c.approvalRecusal,
    receiptRateBasis: c.receiptRateBasis, receiptRateBasisLabel: EXCHANGE_RATE_BASIS_LABELS[c.receiptRateBasis],
    platforms: c.platforms.map((p) => ({ id: p.id, platform: p.platform, platformLabel: CHAT_PLATFORM_LABELS[p.platform], orgKey: p.orgKey, createdAt: isoShanghai(p.createdAt) })),
  };
}

export const getCompany = (ctx: UseCaseContext) => runUseCase(ctx, (tx) => load(tx, ctx.actor.companyId));

export async function updateCompany(ctx: UseCaseContext, input: z.infer<typeof CompanyUpdate>): Promise<Company> {
  return runUseCase(ctx, async (tx) => {
    const before = await load(tx, ctx.actor.companyId);
    await tx.company.update({ where: { id: ctx.actor.companyId }, data: input });
    const after = await load(tx, ctx.actor.companyId);
    await recordAudit(tx, ctx, { action: 'update', entity: 'company', entityId: ctx.actor.companyId, before, after });
    return after;
  });
}

/**
 * Binds an IM organisation to this company. An organisation belongs to one company only, across
 * the whole deployment, so the check reads past row-level security (a unique index backs it).
 */
export async function bindPlatform(ctx: UseCaseContext, input: z.infer<typeof PlatformBind>, system: Db): Promise<Company> {
  const taken = await system.companyPlatform.findUnique({ where: { platform_orgKey: { platform: input.platform, orgKey: input.orgKey } }, select: { companyId: true } });
  const label = CHAT_PLATFORM_LABELS[input.platform];
  if (taken) {
    const mine = taken.companyId === ctx.actor.companyId;
    throw new AppError('DUPLICATE', mine ? `${label}组织 ${input.orgKey} 已绑定到本公司` : `${label}组织 ${input.orgKey} 已绑定到其他公司`, [{ field: 'body.orgKey', message: '已被绑定' }]);
  }
  return runUseCase(ctx, async (tx) => {
    const row = await tx.companyPlatform.create({ data: { companyId: ctx.actor.companyId, platform: input.platform, orgKey: input.orgKey } });
    await recordAudit(tx, ctx, { action: 'bindPlatform', entity: 'company', entityId: ctx.actor.companyId, after: row });
    await emitEvent(tx, ctx.actor.companyId, { type: 'company.platformBound', aggregate: 'company', aggregateId: ctx.actor.companyId, payload: { platform: input.platform, orgKey: input.orgKey } });
    return load(tx, ctx.actor.companyId);
  });
}

export async function unbindPlatform(ctx: UseCaseContext, id: string): Promise<Company> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.companyPlatform.findUnique({ where: { id } });
    if (!row) throw notFound('平台绑定');
    await tx.companyPlatform.delete({ where: { id } });
    await recordAudit(tx, ctx, { action: 'unbindPlatform', entity: 'company', entityId: ctx.actor.companyId, before: row });
    await emitEvent(tx, ctx.actor.companyId, { type: 'company.platformUnbound', aggregate: 'company', aggregateId: ctx.actor.companyId, payload: { platform: row.platform, orgKey: row.orgKey } });
    return load(tx, ctx.actor.companyId);
  });
}
