// 请假天数 from the start and end times and the company's work calendar, by half days. A day is
// worked when it is Monday–Friday and not a holiday, or when it is a 调休 workday; each worked
// day has a morning [00:00, 12:00) and an afternoon [12:00, 24:00) in Beijing time, and the leave
// counts every half its [start, end) touches (so 09:00–12:00 is 0.5, 13:00–18:00 is 0.5, 09:00–18:00 is 1).
// Pure: the caller loads the calendar for the dates in between.

export interface WorkCalendar {
  /** YYYY-MM-DD public holidays (whatever the weekday) */
  holidays: ReadonlySet<string>;
  /** YYYY-MM-DD weekend days worked (调休上班) */
  makeUpWorkdays: ReadonlySet<string>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BEIJING = 8 * HOUR;
/** longest leave the calendar is walked for (a year and a bit): a longer period is a typing mistake */
export const MAX_LEAVE_CALENDAR_DAYS = 400;

/** YYYY-MM-DD of a Beijing day number (days since 1970-01-01 in Beijing time). */
const dateOf = (dayNo: number): string => new Date(dayNo * DAY).toISOString().slice(0, 10);

export function isWorkday(date: string, calendar: WorkCalendar): boolean {
  if (calendar.makeUpWorkdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The Beijing dates the leave touches, first to last (what the caller loads calendar rows for). */
export function leaveDateRange(start: Date, end: Date): { from: string; to: string } {
  return { from: dateOf(Math.floor((start.getTime() + BEIJING) / DAY)), to: dateOf(Math.floor((end.getTime() - 1 + BEIJING) / DAY)) };
}

/** Number of half days of leave between start and end (end after start). */
export function leaveHalfDays(start: Date, end: Date, calendar: WorkCalendar): number {
  const s = start.getTime() + BEIJING;
  const e = end.getTime() + BEIJING;
  if (!(e > s)) return 0;
  const first = Math.floor(s / DAY);
  const last = Math.floor((e - 1) / DAY);
  if (last - first > MAX_LEAVE_CALENDAR_DAYS) throw new RangeError(`请假时间跨度超过 ${MAX_LEAVE_CALENDAR_DAYS} 天`);
  let halves = 0;
  for (let day = first; day <= last; day++) {
    if (!isWorkday(dateOf(day), calendar)) continue;
    const morning = day * DAY;
    const noon = morning + 12 * HOUR;
    const midnight = morning + DAY;
    if (s < noon && e > morning) halves++;
    if (s < midnight && e > noon) halves++;
  }
  return halves;
}

/** 请假天数 as stored and shown: "2.5". */
export function leaveDays(start: Date, end: Date, calendar: WorkCalendar): string {
  return (leaveHalfDays(start, end, calendar) / 2).toFixed(1);
}
