// 机器人问答: a verified chat message → the answer, as the bound user would see it in the API
// (same permissions, same data scope). Platform-independent: each channel turns the reply into its
// own message. Never throws: a failure is logged and answered with a short apology.
import type { Database } from '../../server/db/database.ts';
import { findOrderByNumber } from '../../server/modules/sales/index.ts';
import { can, type Actor } from '../../server/platform/actor.ts';
import { findAsker } from '../../server/modules/auth/index.ts';
import { loadActor, type TokenSigner } from '../../server/platform/auth.ts';
import type { Config } from '../../server/platform/config.ts';
import { AppError } from '../../server/platform/errors.ts';
import type { UseCaseContext } from '../../server/platform/services.ts';
import { miniAppUrl } from '../cards/format.ts';
import { orderAnswerCard } from '../cards/order.ts';
import { approvalCard } from '../cards/approval.ts';
import { approvalCardFacts } from '../approvals/facts.ts';
import { listApprovals } from '../../server/modules/approvals/index.ts';
import { cardToText } from '../cards/text.ts';
import type { CardView, InboundMessage } from '../../server/platform/channels.ts';
import { helpText } from './help.ts';
import { parseCommand } from './parse.ts';
import { kittingItemReply, kittingOrderReply, kittingTasksReply } from './kitting.ts';
import { stockReply } from './stock.ts';
import { receivablesReply } from './receivables.ts';

export interface BotReply {
  /** always present: the whole answer as text (platforms without cards, and the fallback) */
  text: string;
  card?: CardView;
  /** the answer is for the asker alone (1:1 or ephemeral), not for the group it was asked in */
  privateToAsker?: boolean;
  /** what the group sees instead when the answer went to the asker alone */
  groupPointer?: string;
  /** cards for the asker alone (待审批: one per approval, with its buttons) */
  cardsToAsker?: CardView[];
}

export interface BotLog {
  error(obj: object, msg?: string): void;
}

export interface ChatDeps {
  database: Database;
  config: Config;
  log?: BotLog;
  /** signs the one-time binding proof put into an unbound sender's bind link */
  tokens?: Pick<TokenSigner, 'signBinding'>;
}

export const REPLIES = {
  unknownOrganisation: '这个企业还没有开通云桥，暂时无法为你查询。请联系贵司管理员在云桥中完成企业绑定。',
  inactive: '你的云桥账号已停用，请联系管理员。',
  noStockPermission: '你没有查看库存的权限',
  noOrderPermission: '你没有查看销售订单的权限',
  noReceivablePermission: '你没有查看应收的权限',
  noApprovals: '暂无待审批事项',
  sorry: '抱歉，查询时出了点问题，请稍后再试。',
} as const;

export function bindLink(config: Pick<Config, 'PUBLIC_BASE_URL'>, platform: InboundMessage['platform'], bindToken?: string): string {
  const token = bindToken ? `&bindToken=${encodeURIComponent(bindToken)}` : '';
  return miniAppUrl(config.PUBLIC_BASE_URL, `bind?platform=${encodeURIComponent(platform)}${token}`);
}

export const orderNotFound = (number: string) => `没有找到订单 ${number}，或你无权查看`;

async function orderReply(ctx: UseCaseContext, msg: InboundMessage, number: string, baseUrl: string | undefined): Promise<BotReply> {
  if (!can(ctx.actor, 'salesOrder:read')) return { text: REPLIES.noOrderPermission };
  // Found or not, outside the asker's data scope or not: the same answer (existence does not leak).
  const order = await findOrderByNumber(ctx, number);
  if (!order) return { text: orderNotFound(number) };
  const card = orderAnswerCard(order, { baseUrl });
  const reply: BotReply = { text: cardToText(card), card };
  // The order's amounts are for the asker only. Named as in Yunqiao: a platform's sender name can be an account (li.xs).
  if (msg.chatType === 'group') return { ...reply, privateToAsker: true, groupPointer: `已私信发送给 @${ctx.actor.name}` };
  return reply;
}

