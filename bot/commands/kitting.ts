// 齐套 <订单号> | 齐套 <生产任务单号…> | 齐套 <物料编码或名称> <数量>: the kitting analysis as the
// asker would get it from the API (kitting:read; an order also needs salesOrder:read and is within
// their data scope, else "not found", the same answer as for a number that does not exist; tasks
// need the right to see production tasks).
import { kittingFor, kittingForProductionTaskNumbers, kittingForSalesOrder } from '../../server/modules/manufacturing/index.ts';
import { findOrderByNumber } from '../../server/modules/sales/index.ts';
import { can } from '../../server/platform/actor.ts';
import { AppError } from '../../server/platform/errors.ts';
import type { UseCaseContext } from '../../server/platform/services.ts';
import type { InboundMessage } from '../../server/platform/channels.ts';
import { kittingCard, orderKittingCard, tasksKittingCard } from '../cards/kitting.ts';
import { cardToText } from '../cards/text.ts';
import type { BotReply } from './run.ts';
import { oneItemFor } from './stock.ts';

export const KITTING_REPLIES = {
  noPermission: '你没有查看齐套分析的权限',
  noOrderPermission: '你没有查看销售订单的权限',
  noTaskPermission: '你没有查看生产任务单的权限',
} as const;

/** A refusal the API would answer with 4xx (no BOM, a cancelled order…): its message is the answer. */
async function orRefusal(run: () => Promise<BotReply>): Promise<BotReply> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof AppError && ['VALIDATION_FAILED', 'CONFLICT', 'NOT_FOUND', 'FORBIDDEN'].includes(e.code)) return { text: e.message };
    throw e;
  }
}

export async function kittingItemReply(ctx: UseCaseContext, keyword: string, quantity: string, baseUrl: string | undefined): Promise<BotReply> {
  if (!can(ctx.actor, 'kitting:read')) return { text: KITTING_REPLIES.noPermission };
  const found = await oneItemFor(ctx, keyword, (code) => `齐套 ${code} ${quantity}`);
  if ('reply' in found) return found.reply;
  return orRefusal(async () => {
    const card = kittingCard(await kittingFor(ctx, { itemId: found.item.id, quantity }), { baseUrl });
    return { text: cardToText(card), card };
  });
}

export async function kittingOrderReply(ctx: UseCaseContext, msg: InboundMessage, number: string, baseUrl: string | undefined, notFound: (n: string) => string): Promise<BotReply> {
  if (!can(ctx.actor, 'kitting:read')) return { text: KITTING_REPLIES.noPermission };
  if (!can(ctx.actor, 'salesOrder:read')) return { text: KITTING_REPLIES.noOrderPermission };
  const order = await findOrderByNumber(ctx, number);
  if (!order) return { text: notFound(number) };
  return orRefusal(async () => {
    const card = orderKittingCard(await kittingForSalesOrder(ctx, order.id, {}), { baseUrl });
    const reply: BotReply = { text: cardToText(card), card };
    // An order (its customer, what it is short of) is for those whose data scope holds it, not the whole group.
    if (msg.chatType === 'group') return { ...reply, privateToAsker: true, groupPointer: `已私信发送给 @${ctx.actor.name}` };
    return reply;
  });
}

export async function kittingTasksReply(ctx: UseCaseContext, numbers: string[], baseUrl: string | undefined): Promise<BotReply> {
  if (!can(ctx.actor, 'kitting:read')) return { text: KITTING_REPLIES.noPermission };
  if (!can(ctx.actor, 'productionTask:read') && !can(ctx.actor, 'productionTask:report')) return { text: KITTING_REPLIES.noTaskPermission };
  return orRefusal(async () => {
    const card = tasksKittingCard(await kittingForProductionTaskNumbers(ctx, numbers), { baseUrl });
    return { text: cardToText(card), card };
  });
}
