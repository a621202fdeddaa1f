// Display helpers of the 审批 pages (pure; unit-testable). Labels come from the zod-free
// shared/enums.ts (the schema modules would pull zod into the bundle).
import { APPROVAL_STEP_STATE_LABELS, APPROVAL_TASK_ORIGIN_LABELS, APPROVAL_TASK_STATE_LABELS } from '../../../shared/enums';
import type { ApprovalHistoryEntry, ApprovalListItem, ApprovalStep, ApprovalTask, TimelineEntry } from '../types';
import { formatDateTime, type TagType } from './format';

export const APPROVAL_BOXES = [
  { name: 'pending', title: '待我审批' },
  { name: 'submitted', title: '我发起的' },
  { name: 'cc', title: '抄送我的' },
] as const;
export type ApprovalBoxName = (typeof APPROVAL_BOXES)[number]['name'];

export function isApprovalBox(value: unknown): value is ApprovalBoxName {
  return APPROVAL_BOXES.some((b) => b.name === value);
}

/** 审批中 / 已同意 / 已驳回 / 已撤回 */
export function approvalStateTagType(state: string | null | undefined): TagType {
  switch (state) {
    case 'pending':
      return 'warning';
    case 'approved':
      return 'success';
    case 'rejected':
      return 'danger';
    default:
      return 'default';
  }
}

const TASK_STATE_LABELS: Readonly<Record<string, string>> = APPROVAL_TASK_STATE_LABELS;

export function taskStateLabel(state: string): string {
  return TASK_STATE_LABELS[state] ?? state;
}

export function taskStateTagType(state: string): TagType {
  if (state === 'agreed') return 'success';
  if (state === 'rejected') return 'danger';
  if (state === 'pending') return 'warning';
  return 'default';
}

const STEP_STATE_LABELS: Readonly<Record<string, string>> = APPROVAL_STEP_STATE_LABELS;

export function stepStateLabel(state: string): string {
  return STEP_STATE_LABELS[state] ?? state;
}

/** 或签（一人同意即可）/ 会签（需全部同意） */
export function stepModeLabel(step: Pick<ApprovalStep, 'mode' | 'tasks'>): string {
  if (step.tasks.length <= 1) return '';
  return step.mode === 'allOf' ? '会签 · 需全部同意' : '或签 · 一人同意即可';
}

const ORIGIN_LABELS: Readonly<Record<string, string>> = APPROVAL_TASK_ORIGIN_LABELS;

/** why this approver is in the step (nothing for the flow's own rule) */
export function taskOriginLabel(task: Pick<ApprovalTask, 'origin'>): string {
  return ORIGIN_LABELS[task.origin] ?? '';
}

export interface SummaryField {
  label: string;
  value: string;
}

/** summary.fields as the server wrote them ([{ label, value }]); anything else is left out. */
export function summaryFields(summary: Record<string, unknown> | null | undefined): SummaryField[] {
  const fields = summary?.fields;
  if (!Array.isArray(fields)) return [];
  const out: SummaryField[] = [];
  for (const f of fields as unknown[]) {
    if (!f || typeof f !== 'object') continue;
    const { label, value } = f as { label?: unknown; value?: unknown };
    if (typeof label !== 'string' || !label) continue;
    if (typeof value === 'string' || typeof value === 'number') out.push({ label, value: String(value) });
  }
  return out;
}

/** 触发的规则, e.g. 折扣 15.0% 超过 10%，需销售经理审批 */
export function summaryRule(summary: Record<string, unknown> | null | undefined): string | null {
  const rule = summary?.rule;
  return typeof rule === 'string' && rule.trim() ? rule.trim() : null;
}

/**
 * The document's page in the mini-app: "sales-orders/<id>" → "/sales-orders/<id>". Only plain
 * "<section>/<id>" routes are accepted (the page checks that the app has such a page).
 */
export function documentPath(route: string | null | undefined): string | null {
  if (!route) return null;
  const path = route.trim().replace(/^\/+/, '');
  return /^[a-z][a-z-]*\/[A-Za-z0-9-]+$/.test(path) ? `/${path}` : null;
}

/** 查看销售订单 / 查看报销单 … */
export function documentLinkText(documentType: string): string {
  const names: Record<string, string> = {
    salesOrder: '销售订单',
    purchaseOrder: '采购订单',
    expenseClaim: '报销单',
    leaveRequest: '请假单',
    contract: '合同',
  };
  return `查看${names[documentType] ?? '单据'}`;
}

/** The badge on the 审批 entry: nothing for 0, 99+ above 99. */
export function pendingBadge(count: number | null | undefined): string {
  if (!count || count < 0) return '';
  return count > 99 ? '99+' : String(count);
}

/** The one line a list row shows under the title. */
export function approvalRowMeta(item: Pick<ApprovalListItem, 'applicant' | 'createdAt' | 'businessTypeLabel'>): string {
  return `${item.businessTypeLabel} · ${item.applicant.name} · ${formatDateTime(item.createdAt)}`;
}

/** Where a pending approval stands, or who ended it and when. */
export function approvalProgress(item: Pick<ApprovalListItem, 'state' | 'currentStep' | 'decidedBy' | 'decidedAt' | 'stateLabel'>): string {
  if (item.state === 'pending') return item.currentStep ? `当前节点：${item.currentStep.name}` : '审批中';
  if (item.decidedBy) return `${item.decidedBy.name} ${formatDateTime(item.decidedAt)} ${item.stateLabel}`;
  return item.stateLabel;
}

function payloadText(payload: unknown, key: string): string | null {
  if (!payload || typeof payload !== 'object') return null;
  const v = (payload as Record<string, unknown>)[key];
  return typeof v === 'string' && v ? v : null;
}

/** One history entry as a timeline line: 张经理 同意：下不为例 / 张经理 转交给 王五 */
export function historyMessage(entry: Pick<ApprovalHistoryEntry, 'action' | 'actionLabel' | 'comment' | 'payload'>): string {
  let head = entry.actionLabel;
  if (entry.action === 'transfer') {
    const to = payloadText(entry.payload, 'toName');
    if (to) head = `转交给 ${to}`;
  } else if (entry.action === 'addApprover') {
    const name = payloadText(entry.payload, 'name');
    if (name) head = `加签 ${name}`;
  } else if (entry.action === 'submit') {
    head = '提交审批';
  } else if (entry.action === 'reject') {
    head = '驳回';
  }
  const comment = entry.comment?.trim();
  return comment ? `${head}：${comment}` : head;
}

/** The history in the shape of the order timeline component (oldest first, like the API). */
export function historyTimeline(history: ApprovalHistoryEntry[]): TimelineEntry[] {
  return history.map((h) => ({ id: h.id, kind: h.action, message: historyMessage(h), data: h.payload, actor: h.actor, at: h.at }));
}

/** 驳回 needs a reason (the server answers 400 without one); at most 500 characters. */
export function rejectReasonError(reason: string): string | null {
  const s = reason.trim();
  if (!s) return '请填写驳回原因';
  if (s.length > 500) return '驳回原因最多 500 个字';
  return null;
}

export function commentError(comment: string, required: boolean): string | null {
  const s = comment.trim();
  if (required && !s) return '请填写评论内容';
  if (s.length > 500) return '最多 500 个字';
  return null;
}
