// 发送对账单到客户群: the statement's totals go out as a card to the chat groups routed to this
// customer (notification_route.customer_id, the customer's 订单群). The outbox event is written in
// this transaction and the notice planner delivers it, so a failed send never leaves a half-sent card.
import type { StatementSendResult } from '../../../../shared/schemas/sales/receivables.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, invalid } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { statementIn } from './reports.ts';

export const STATEMENT_EVENT = 'receivables.statement';

export async function sendCustomerStatement(ctx: UseCaseContext, customerId: string, q: { from: string; to: string }): Promise<StatementSendResult> {
  if (q.from > q.to) throw invalid('body.from', '起始日期不能晚于截止日期');
  return runUseCase(ctx, async (tx) => {
    const s = await statementIn(tx, ctx.actor, customerId, q);
    const [routes] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM notification_route WHERE active AND customer_id = ${customerId}::uuid`;
    if (!routes!.n) throw new AppError('CONFLICT', `客户 ${s.customer.name} 没有绑定群聊，不能发送对账单`);
    const payload = {
      customerId: s.customer.id, customerName: s.customer.name, from: s.from, to: s.to,
      opening: s.opening, invoiced: s.invoiced, received: s.received, closing: s.closing,
    };
    await tx.$executeRaw`
      INSERT INTO outbox_event (company_id, type, aggregate, aggregate_id, payload)
      VALUES (${ctx.actor.companyId}::uuid, ${STATEMENT_EVENT}, 'customer', ${customerId}, ${JSON.stringify(payload)}::jsonb)`;
    await recordAudit(tx, ctx, { action: 'send', entity: 'customerStatement', entityId: customerId, after: { ...payload, groups: routes!.n } });
    return { ...payload, groups: routes!.n };
  });
}
