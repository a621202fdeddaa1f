// 项目 rules, pure: may a voucher dated `date` name the project? A project in progress takes any
// date (costs before the start, such as bidding, are still the project's); a closed one only dates up
// to its end date, so late invoices of a finished month can still be booked but nothing after it.
export interface ProjectForPosting {
  code: string;
  name: string;
  status: 'active' | 'closed';
  /** YYYY-MM-DD; a closed project always has one */
  endDate: string | null;
}

export function projectPostingProblem(p: ProjectForPosting, date: string): string | null {
  if (p.status !== 'closed') return null;
  if (p.endDate && date <= p.endDate) return null;
  return `项目「${p.code} ${p.name}」已于 ${p.endDate ?? '—'} 结束，不能记入 ${date} 的凭证`;
}

/** Closing: the end date is the one given, else the planned one if already past, else today. */
export function closingEndDate(p: { startDate: string | null; endDate: string | null }, given: string | undefined, today: string): { endDate: string } | { problem: string } {
  const endDate = given ?? (p.endDate && p.endDate <= today ? p.endDate : today);
  if (p.startDate && endDate < p.startDate) return { problem: `结束日期 ${endDate} 不能早于开始日期 ${p.startDate}` };
  return { endDate };
}
