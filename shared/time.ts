// Dates as people in China read them: Asia/Shanghai, whatever the server's own time zone.
export const TIME_ZONE = 'Asia/Shanghai';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYYMMDD of the instant in Asia/Shanghai */
export function shanghaiDay(at: Date): string {
  return dayFormat.format(at).replace(/-/g, '');
}

const stampFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

/** e.g. 2026/11/23 18:05:09 */
export function formatShanghai(at: Date): string {
  return stampFormat.format(at);
}

/** ISO 8601 in Beijing time, e.g. 2026-11-23T18:05:09.000+08:00 (China keeps +08:00 all year). */
export function isoShanghai(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
}
