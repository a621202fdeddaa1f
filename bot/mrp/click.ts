// 一键投放 tapped on the planner group's MRP card: the run's open purchase suggestions are released
// as the bound user, exactly like the API does (mrp:write, one requisition under the MRP lock), so
// of many taps by anyone exactly one releases and the rest are told which requisition it became.
import type { Database } from '../../server/db/database.ts';
import { findAsker } from '../../server/modules/auth/index.ts';
import { releaseRunSuggestions } from '../../server/modules/manufacturing/index.ts';
import { loadActor } from '../../server/platform/auth.ts';
import { AppError } from '../../server/platform/errors.ts';
import type { CardClick, CardClickResult } from '../approvals/click.ts';

export const MRP_RELEASE_KIND = 'mrpRelease';

export async function handleMrpReleaseClick(deps: { database: Database }, click: CardClick): Promise<CardClickResult | null> {
  const { value } = click;
  if (value.kind !== MRP_RELEASE_KIND || !value.runId) return null;
  const asker = await findAsker(deps.database.system, { platform: click.platform, orgKey: click.orgKey, senderId: click.operatorId });
  if (asker.kind !== 'bound') return { toast: { type: 'error', content: '你还没有绑定云桥账号，不能在这里投放' } };
  let actor;
  try {
    actor = await loadActor(deps.database.system, { userId: asker.userId, companyId: asker.companyId });
  } catch {
    return { toast: { type: 'error', content: '你的云桥账号已停用' } };
  }
  try {
    const r = await releaseRunSuggestions({ db: deps.database.app, actor, requestId: `card:${click.platform}:${click.eventId}`.slice(0, 64) }, value.runId);
    return { toast: { type: 'success', content: `已投放 ${r.released} 条采购建议，生成请购单 ${r.requisition.number}` } };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { toast: { type: 'error', content: e.message } };
  }
}
