// 2026 法定节假日与调休上班日 — 国务院办公厅关于2026年部分节假日安排的通知（2025-11-04，新华社发布）.
// Every day of each holiday block is listed (also the weekend days inside it); 调休 workdays are the
// weekend days worked instead.
export interface SeedCalendarDay {
  date: string;
  kind: 'holiday' | 'makeUpWorkday';
  name: string;
}

function block(name: string, from: string, to: string): SeedCalendarDay[] {
  const out: SeedCalendarDay[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    out.push({ date: d.toISOString().slice(0, 10), kind: 'holiday', name });
  }
  return out;
}
const workday = (date: string, name: string): SeedCalendarDay => ({ date, kind: 'makeUpWorkday', name: `${name}调休上班` });

export const workCalendar2026: SeedCalendarDay[] = [
  ...block('元旦', '2026-01-01', '2026-01-03'), workday('2026-01-04', '元旦'),
  ...block('春节', '2026-02-15', '2026-02-23'), workday('2026-02-14', '春节'), workday('2026-02-28', '春节'),
  ...block('清明节', '2026-04-04', '2026-04-06'),
  ...block('劳动节', '2026-05-01', '2026-05-05'), workday('2026-05-09', '劳动节'),
  ...block('端午节', '2026-06-19', '2026-06-21'),
  ...block('中秋节', '2026-09-25', '2026-09-27'),
  ...block('国庆节', '2026-10-01', '2026-10-07'), workday('2026-09-20', '国庆节'), workday('2026-10-10', '国庆节'),
];
