// 一键投放 tapped on the planner group's MRP card: the run's open suggestions the bound user may
// release (purchase ones with 新增请购单 into one requisition, production ones with 新增生产任务单 into
// planned tasks; mrp:write for either, as the API) under the MRP lock, so of many taps by anyone
// exactly one releases and the rest are told what they became.
import type { Database } from '../../server/db/database.ts';
import { findAsker } from '../../server/modules/auth/index.ts';
import { noBomNote, releaseRunSuggestions } from '../../server/modules/manufacturing/index.ts';
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
    return { toast: { type: 'success', content: releasedToast(r) } };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { toast: { type: 'error', content: e.message } };
  }
}

/** 「已投放：请购 2 条（请购单 PR-…），生产任务 3 条」, and what was left for someone allowed to release it */
function releasedToast(r: Awaited<ReturnType<typeof releaseRunSuggestions>>): string {
  const purchases = r.released - r.productionTasks.length;
  const parts = [
    ...(r.requisition ? [`请购 ${purchases} 条（请购单 ${r.requisition.number}）`] : []),
    ...(r.productionTasks.length ? [`生产任务 ${r.productionTasks.length} 条`] : []),
  ];
  const left = [...(r.withheld ? [`另有 ${r.withheld} 条建议你没有权限投放`] : []), ...(r.noBom ? [noBomNote(r.noBom)] : [])].map((x) => `；${x}`).join('');
  return `已投放：${parts.join('，')}${left}`;
}
