// Chinese labels of the codes the API sends: the same source as the server (shared/enums.ts).
import {
  CHAT_PLATFORM_LABELS,
  DOCUMENT_STATE_LABELS,
  PRODUCTION_TASK_STATE_LABELS,
  PROGRESS_LABELS,
  QUALITY_STATUS_LABELS,
} from '../../../shared/enums';
import type { TagType } from './format';

export { CHAT_PLATFORM_LABELS, DOCUMENT_STATE_LABELS, PRODUCTION_TASK_STATE_LABELS, PROGRESS_LABELS, QUALITY_STATUS_LABELS };

function labelOf(labels: Readonly<Record<string, string>>, code: string | null | undefined): string {
  if (!code) return '—';
  return labels[code] ?? code;
}

/** 草稿 / 待审批 / 已确认 / 已关闭 / 已取消 */
export function documentStateLabel(state: string | null | undefined): string {
  return labelOf(DOCUMENT_STATE_LABELS, state);
}

export function documentStateTagType(state: string | null | undefined): TagType {
  switch (state) {
    case 'confirmed':
      return 'primary';
    case 'pendingApproval':
      return 'warning';
    case 'closed':
      return 'success';
    case 'cancelled':
      return 'danger';
    default:
      return 'default';
  }
}

/** 无 / 部分 / 全部 */
export function progressLabel(progress: string | null | undefined): string {
  return labelOf(PROGRESS_LABELS, progress);
}

/** 待检 / 合格 / 不合格 */
export function qualityStatusLabel(status: string | null | undefined): string {
  return labelOf(QUALITY_STATUS_LABELS, status);
}

/** 计划 / 已下达 / 生产中 / 已完工 / 已关闭 / 已取消 */
export function productionTaskStateLabel(state: string | null | undefined): string {
  return labelOf(PRODUCTION_TASK_STATE_LABELS, state);
}

export function productionTaskStateTagType(state: string | null | undefined): TagType {
  switch (state) {
    case 'released':
      return 'primary';
    case 'inProgress':
      return 'warning';
    case 'completed':
      return 'success';
    case 'cancelled':
      return 'danger';
    default:
      return 'default';
  }
}
