// CRM words and small rules of the pages: labels of sources, statuses, stage kinds and follow-up
// types (shared/enums.ts), the tag colour of each, percent of a probability, today's date.
import { FOLLOW_UP_TYPE_LABELS, LEAD_SOURCE_LABELS, LEAD_STATUS_LABELS, OPPORTUNITY_STAGE_KIND_LABELS } from '../../../shared/enums';
import type { TagType } from './format';

const label = (labels: Readonly<Record<string, string>>, code: string | null | undefined) => (code ? labels[code] ?? code : '—');

export const leadSourceLabel = (code: string | null | undefined) => label(LEAD_SOURCE_LABELS, code);
export const leadStatusLabel = (code: string | null | undefined) => label(LEAD_STATUS_LABELS, code);
export const stageKindLabel = (code: string | null | undefined) => label(OPPORTUNITY_STAGE_KIND_LABELS, code);
export const followUpTypeLabel = (code: string | null | undefined) => label(FOLLOW_UP_TYPE_LABELS, code);

export const LEAD_SOURCE_OPTIONS = Object.entries(LEAD_SOURCE_LABELS).map(([value, name]) => ({ value, name }));
export const FOLLOW_UP_TYPE_OPTIONS = Object.entries(FOLLOW_UP_TYPE_LABELS).map(([value, name]) => ({ value, name }));

export function leadStatusTagType(status: string | null | undefined): TagType {
  return status === 'converted' ? 'success' : status === 'invalid' ? 'default' : status === 'following' ? 'primary' : 'warning';
}

export function stageTagType(kind: string | null | undefined): TagType {
  return kind === 'won' ? 'success' : kind === 'lost' ? 'danger' : kind === 'invalid' ? 'default' : 'primary';
}

/** "0.3000" → "30%", "0.1250" → "12.5%" (the decimal point moved two places, no floats). */
export function percent(probability: string | null | undefined): string {
  if (!probability || !/^\d+(\.\d+)?$/.test(probability)) return '—';
  const [whole = '0', frac = ''] = probability.split('.');
  const shifted = `${whole}${frac.slice(0, 2).padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  const rest = frac.slice(2).replace(/0+$/, '');
  return `${shifted}${rest ? `.${rest}` : ''}%`;
}

/** Today in Asia/Shanghai, YYYY-MM-DD (dates the API takes are Shanghai days). */
export function todayShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The width of a stage's bar in the pipeline, relative to the largest amount (at least a sliver when not empty). */
export function barWidth(amount: string, max: string): number {
  const a = Number(amount);
  const m = Number(max);
  if (!(m > 0) || !(a > 0)) return 0;
  return Math.max(2, Math.round((a / m) * 100));
}
