// 客户 360: everything about one customer in one read, in one transaction: the profile and
// contacts, the latest follow-ups, the opportunities, orders with their progress (sales),
// receivables and what is overdue (sales receivables), approvals in flight (approvals), the latest visits.
import type { Customer360 } from '../../../../shared/schemas/crm-pipeline.ts';
import { notFound } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { approvalsInFlight } from '../../approvals/index.ts';
import { customerDocumentsInApproval, customerOrders, receivablesOfCustomer } from '../../sales/index.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { customerScope, toCustomerDto } from '../customers/service.ts';
import { latestFollowUps } from '../follow-ups/service.ts';
import { opportunityInclude, opportunityScope, toOpportunityDto } from '../opportunities/service.ts';
import { customerVisits } from '../visits/service.ts';

const FOLLOW_UPS_SHOWN = 10;
const ORDERS_SHOWN = 20;
const VISITS_SHOWN = 10;

export async function customer360(ctx: UseCaseContext, id: string): Promise<Customer360> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.customer.findFirst({
      where: { AND: [{ id }, customerScope(ctx.actor)] },
      include: { owner: { select: { id: true, name: true } }, contacts: { orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] } },
    });
    if (!row) throw notFound('客户');
    const customer = toCustomerDto(row);
    const followUps = await latestFollowUps(tx, ctx.actor, id, FOLLOW_UPS_SHOWN);
    const opportunities = await tx.opportunity.findMany({
      where: { AND: [{ customerId: id }, opportunityScope(ctx.actor)] }, orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }], include: opportunityInclude,
    });
    const orders = await customerOrders(tx, id, ORDERS_SHOWN);
    const receivables = await receivablesOfCustomer(tx, ctx.actor, { id: row.id, code: row.code, name: row.name });
    const approvals = await approvalsInFlight(tx, await customerDocumentsInApproval(tx, id));
    const visits = await customerVisits(tx, ctx.actor, id, VISITS_SHOWN);
    return {
      customer,
      contacts: customer.contacts,
      followUps,
      opportunities: opportunities.map(toOpportunityDto),
      orders,
      receivables: { asOf: receivables.asOf, open: receivables.open, overdue: receivables.overdue, unsettledCredits: receivables.unsettledCredits, invoices: receivables.invoices },
      approvals: approvals.map((a) => ({ ...a, createdAt: isoShanghai(a.createdAt) })),
      visits,
    };
  });
}
