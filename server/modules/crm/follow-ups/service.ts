// 跟进记录: who got in touch with a customer (or a lead) how, and when to next; the next contact
// date is copied onto the customer (customer lists, and the reminder on the day).
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { FollowUp, FollowUpCreate, FollowUpListQuery } from '../../../../shared/schemas/crm-pipeline.ts';
import { ownerScope, type Actor } from '../../../platform/actor.ts';
import { recordChange } from '../../../platform/audit.ts';
import { invalid, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { customerScope } from '../customers/service.ts';
import { findVisibleLead } from '../leads/service.ts';
import { findVisibleOpportunity } from '../opportunities/service.ts';

export const followUpInclude = {
  customer: { select: { id: true, name: true } },
  lead: { select: { id: true, company: true } },
  opportunity: { select: { id: true, title: true } },
  owner: { select: { id: true, name: true } },
} satisfies Prisma.FollowUpInclude;
type FollowUpRow = Prisma.FollowUpGetPayload<{ include: typeof followUpInclude }>;

export function toFollowUpDto(f: FollowUpRow): FollowUp {
  return {
    id: f.id,
    customer: f.customer,
    lead: f.lead,
    opportunity: f.opportunity,
    type: f.type as FollowUp['type'],
    content: f.content,
    nextContactOn: f.nextContactOn?.toISOString().slice(0, 10) ?? null,
    owner: f.owner,
    createdAt: isoShanghai(f.createdAt),
  };
}

/** The data scope applies to who followed up. */
export function followUpScope(actor: Actor): Prisma.FollowUpWhereInput {
  return ownerScope(actor) as Prisma.FollowUpWhereInput;
}

export async function listFollowUps(ctx: UseCaseContext, query: FollowUpListQuery): Promise<Page<FollowUp>> {
  return runUseCase(ctx, (tx) => {
    const where: Prisma.FollowUpWhereInput = {
      AND: [
        followUpScope(ctx.actor),
        query.q ? { OR: [keywordWhere(query.q, ['content']), { customer: keywordWhere(query.q, ['name', 'code']) }] } : {},
        { customerId: query.customerId, leadId: query.leadId, opportunityId: query.opportunityId, ownerId: query.ownerId, type: query.type },
      ],
    };
    const orderBy = orderByOf(query.sort, '-createdAt') as Prisma.FollowUpOrderByWithRelationInput[];
    return findPage(query, (w) => tx.followUp.findMany({ where, orderBy, include: followUpInclude, ...w }), () => tx.followUp.count({ where }), toFollowUpDto);
  });
}

/** The latest follow-ups of a customer the actor may see (the customer 360). */
export async function latestFollowUps(tx: Tx, actor: Actor, customerId: string, take: number): Promise<FollowUp[]> {
  const rows = await tx.followUp.findMany({
    where: { AND: [{ customerId }, followUpScope(actor)] }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take, include: followUpInclude,
  });
  return rows.map(toFollowUpDto);
}

export async function getFollowUp(ctx: UseCaseContext, id: string): Promise<FollowUp> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.followUp.findFirst({ where: { AND: [{ id }, followUpScope(ctx.actor)] }, include: followUpInclude });
    if (!row) throw notFound('跟进记录');
    return toFollowUpDto(row);
  });
}

export async function createFollowUp(ctx: UseCaseContext, input: FollowUpCreate): Promise<FollowUp> {
  return runUseCase(ctx, async (tx) => {
    let customerId = input.customerId ?? null;
    if (customerId) {
      const c = await tx.customer.findFirst({ where: { AND: [{ id: customerId }, customerScope(ctx.actor)] }, select: { id: true } });
      if (!c) throw notFound('客户');
    }
    if (input.leadId) {
      const lead = await findVisibleLead(tx, ctx.actor, input.leadId);
      if (customerId && lead.customerId && lead.customerId !== customerId) throw invalid('body.leadId', '线索不属于该客户');
      customerId ??= lead.customerId;
      // a new lead someone has got in touch with is being followed
      if (lead.status === 'new') await tx.lead.update({ where: { id: lead.id }, data: { status: 'following', version: { increment: 1 } } });
    }
    if (input.opportunityId) {
      const o = await findVisibleOpportunity(tx, ctx.actor, input.opportunityId);
      if (customerId && o.customerId !== customerId) throw invalid('body.opportunityId', '商机不属于该客户');
      customerId ??= o.customerId;
    }
    const nextContactOn = input.nextContactOn ? new Date(`${input.nextContactOn}T00:00:00Z`) : null;
    const row = await tx.followUp.create({
      data: {
        companyId: ctx.actor.companyId, customerId, leadId: input.leadId ?? null, opportunityId: input.opportunityId ?? null,
        type: input.type, content: input.content, nextContactOn, ownerId: ctx.actor.userId,
      },
      include: followUpInclude,
    });
    // the latest follow-up decides when to get in touch next (none named: nothing planned)
    if (customerId) await tx.customer.update({ where: { id: customerId }, data: { nextContactOn } });
    await recordChange(tx, ctx, { action: 'create', entity: 'followUp', entityId: row.id, after: row, payload: { customerId, type: row.type, nextContactOn: input.nextContactOn ?? null } });
    return toFollowUpDto(row);
  });
}

export async function deleteFollowUp(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await tx.followUp.findFirst({ where: { AND: [{ id }, followUpScope(ctx.actor)] } });
    if (!before) throw notFound('跟进记录');
    await tx.followUp.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'followUp', entityId: id, before, payload: { customerId: before.customerId } });
  });
}
