// 请假天数 by half days on a work calendar: weekends off, holiday blocks off, 调休 Saturdays worked.
import { describe, expect, it } from 'vitest';
import { workCalendar2026 } from '../../prisma/seed-data/calendar.ts';
import { isWorkday, leaveDateRange, leaveDays, type WorkCalendar } from '../../server/modules/oa/leave-days.ts';

const calendar: WorkCalendar = {
  holidays: new Set(workCalendar2026.filter((d) => d.kind === 'holiday').map((d) => d.date)),
  makeUpWorkdays: new Set(workCalendar2026.filter((d) => d.kind === 'makeUpWorkday').map((d) => d.date)),
};
const at = (s: string) => new Date(`${s}+08:00`);

describe('leaveDays (2026 statutory calendar)', () => {
  it.each([
    ['one working day', '2026-12-10T09:00', '2026-12-10T18:00', '1.0'],
    ['a morning', '2026-12-10T09:00', '2026-12-10T12:00', '0.5'],
    ['an afternoon', '2026-12-10T13:00', '2026-12-10T18:00', '0.5'],
    ['Thursday afternoon to Friday morning', '2026-12-10T13:00', '2026-12-11T12:00', '1.0'],
    ['Tuesday to Friday', '2026-12-01T09:00', '2026-12-04T18:00', '4.0'],
    ['Friday to Monday skips the weekend', '2026-12-11T09:00', '2026-12-14T18:00', '2.0'],
    ['two full weeks', '2026-11-30T09:00', '2026-12-11T18:00', '10.0'],
    ['a weekend only', '2026-12-12T09:00', '2026-12-13T18:00', '0.0'],
    ['the 国庆 block (Oct 1–7) is off', '2026-10-01T09:00', '2026-10-07T18:00', '0.0'],
    ['Sep 28 – Oct 9 around 国庆: Mon–Wed + Thu–Fri after', '2026-09-28T09:00', '2026-10-09T18:00', '5.0'],
    ['调休 Saturday Oct 10 is worked', '2026-10-10T09:00', '2026-10-10T18:00', '1.0'],
    ['调休 Sunday Sep 20 is worked, from its afternoon', '2026-09-20T13:00', '2026-09-21T18:00', '1.5'],
    ['across months: Apr 30 afternoon – May 6 (劳动节 May 1–5)', '2026-04-30T13:00', '2026-05-06T18:00', '1.5'],
    ['across months with 春节 (Feb 15–23 off) and its 调休 Saturdays Feb 14, 28: 1+1+4+1+0.5', '2026-02-13T09:00', '2026-03-02T12:00', '7.5'],
    ['across the year end: Dec 31 – Jan 5 (元旦 Jan 1–3, Sunday Jan 4 worked)', '2026-12-31T09:00', '2027-01-05T18:00', '4.0'],
  ])('%s', (_name, start, end, days) => {
    expect(leaveDays(at(start), at(end), calendar)).toBe(days);
  });

  it('counts Beijing days whatever the instant’s zone', () => {
    expect(leaveDays(new Date('2026-12-10T01:00:00Z'), new Date('2026-12-10T10:00:00Z'), calendar)).toBe('1.0');
    expect(leaveDateRange(new Date('2026-12-09T16:00:00Z'), new Date('2026-12-10T16:00:00Z'))).toEqual({ from: '2026-12-10', to: '2026-12-10' });
  });

  it('knows workdays', () => {
    expect([isWorkday('2026-02-14', calendar), isWorkday('2026-02-16', calendar), isWorkday('2026-02-21', calendar), isWorkday('2026-03-02', calendar)]).toEqual([true, false, false, true]);
  });

  it('refuses to walk a period longer than 400 days', () => {
    expect(() => leaveDays(at('2026-01-01T09:00'), at('2028-01-01T09:00'), calendar)).toThrow(RangeError);
  });
});
