// How a visit reads on a card: its state's tag, the distance line, the planned time (pure).
import { VISIT_STATE_LABELS } from '../../../shared/enums';
import type { Visit } from '../../../shared/schemas/visits';
import type { TagType } from './format';

export { VISIT_STATE_LABELS };

export function visitStateTag(state: Visit['state']): TagType {
  return ({ planned: 'primary', inProgress: 'warning', done: 'success', cancelled: 'default', missed: 'danger' } as const)[state];
}

/** "距客户 80 米" / "距客户 2.0 公里（超出 500 米）" / "距离未知" — null before check-in. */
export function distanceText(v: Pick<Visit, 'checkIn'>): string | null {
  const c = v.checkIn;
  if (!c) return null;
  if (c.distanceMeters === null) return '距离未知（客户还没有位置）';
  const d = c.distanceMeters >= 1000 ? `${(c.distanceMeters / 1000).toFixed(1)} 公里` : `${c.distanceMeters} 米`;
  return `距客户 ${d}${c.distanceWarning ? `（超出 ${c.radiusMeters} 米）` : ''}`;
}

/** HH:mm of an ISO time written in Beijing time (+08:00), as the API sends it. */
export function clockOf(iso: string | null | undefined): string {
  const m = /T(\d{2}:\d{2})/.exec(iso ?? '');
  return m ? m[1]! : '—';
}

/** A date and a time typed on the phone, taken as Beijing time (the company's clock). */
export function beijingInstant(date: string, time: string): string {
  return `${date}T${time}:00+08:00`;
}
