// 审批卡片: what an approver sees in chat (applicant, the document's figures, the rule that
// fired, the history so far, 同意 / 驳回), and what every copy turns into after the decision
// (已同意 / 已驳回 by whom and when, buttons gone). Pure: built from facts the engine loads.
import type { CardButton, CardInput, CardView } from '../../server/platform/channels.ts';
import { miniAppUrl, shortTime } from './format.ts';
import type { CardOptions } from './shortage.ts';

export type ApprovalCardState = 'pending' | 'approved' | 'rejected' | 'withdrawn';

export interface ApprovalCardFacts {
  approvalId: string;
  /** 销售折扣审批 · SO-20261123-0001 */
  title: string;
  businessTypeLabel: string;
  applicantName: string;
  documentNumber?: string | null;
  /** document figures, in order: 客户, 金额 ¥…, 折扣 15.0% … */
  fields: { label: string; value: string }[];
  /** why it needs approval: "折扣 15.0% 超过 10%，需销售经理审批" */
  rule?: string | null;
  /** "张经理 同意 · 11-23 15:04" lines, oldest first */
  history: { who: string; action: string; at: string; comment?: string | null }[];
  state: ApprovalCardState;
  stepName?: string | null;
  decidedBy?: string | null;
  decidedAt?: string | null;
  rejectReason?: string | null;
  /** the document version this card asks about: a click carries it back */
  documentVersion: number;
  /** mini-app route of the document (defaults to the approval's own page) */
  documentRoute?: string;
  /** false: this copy's recipient has nothing (more) to decide — no buttons, though the approval runs on */
  actionable?: boolean;
}

const ACTION_LABELS: Record<string, string> = {
  submit: '提交', agree: '同意', reject: '驳回', withdraw: '撤回', transfer: '转交', addApprover: '加签',
  comment: '评论', remind: '催办', escalate: '升级', skip: '自动跳过',
};

export const APPROVAL_STATE_LABELS: Record<ApprovalCardState, string> = {
  pending: '审批中', approved: '已同意', rejected: '已驳回', withdrawn: '已撤回',
};

/** The value a button sends back; channels pass it through untouched. */
export function approvalButtonValue(approvalId: string, decision: 'agree' | 'reject', documentVersion: number): Record<string, string> {
  return { kind: 'approval', approvalId, decision, documentVersion: String(documentVersion) };
}

/** 审批意见: optional with 同意, the reason of a 驳回 (where the platform's card has an input). */
export const APPROVAL_COMMENT_INPUT: CardInput = { name: 'comment', label: '审批意见', placeholder: '同意可不填；驳回请写明原因', maxLength: 500 };

export function approvalCard(f: ApprovalCardFacts, opts: CardOptions = {}): CardView {
  const done = f.state !== 'pending';
  const history = f.history.map((h) => `${h.who} ${ACTION_LABELS[h.action] ?? h.action} · ${shortTime(h.at)}${h.comment ? `：${h.comment}` : ''}`);
  const outcome = !done ? []
    : f.state === 'withdrawn' ? [`**已撤回**${f.decidedAt ? ` · ${shortTime(f.decidedAt)}` : ''}`]
    : [`**${APPROVAL_STATE_LABELS[f.state]}** · ${f.decidedBy ?? ''}${f.decidedAt ? ` · ${shortTime(f.decidedAt)}` : ''}`.replace(' ·  ·', ' ·'),
       ...(f.state === 'rejected' && f.rejectReason ? [`驳回原因：${f.rejectReason}`] : [])];
  const buttons: CardButton[] = done || f.actionable === false ? [] : [
    { text: '同意', style: 'primary', value: approvalButtonValue(f.approvalId, 'agree', f.documentVersion) },
    { text: '驳回', style: 'danger', value: approvalButtonValue(f.approvalId, 'reject', f.documentVersion) },
  ];
  return {
    title: f.title,
    tone: f.state === 'approved' ? 'success' : f.state === 'rejected' ? 'danger' : f.state === 'withdrawn' ? 'info' : 'warning',
    fields: [
      { label: '申请人', value: f.applicantName },
      ...(f.documentNumber ? [{ label: '单号', value: f.documentNumber }] : []),
      // the card names the applicant itself; approvals saved before the OA summaries dropped their own 申请人 still carry one
      ...f.fields.filter((x) => x.label !== '申请人'),
      { label: '状态', value: APPROVAL_STATE_LABELS[f.state] + (!done && f.stepName ? ` · ${f.stepName}` : '') },
    ],
    lines: [...(f.rule ? [`审批原因：${f.rule}`] : []), ...outcome, ...(history.length ? ['审批记录：', ...history] : [])],
    link: { text: '查看详情', url: miniAppUrl(opts.baseUrl, f.documentRoute ?? `approvals/${f.approvalId}`) },
    ...(buttons.length ? { buttons, input: APPROVAL_COMMENT_INPUT } : {}),
    footer: `云桥 · ${f.businessTypeLabel}`,
  };
}
