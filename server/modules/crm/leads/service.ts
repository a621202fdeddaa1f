// 线索: use cases, each one transaction, within the actor's data scope (the lead's owner). A lead
// is converted once into a customer (and an opportunity), in one transaction that holds the lead's
// row: a second conversion, concurrent or later, finds it converted.
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { Lead, LeadAssign, LeadConvert, LeadCreate, LeadListQuery, LeadUpdate, Opportunity } from '../../../../shared/schemas/crm-pipeline.ts';
import { can, ownerScope, withinScope, type Actor } from '../../../platform/actor.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, forbidden, lacking, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { assertUserExists } from '../../../platform/references.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { LEAD_SOURCE_LABELS, type LeadSource } from '../../../../shared/enums.ts';
import { createOpportunityIn, toOpportunityDto } from '../opportunities/service.ts';

const include = {
  owner: { select: { id: true, name: true } },
  customer: { select: { id: true, name: true } },
} satisfies Prisma.LeadInclude;
type LeadRow = Prisma.LeadGetPayload<{ include: typeof include }>;

export function toLeadDto(l: LeadRow): Lead {
  return {
    id: l.id,
    contactName: l.name,
    company: l.company,
    title: l.title,
    phone: l.phone,
    email: l.email,
    source: l.source as Lead['source'],
    status: l.status,
    invalidReason: l.invalidReason,
    owner: l.owner,
    customer: l.customer,
    opportunityId: l.opportunityId,
    convertedAt: l.convertedAt ? isoShanghai(l.convertedAt) : null,
    remark: l.remark,
    createdAt: isoShanghai(l.createdAt),
    updatedAt: isoShanghai(l.updatedAt),
    version: l.version,
  };
}

export function leadScope(actor: Actor): Prisma.LeadWhereInput {
  return ownerScope(actor) as Prisma.LeadWhereInput;
}

export async function findVisibleLead(tx: Tx, actor: Actor, id: string): Promise<LeadRow> {
  const row = await tx.lead.findFirst({ where: { AND: [{ id }, leadScope(actor)] }, include });
  if (!row) throw notFound('线索');
  return row;
}

export async function listLeads(ctx: UseCaseContext, query: LeadListQuery): Promise<Page<Lead>> {
  return runUseCase(ctx, (tx) => {
    const where: Prisma.LeadWhereInput = {
      AND: [
        leadScope(ctx.actor),
        keywordWhere(query.q, ['company', 'name', 'phone']),
        { status: query.status, source: query.source, ownerId: query.ownerId },
      ],
    };
    const orderBy = orderByOf(query.sort, '-createdAt') as Prisma.LeadOrderByWithRelationInput[];
    return findPage(query, (w) => tx.lead.findMany({ where, orderBy, include, ...w }), () => tx.lead.count({ where }), toLeadDto);
  });
}

export async function getLead(ctx: UseCaseContext, id: string): Promise<Lead> {
  return runUseCase(ctx, async (tx) => toLeadDto(await findVisibleLead(tx, ctx.actor, id)));
}

/** Someone else as the owner is an assignment: it needs lead:assign, and the owner within the actor's scope. */
async function checkOwner(tx: Tx, actor: Actor, ownerId: string, field: string): Promise<void> {
  if (ownerId !== actor.userId && !can(actor, 'lead:assign')) throw lacking('lead:assign');
  const owner = await assertUserExists(tx, ownerId, field);
  if (!withinScope(actor, owner)) throw forbidden('不能把线索分配给数据范围以外的负责人');
}

export async function createLead(ctx: UseCaseContext, input: LeadCreate): Promise<Lead> {
  return runUseCase(ctx, async (tx) => {
    const ownerId = input.ownerId ?? ctx.actor.userId;
    await checkOwner(tx, ctx.actor, ownerId, 'body.ownerId');
    const row = await tx.lead.create({
      data: {
        companyId: ctx.actor.companyId, name: input.contactName, company: input.company, title: input.title ?? null, phone: input.phone ?? null,
        email: input.email ?? null, source: input.source, remark: input.remark ?? null, ownerId,
      },
      include,
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'lead', entityId: row.id, after: row, payload: { company: row.company, ownerId } });
    return toLeadDto(row);
  });
}

const converted = (l: { status: string; customer: { name: string } | null }) =>
  new AppError('CONFLICT', `线索已转化为客户「${l.customer?.name ?? ''}」，不能再次转化或修改`);

export async function updateLead(ctx: UseCaseContext, id: string, input: LeadUpdate): Promise<Lead> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisibleLead(tx, ctx.actor, id);
    if (before.status === 'converted') throw converted(before);
    const { version, contactName, status, invalidReason, ...fields } = input;
    await updateVersioned(tx.lead, {
      where: { AND: [{ id }, leadScope(ctx.actor)] },
      version,
      data: {
        ...fields,
        ...(contactName ? { name: contactName } : {}),
        ...(status ? { status, invalidReason: status === 'invalid' ? invalidReason ?? null : null } : {}),
      },
      label: '线索',
    });
    const after = await findVisibleLead(tx, ctx.actor, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'lead', entityId: id, before, after, payload: { company: after.company, status: after.status } });
    return toLeadDto(after);
  });
}

