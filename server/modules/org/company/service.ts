// 公司设置: the company's own details and which IM organisations are this company.
import { CHAT_PLATFORM_LABELS, EXCHANGE_RATE_BASIS_LABELS, TAXPAYER_KIND_LABELS } from '../../../../shared/enums.ts';
import type { z } from 'zod';
import type { Company, CompanyUpdate, PlatformBind } from '../../../../shared/schemas/company.ts';
import type { Tx } from '../../../db/transaction.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, invalid, notFound, toAppError } from '../../../platform/errors.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type AppServices, type UseCaseContext } from '../../../platform/services.ts';
import { platformMember } from '../../auth/index.ts';
import { isoShanghai } from '../../../../shared/time.ts';

async function load(tx: Tx, companyId: string): Promise<Company> {
  const c = await tx.company.findUniqueOrThrow({ where: { id: companyId }, include: { platforms: { orderBy: { createdAt: 'asc' } } } });
  const rejectWarehouse = c.rejectWarehouseId ? await tx.warehouse.findUnique({ where: { id: c.rejectWarehouseId }, select: { id: true, code: true, name: true } }) : null;
  return {
    id: c.id, code: c.code, name: c.name, taxNo: c.taxNo, taxpayerKind: c.taxpayerKind, taxpayerKindLabel: TAXPAYER_KIND_LABELS[c.taxpayerKind],
    baseCurrency: c.baseCurrency, approvalRecusal: c.approvalRecusal,
    receiptRateBasis: c.receiptRateBasis, receiptRateBasisLabel: EXCHANGE_RATE_BASIS_LABELS[c.receiptRateBasis], rejectWarehouse,
    visitRadiusMeters: c.visitRadiusMeters, visitMinMinutes: c.visitMinMinutes,
    platforms: c.platforms.map((p) => ({ id: p.id, platform: p.platform, platformLabel: CHAT_PLATFORM_LABELS[p.platform], orgKey: p.orgKey, createdAt: isoShanghai(p.createdAt) })),
  };
}

export const getCompany = (ctx: UseCaseContext) => runUseCase(ctx, (tx) => load(tx, ctx.actor.companyId));

export async function updateCompany(ctx: UseCaseContext, input: z.infer<typeof CompanyUpdate>): Promise<Company> {
  return runUseCase(ctx, async (tx) => {
    const before = await load(tx, ctx.actor.companyId);
    if (input.rejectWarehouseId && !(await tx.warehouse.findFirst({ where: { id: input.rejectWarehouseId, active: true }, select: { id: true } }))) {
      throw invalid('body.rejectWarehouseId', '仓库不存在或已停用');
    }
    await tx.company.update({ where: { id: ctx.actor.companyId }, data: input });
    const after = await load(tx, ctx.actor.companyId);
    await recordAudit(tx, ctx, { action: 'update', entity: 'company', entityId: ctx.actor.companyId, before, after });
    return after;
  });
}

/**
 * Binds the IM organisation that a platform sign-in code was issued in (the admin opened the
 * mini-app inside it): a typed key proves nothing. An organisation belongs to one company only,
 * across the deployment, so the check reads past row-level security (a unique index backs it);
 * the refusal does not say whether, or by whom, it is held.
 */
export async function bindPlatform(services: AppServices, ctx: UseCaseContext, input: z.infer<typeof PlatformBind>): Promise<Company> {
  const label = CHAT_PLATFORM_LABELS[input.platform];
  const { orgKey } = await platformMember(services, input.platform, input.code);
  if (!orgKey) throw new AppError('VALIDATION_FAILED', `${label}没有告知该登录码所属的组织，无法绑定`, [{ field: 'body.code', message: '无法确定组织' }]);
  const taken = await services.database.system.companyPlatform.findUnique({ where: { platform_orgKey: { platform: input.platform, orgKey } }, select: { companyId: true } });
  if (taken?.companyId === ctx.actor.companyId) throw new AppError('DUPLICATE', `该${label}组织已绑定到本公司`);
  if (taken) throw refused();
  return runUseCase(ctx, async (tx) => {
    const row = await tx.companyPlatform.create({ data: { companyId: ctx.actor.companyId, platform: input.platform, orgKey } }).catch((e: unknown) => {
      // another company bound it between the check and now
      if (toAppError(e).code === 'DUPLICATE') throw refused();
      throw e;
    });
    await recordAudit(tx, ctx, { action: 'bindPlatform', entity: 'company', entityId: ctx.actor.companyId, after: row });
    await emitEvent(tx, ctx.actor.companyId, { type: 'company.platformBound', aggregate: 'company', aggregateId: ctx.actor.companyId, payload: { platform: input.platform, orgKey } });
    return load(tx, ctx.actor.companyId);
  });
}

const refused = () => new AppError('CONFLICT', '无法绑定该组织，请联系云桥管理员');

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
