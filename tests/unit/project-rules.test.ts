// 项目 rules, pure: which voucher dates a project takes (in progress: any; closed: up to its end
// date), and the end date a close settles on.
import { describe, expect, it } from 'vitest';
import { closingEndDate, projectPostingProblem } from '../../server/modules/finance/projects/rules.ts';

const p = { code: 'P002', name: '新厂房改造' };

describe('项目能否记入某日的凭证', () => {
  it('进行中：任何日期都可以（计划结束日期不限制）', () => {
    expect(projectPostingProblem({ ...p, status: 'active', endDate: '2026-01-31' }, '2026-12-07')).toBeNull();
  });
  it('已结束：结束日期当天及以前可以，之后不行（说明结束日期与凭证日期）', () => {
    const closed = { ...p, status: 'closed' as const, endDate: '2026-11-30' };
    expect(projectPostingProblem(closed, '2026-11-30')).toBeNull();
    expect(projectPostingProblem(closed, '2026-11-02')).toBeNull();
    expect(projectPostingProblem(closed, '2026-12-01')).toBe('项目「P002 新厂房改造」已于 2026-11-30 结束，不能记入 2026-12-01 的凭证');
  });
});

describe('结束项目的日期', () => {
  it('给了就用给的；没给：已过的计划结束日期，否则今天；早于开始日期的不行', () => {
    expect(closingEndDate({ startDate: '2026-09-01', endDate: null }, '2026-10-15', '2026-12-07')).toEqual({ endDate: '2026-10-15' });
    expect(closingEndDate({ startDate: '2026-09-01', endDate: '2026-11-30' }, undefined, '2026-12-07')).toEqual({ endDate: '2026-11-30' });
    expect(closingEndDate({ startDate: '2026-09-01', endDate: '2027-03-31' }, undefined, '2026-12-07')).toEqual({ endDate: '2026-12-07' });
    expect(closingEndDate({ startDate: '2026-09-01', endDate: null }, '2026-08-31', '2026-12-07')).toEqual({ problem: '结束日期 2026-08-31 不能早于开始日期 2026-09-01' });
  });
});
