// 审批卡片的投递计划: approval events → deliveries. A new approver (requested, transfer, 加签,
// escalation, reminder) gets the card on every platform that is on and they are bound to; every
// other change re-renders every copy already sent (approval_card); the end also notifies the
// applicant. Runs inside planDeliveries' transaction.
import type { Db } from '../../server/db/database.ts';
import type { Tx } from '../../server/db/transaction.ts';
import { approvalCard } from '../cards/approval.ts';
import { cardToText } from '../cards/text.ts';
import type { Platform } from '../../server/platform/channels.ts';
import type { PlannedDelivery, PlanOptions } from '../delivery/plan.ts';
import { approvalCardFacts, loadApprovalForCard } from './facts.ts';

export const APPROVAL_EVENTS = ['approval.requested', 'approval.changed', 'approval.decided', 'approval.reminder'] as const;

interface EventRow {
  id: bigint;
  company_id: string;
  type: string;
  aggregate_id: string | null;
  payload: unknown;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export async function planApprovalNotices(tx: Tx, db: Db, companyId: string, events: EventRow[], opts: PlanOptions): Promise<PlannedDelivery[]> {
  const out: PlannedDelivery[] = [];
  const platforms = opts.platforms ?? null;
  for (const e of events) {
    const p = (e.payload ?? {}) as Record<string, unknown>;
    const approvalId = typeof p.approvalId === 'string' ? p.approvalId : e.aggregate_id;
    if (!approvalId) continue;
    const detail = await loadApprovalForCard(tx, db, companyId, approvalId);
    if (!detail) continue;
    const card = approvalCard(approvalCardFacts(detail), { baseUrl: opts.publicBaseUrl });
    const base = { companyId, eventId: e.id, approvalId, card, text: cardToText(card) };

    // New approvers (or a reminder): a copy of the card each, on each platform they use.
    const taskIds = strings(p.taskIds);
    const approverIds = strings(p.approverIds);
    if (detail.state === 'pending' && approverIds.length && e.type !== 'approval.decided') {
      const reminder = e.type === 'approval.reminder';
      const sendCard = reminder ? { ...card, title: `【催办】${card.title}` } : card;
      for (const [i, userId] of approverIds.entries()) {
        for (const who of await identitiesOf(tx, userId, platforms)) {
          out.push({
            ...base, card: sendCard, text: cardToText(sendCard), platform: who.platform, targetKind: 'user', targetId: who.external_user_id,
            taskId: taskIds[i] ?? null, idempotencyKey: `approval:${e.id}:${userId}:${who.platform}`,
          });
        }
      }
    }
    // Everything already sent shows the truth now (who decided, when; no buttons once ended).
    if (e.type !== 'approval.requested' || detail.state !== 'pending') {
      const copies = await tx.$queryRaw<{ id: string; platform: Platform; target_id: string; task_state: string | null }[]>`
        SELECT c.id::text, c.platform::text AS platform, c.target_id, t.state::text AS task_state
          FROM approval_card c LEFT JOIN approval_task t ON t.id = c.task_id
         WHERE c.approval_id = ${approvalId}::uuid ORDER BY c.created_at`;
      // Someone who has decided (or handed the task on) keeps a copy without buttons.
      const settled = approvalCard({ ...approvalCardFacts(detail), actionable: false }, { baseUrl: opts.publicBaseUrl });
      for (const c of copies) {
        if (platforms && !platforms.includes(c.platform)) continue;
        const copyCard = c.task_state === 'pending' ? card : settled;
        out.push({ ...base, card: copyCard, text: cardToText(copyCard), platform: c.platform, targetKind: 'user', targetId: c.target_id, updatesCardId: c.id, idempotencyKey: `approval-update:${e.id}:${c.id}` });
      }
    }
    // The applicant hears how it ended.
    if (e.type === 'approval.decided' && detail.state !== 'withdrawn') {
      for (const who of await identitiesOf(tx, detail.applicant.id, platforms)) {
        out.push({ ...base, platform: who.platform, targetKind: 'user', targetId: who.external_user_id, approvalId: null, idempotencyKey: `approval-result:${e.id}:${who.platform}` });
      }
    }
  }
  return out;
}

async function identitiesOf(tx: Tx, userId: string, platforms: readonly Platform[] | null): Promise<{ platform: Platform; external_user_id: string }[]> {
  const rows = await tx.$queryRaw<{ platform: Platform; external_user_id: string }[]>`
    SELECT platform::text AS platform, external_user_id FROM platform_identity WHERE user_id = ${userId}::uuid ORDER BY platform`;
  return rows.filter((r) => !platforms || platforms.includes(r.platform));
}