/** 待审批: what waits for the asker's decision, each as a card with its buttons, sent to them alone. */
async function approvalsReply(ctx: UseCaseContext, msg: InboundMessage, baseUrl: string | undefined): Promise<BotReply> {
  const page = await listApprovals(ctx, 'pending', { page: 1, pageSize: 5 });
  if (!page.total) return { text: REPLIES.noApprovals };
  const lines = page.items.map((a, i) => {
    const figures = approvalCardFacts(a).fields.map((f) => `${f.label} ${f.value}`).join('，');
    return `${i + 1}. ${a.title}（${a.applicant.name}${figures ? `；${figures}` : ''}）`;
  });
  const more = page.total > page.items.length ? `\n……另有 ${page.total - page.items.length} 项，请在云桥「审批」里查看：${miniAppUrl(baseUrl, 'approvals')}` : '';
  const text = `你有 ${page.total} 项待审批：\n${lines.join('\n')}${more}`;
  const cardsToAsker = page.items.map((a) => approvalCard(approvalCardFacts(a), { baseUrl }));
  if (msg.chatType === 'group') return { text, cardsToAsker, privateToAsker: true, groupPointer: `已私信发送给 @${ctx.actor.name}` };
  return { text, cardsToAsker };
}

async function answer(deps: ChatDeps, msg: InboundMessage): Promise<BotReply> {
  const system = deps.database.system;
  const asker = await findAsker(system, msg);
  if (asker.kind === 'unknownOrganisation') return { text: REPLIES.unknownOrganisation };
  if (asker.kind === 'unbound') {
    // The link carries a 10-minute proof of who asked, so it goes to the asker alone: anyone else
    // opening it could bind their own account to this chat identity.
    const proof = msg.senderId && deps.tokens ? await deps.tokens.signBinding({ platform: msg.platform, externalUserId: msg.senderId, companyId: asker.companyId }) : undefined;
    return {
      text: `你还没有绑定云桥账号。请在 10 分钟内打开 ${bindLink(deps.config, msg.platform, proof)} 登录云桥完成绑定，然后再问我。`,
      privateToAsker: true,
      groupPointer: `@${msg.senderName || '你'} 还没有绑定云桥账号，绑定链接已私信发送`,
    };
  }
  let actor: Actor;
  try {
    actor = await loadActor(system, { userId: asker.userId, companyId: asker.companyId });
  } catch (e) {
    if (e instanceof AppError && e.code === 'UNAUTHENTICATED') return { text: REPLIES.inactive };
    throw e;
  }
  const ctx: UseCaseContext = { db: deps.database.app, actor, requestId: `bot:${msg.platform}:${msg.messageId}`.slice(0, 100) };
  const baseUrl = deps.config.PUBLIC_BASE_URL;
  const command = parseCommand(msg.text);
  switch (command.kind) {
    case 'stock':
      return stockReply(ctx, command.keyword, baseUrl, REPLIES.noStockPermission);
    case 'order':
      return orderReply(ctx, msg, command.number, baseUrl);
    case 'approvals':
      return approvalsReply(ctx, msg, baseUrl);
    case 'kitting':
      return kittingItemReply(ctx, command.keyword, command.quantity, baseUrl);
    case 'receivables':
      return receivablesReply(ctx, msg, command.customer, baseUrl, REPLIES.noReceivablePermission);
    case 'kittingOrder':
      return kittingOrderReply(ctx, msg, command.number, baseUrl, orderNotFound);
    case 'kittingTasks':
      return kittingTasksReply(ctx, command.numbers, baseUrl);
    default:
      return { text: helpText(command.reason) };
  }
}

/** The bot's answer to one chat message. */
export async function answerChat(deps: ChatDeps, msg: InboundMessage): Promise<BotReply> {
  try {
    return await answer(deps, msg);
  } catch (e) {
    const log: BotLog = deps.log ?? { error: (obj, m) => console.error(m, obj) };
    log.error({ err: e, platform: msg.platform, orgKey: msg.orgKey, messageId: msg.messageId, text: msg.text }, '机器人回答失败');
    return { text: REPLIES.sorry };
  }
}
