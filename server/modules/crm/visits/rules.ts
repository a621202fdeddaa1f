// Pure rules of a visit's time: check-out duration and the day boundaries plans are judged by.

/** Whole minutes between check-in and check-out, and whether that is below the company's minimum. */
export function visitDuration(checkInAt: Date, checkOutAt: Date, minMinutes: number): { durationMinutes: number; tooShort: boolean } {
  const durationMinutes = Math.max(0, Math.floor((checkOutAt.getTime() - checkInAt.getTime()) / 60_000));
  return { durationMinutes, tooShort: durationMinutes < minMinutes };
}

/** The instant a day (YYYY-MM-DD, Beijing time) begins and the next one does. */
export function shanghaiDayBounds(day: string): { start: Date; end: Date } {
  const start = new Date(`${day}T00:00:00+08:00`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** A plan still "planned" after its day has ended was missed. */
export const MISSED_REASON = '计划日已过，未签到';