/** 分配: a manager hands the lead to someone in their scope. */
export async function assignLead(ctx: UseCaseContext, id: string, input: LeadAssign): Promise<Lead> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisibleLead(tx, ctx.actor, id);
    if (before.status === 'converted') throw converted(before);
    await checkOwner(tx, ctx.actor, input.ownerId, 'body.ownerId');
    await updateVersioned(tx.lead, { where: { AND: [{ id }, leadScope(ctx.actor)] }, version: input.version, data: { ownerId: input.ownerId }, label: '线索' });
    const after = await tx.lead.findUniqueOrThrow({ where: { id }, include });
    await recordChange(tx, ctx, { action: 'update', entity: 'lead', entityId: id, before, after, payload: { company: after.company, ownerId: input.ownerId } });
    return toLeadDto(after);
  });
}

/**
 * 转化: the lead becomes a customer (its company as the name, its person as the primary contact,
 * its owner as the owner) and, when asked, an opportunity of that customer; all or nothing.
 */
export async function convertLead(ctx: UseCaseContext, id: string, input: LeadConvert): Promise<{ lead: Lead; customer: { id: string; code: string; name: string }; opportunity: Opportunity | null }> {
  return runUseCase(ctx, async (tx) => {
    await findVisibleLead(tx, ctx.actor, id);
    // the row lock makes a concurrent second conversion wait, then find the lead converted
    await tx.$queryRaw`SELECT id FROM lead WHERE id = ${id}::uuid FOR UPDATE`;
    const lead = await tx.lead.findUniqueOrThrow({ where: { id }, include });
    if (lead.status === 'converted') throw converted(lead);
    if (lead.status === 'invalid') throw new AppError('CONFLICT', '无效线索不能转化，请先改回跟进中');
    if (lead.version !== input.version) throw new AppError('VERSION_CONFLICT', '线索已被他人修改，请刷新后重试', [{ field: 'body.version', message: '版本已过期' }]);
    // two leads of one company converted at once must not both pass the name check
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`customer-name:${ctx.actor.companyId}:${lead.company}`}))`;
    const same = await tx.customer.findFirst({ where: { name: lead.company }, select: { code: true } });
    if (same) throw new AppError('DUPLICATE', `已有同名客户「${lead.company}」（编码 ${same.code}），不能重复创建；请核对是否同一家公司，或先修改线索的公司名称`, [{ field: 'company', label: '公司名称', message: '已有同名客户' }]);
    const code = await nextDocumentNumber(tx, ctx.actor.companyId, 'KH');
    const mobile = lead.phone && /^1[3-9]\d{9}$/.test(lead.phone) ? lead.phone : null;
    const customer = await tx.customer.create({
      data: {
        companyId: ctx.actor.companyId, code, name: lead.company, phone: lead.phone, ownerId: lead.ownerId ?? ctx.actor.userId,
        remark: `由线索转化（来源：${LEAD_SOURCE_LABELS[lead.source as LeadSource] ?? lead.source}）`,
        contacts: { create: [{ companyId: ctx.actor.companyId, name: lead.name, title: lead.title, mobile, email: lead.email, isPrimary: true }] },
      },
      select: { id: true, code: true, name: true, ownerId: true },
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'customer', entityId: customer.id, after: customer, payload: { code: customer.code, name: customer.name, leadId: id } });
    const opportunity = input.createOpportunity && input.opportunity
      ? await createOpportunityIn(tx, ctx, { ...input.opportunity, customerId: customer.id, ownerId: customer.ownerId, leadId: id }, 'body.opportunity')
      : null;
    await tx.lead.update({
      where: { id },
      data: { status: 'converted', customerId: customer.id, opportunityId: opportunity?.id ?? null, convertedAt: new Date(), version: { increment: 1 } },
    });
    // the lead's follow-ups become the customer's history
    await tx.followUp.updateMany({ where: { leadId: id, customerId: null }, data: { customerId: customer.id } });
    const after = await tx.lead.findUniqueOrThrow({ where: { id }, include });
    await recordChange(tx, ctx, { action: 'update', entity: 'lead', entityId: id, before: lead, after, payload: { company: lead.company, status: 'converted', customerId: customer.id } });
    return { lead: toLeadDto(after), customer: { id: customer.id, code: customer.code, name: customer.name }, opportunity: opportunity ? toOpportunityDto(opportunity) : null };
  });
}

export async function deleteLead(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisibleLead(tx, ctx.actor, id);
    if (before.status === 'converted') throw converted(before);
    await tx.lead.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'lead', entityId: id, before, payload: { company: before.company } });
  });
}
