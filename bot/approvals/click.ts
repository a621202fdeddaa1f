// 卡片上点「同意 / 驳回」: the click (already verified by the channel) is decided as the bound user,
// exactly like the API does — so a second click, a click by someone else or on an ended approval
// is refused with the reason, and the clicker's card shows the truth either way.
import { decideApproval, getApproval } from '../../server/modules/approvals/index.ts';
import { findAsker } from '../../server/modules/auth/index.ts';
import type { Database } from '../../server/db/database.ts';
import { loadActor } from '../../server/platform/auth.ts';
import { AppError } from '../../server/platform/errors.ts';
import type { UseCaseContext } from '../../server/platform/services.ts';
import type { Config } from '../../server/platform/config.ts';
import { approvalCard } from '../cards/approval.ts';
import type { CardView, Platform } from '../../server/platform/channels.ts';
import { approvalCardFacts } from './facts.ts';

export interface CardClick {
  platform: Platform;
  orgKey: string;
  operatorId: string;
  value: Record<string, string>;
  /**
   * the reason typed into the card, where the platform has an input; where a platform hands the
   * input's value back among the button's values (DingTalk cardPrivateData.params), `value.comment`
   */
  comment?: string;
  /** the card had an input for the reason: a 驳回 with nothing typed is sent back asking for one (no default) */
  reasonAsked?: boolean;
  eventId: string;
}

export interface CardClickResult {
  toast: { type: 'success' | 'error' | 'info' | 'warning'; content: string };
  card?: CardView;
}

/** used when a platform's card has no input for the reason */
export const CARD_REJECT_REASON = '在聊天卡片中驳回（未填写原因）';

export async function handleApprovalClick(deps: { database: Database; config: Pick<Config, 'PUBLIC_BASE_URL'> }, click: CardClick): Promise<CardClickResult | null> {
  const { value } = click;
  if (value.kind !== 'approval' || !value.approvalId || (value.decision !== 'agree' && value.decision !== 'reject')) return null;
  const asker = await findAsker(deps.database.system, { platform: click.platform, orgKey: click.orgKey, senderId: click.operatorId });
  if (asker.kind !== 'bound') return { toast: { type: 'error', content: '你还没有绑定云桥账号，不能在这里审批' } };
  let ctx: UseCaseContext;
  try {
    ctx = { db: deps.database.app, actor: await loadActor(deps.database.system, { userId: asker.userId, companyId: asker.companyId }), requestId: `card:${click.platform}:${click.eventId}`.slice(0, 64) /* audit_log.request_id is varchar(64) */ };
  } catch {
    return { toast: { type: 'error', content: '你的云桥账号已停用' } };
  }
  const render = (d: Awaited<ReturnType<typeof getApproval>>) => approvalCard(approvalCardFacts(d), { baseUrl: deps.config.PUBLIC_BASE_URL });
  const documentVersion = /^\d+$/.test(value.documentVersion ?? '') ? Number(value.documentVersion) : undefined;
  const typed = (click.comment ?? value.comment)?.trim().slice(0, 500) || null;
  if (value.decision === 'reject' && !typed && click.reasonAsked) {
    return { toast: { type: 'warning', content: '请在「审批意见」里写明驳回原因，再点驳回' } };
  }
  try {
    const detail = await decideApproval(ctx, value.approvalId, {
      decision: value.decision,
      comment: value.decision === 'reject' ? typed ?? CARD_REJECT_REASON : typed,
      documentVersion,
    });
    return { toast: { type: 'success', content: value.decision === 'agree' ? '已同意' : '已驳回' }, card: render(detail) };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const truth = await getApproval(ctx, value.approvalId).then(render, () => undefined);
    // Already handled (by whom, when) is true for anyone who sees the card: said on the card too,
    // for platforms that have no toast (WeCom, DingTalk). The next re-render drops the line.
    const card = truth && e.code === 'CONFLICT' ? { ...truth, lines: [`未生效：${e.message}`, ...(truth.lines ?? [])] } : truth;
    return { toast: { type: 'error', content: e.message }, card };
  }
}
