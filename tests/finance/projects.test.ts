// 项目 (辅助核算) through the HTTP API on the real database: the master data (create, edit, search,
// close, reopen; permissions, bad input), manual vouchers whose lines name a project (kept, shown,
// printed, reversed with it), the ledger by project and the 项目收支 report to the fen, a closed
// project refused for a later voucher (nothing written), another company's project unknown, and an
// expense claim line's project carried onto its approval voucher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient, zhao: AuthedClient, zhang: AuthedClient;
const id: Record<string, string> = {};
const acct: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [qian, li, zhao, zhang] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs'), as(t, 'zhao.ck'), as(t, 'zhang.jl')]);
  const sys = t.database.system;
  id.c2 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  id.zhang = (await sys.user.findFirstOrThrow({ where: { username: 'zhang.jl' } })).id;
  for (const a of (await qian('get', '/api/v1/accounts')).body.items as { code: string; id: string }[]) acct[a.code] = a.id;
});
afterAll(async () => t?.close());

const voucherCount = () => t.database.system.voucher.count();

describe('项目档案', () => {
  it('会计新增、修改、搜索项目；销售员只能看；仓管员看不到；错误输入 400、重复编码 409、过期版本 409', async () => {
    const made = await qian('post', '/api/v1/projects').send({
      code: 'PJ-T1', name: '测试配套项目', customerId: id.c2, managerId: id.zhang, startDate: '2026-09-01', endDate: '2026-12-31', remark: '测试',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      code: 'PJ-T1', name: '测试配套项目', customer: { id: id.c2, code: 'C0002' }, manager: { id: id.zhang, name: '张经理' },
      startDate: '2026-09-01', endDate: '2026-12-31', status: 'active', statusLabel: '进行中', version: 1,
    });
    id.project = made.body.id;

    const edited = await qian('patch', `/api/v1/projects/${id.project}`).send({ name: '测试 M8 配套项目', version: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: '测试 M8 配套项目', version: 2 });
    expect((await qian('patch', `/api/v1/projects/${id.project}`).send({ name: '又改', version: 1 })).status).toBe(409);

    const found = await li('get', '/api/v1/projects?q=M8 配套&status=active');
    expect(found.status).toBe(200);
    expect(found.body.items.map((p: { code: string }) => p.code)).toContain('PJ-T1');
    expect((await li('post', '/api/v1/projects').send({ code: 'PJ-X', name: '销售员建的' })).status).toBe(403);
    expect((await li('post', `/api/v1/projects/${id.project}/close`).send({ version: 2 })).status).toBe(403);
    expect((await zhao('get', '/api/v1/projects')).status).toBe(403);

    const empty = await qian('post', '/api/v1/projects').send({ code: 'PJ-T2', name: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].field).toBe('body.name');
    const backwards = await qian('post', '/api/v1/projects').send({ code: 'PJ-T2', name: '倒过来', startDate: '2026-09-02', endDate: '2026-09-01' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('结束日期不能早于开始日期');
    const noCustomer = await qian('post', '/api/v1/projects').send({ code: 'PJ-T2', name: '无客户', customerId: id.zhang });
    expect(noCustomer.status).toBe(400);
    expect(noCustomer.body.error.details[0]).toMatchObject({ field: 'body.customerId', message: '客户不存在' });
    const dup = await qian('post', '/api/v1/projects').send({ code: 'PJ-T1', name: '重复' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('项目编码 PJ-T1 已被「测试 M8 配套项目」使用');
    expect(await t.database.system.project.count({ where: { code: { startsWith: 'PJ-' } } })).toBe(1);
  });

  it('报销明细的项目选择：仓管员也能用（只有进行中的项目，只含 id、编码、名称），按编码/名称搜索、分页；未登录 401，错误参数 400', async () => {
    const ids: Record<string, string> = {};
    for (const [code, name] of [['PJ-O1', '选择测试甲工程'], ['PJ-O2', '选择测试乙工程'], ['PJ-O3', '选择测试已结束工程']] as const) {
      const made = await qian('post', '/api/v1/projects').send({ code, name, startDate: '2026-09-01' });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      ids[code] = made.body.id;
    }
    expect((await qian('post', `/api/v1/projects/${ids['PJ-O3']}/close`).send({ endDate: '2026-09-30', version: 1 })).status).toBe(200);

    // zhao.ck (仓管员) has no project:read, yet files expense claims
    const all = await zhao('get', '/api/v1/projects/options?pageSize=200');
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const { companyId } = await t.database.system.project.findUniqueOrThrow({ where: { id: ids['PJ-O1'] }, select: { companyId: true } });
    const active = await t.database.system.project.findMany({ where: { companyId, status: 'active' }, orderBy: { code: 'asc' }, select: { id: true, code: true, name: true } });
    expect(active.map((p) => p.code)).toEqual(expect.arrayContaining(['PJ-O1', 'PJ-O2']));
    expect(all.body).toEqual({ items: active, total: active.length, page: 1, pageSize: 200 });
    expect(all.body.items.map((p: { code: string }) => p.code)).not.toContain('PJ-O3');

    const searched = await zhao('get', '/api/v1/projects/options?q=选择测试');
    expect(searched.body).toEqual({
      items: [{ id: ids['PJ-O1'], code: 'PJ-O1', name: '选择测试甲工程' }, { id: ids['PJ-O2'], code: 'PJ-O2', name: '选择测试乙工程' }], total: 2, page: 1, pageSize: 20,
    });
    expect((await zhao('get', '/api/v1/projects/options?q=pj-o2')).body.items.map((p: { code: string }) => p.code)).toEqual(['PJ-O2']);
    const second = await zhao('get', '/api/v1/projects/options?q=选择测试&pageSize=1&page=2');
    expect(second.body).toEqual({ items: [{ id: ids['PJ-O2'], code: 'PJ-O2', name: '选择测试乙工程' }], total: 2, page: 2, pageSize: 1 });
    // the accountant (project:read) gets the same light list: the path is not taken for a project id
    expect((await qian('get', '/api/v1/projects/options?q=PJ-O1')).body.items).toEqual([{ id: ids['PJ-O1'], code: 'PJ-O1', name: '选择测试甲工程' }]);

    expect((await t.http().get('/api/v1/projects/options')).status).toBe(401);
    // closed projects cannot be asked for: the picker's query knows no status
    const closedAsked = await zhao('get', '/api/v1/projects/options?status=closed');
    expect(closedAsked.status).toBe(400);
    expect((await zhao('get', '/api/v1/projects/options?pageSize=0')).status).toBe(400);
  });
});

describe('凭证按项目辅助核算', () => {
  it('手工凭证的分录带项目：详情、打印、红冲都带着；明细账按项目筛选与项目收支表到分', async () => {
    // 9 月：管理费用 1,200.00 与在建工程 800.00 记到项目，银行付 2,000.00；确认项目收入 3,000.00、销项 390.00。
    const spend = await qian('post', '/api/v1/vouchers').send({
      date: '2026-09-10', summary: '项目现场费用',
      lines: [
        { accountId: acct['5602'], debit: '1200.00', projectId: id.project },
        { accountId: acct['1604'], debit: '800.00', projectId: id.project },
        { accountId: acct['1002'], credit: '2000.00' },
      ],
    });
    expect(spend.status, JSON.stringify(spend.body)).toBe(201);
    expect(spend.body.lines.map((l: { project: { code: string } | null }) => l.project?.code ?? null)).toEqual(['PJ-T1', 'PJ-T1', null]);
    expect(spend.body.lines[0].project).toEqual({ id: id.project, code: 'PJ-T1', name: '测试 M8 配套项目' });
    const income = await qian('post', '/api/v1/vouchers').send({
      date: '2026-09-20', summary: '项目收入',
      lines: [
        { accountId: acct['1122'], debit: '3390.00', customerId: id.c2, projectId: id.project },
        { accountId: acct['5001'], credit: '3000.00', projectId: id.project },
        { accountId: acct['22210102'], credit: '390.00' },
      ],
    });
    expect(income.status, JSON.stringify(income.body)).toBe(201);

    const print = await qian('get', `/api/v1/vouchers/${spend.body.id}/print`);
    expect(print.text).toContain('项目：测试 M8 配套项目');

    const ledger = await qian('get', `/api/v1/ledger?period=2026-09&accountCode=5602&projectId=${id.project}`);
    expect(ledger.status, JSON.stringify(ledger.body)).toBe(200);
    expect(ledger.body.entries.map((e: { voucherNumber: string; debit: string; credit: string; balance: string }) => [e.voucherNumber, e.debit, e.credit, e.balance]))
      .toEqual([[spend.body.number, '1200.00', '0.00', '1200.00']]);
    expect(ledger.body.closing).toEqual({ direction: '借', balance: '1200.00' });
    const revenue = await qian('get', `/api/v1/ledger?period=2026-09&accountCode=5001&projectId=${id.project}`);
    expect(revenue.body.totals).toEqual({ debit: '0.00', credit: '3000.00' });
    expect(revenue.body.closing).toEqual({ direction: '贷', balance: '3000.00' });

    const report = await qian('get', `/api/v1/project-income?period=2026-09&projectId=${id.project}`);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.rows).toEqual([{
      project: { id: id.project, code: 'PJ-T1', name: '测试 M8 配套项目' }, statusLabel: '进行中',
      income: '3000.00', cost: '1200.00', profit: '1800.00', inProgress: '800.00',
    }]);

    // 红字冲销 keeps the project on its lines: the project's 管理费用 for the month nets to 0.
    const red = await qian('post', `/api/v1/vouchers/${spend.body.id}/reverse`).send({ date: '2026-09-25' });
    expect(red.status).toBe(201);
    expect(red.body.lines[0]).toMatchObject({ debit: '-1200.00', project: { code: 'PJ-T1' } });
    const after = await qian('get', `/api/v1/project-income?period=2026-09&periodTo=2026-09&projectId=${id.project}`);
    expect(after.body.rows[0]).toMatchObject({ income: '3000.00', cost: '0.00', profit: '3000.00', inProgress: '0.00' });
    expect((await li('get', '/api/v1/project-income?period=2026-09')).status).toBe(403);
  });

  it('项目结束后：结束日期之后的凭证不能记到该项目（400，不写凭证），当天及以前的可以；结束日期早于已有凭证的不能结束', async () => {
    const p = (await qian('get', `/api/v1/projects/${id.project}`)).body;
    const tooEarly = await qian('post', `/api/v1/projects/${id.project}/close`).send({ endDate: '2026-09-15', version: p.version });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.message).toContain('2026-09-15 之后还有凭证');
    const closed = await qian('post', `/api/v1/projects/${id.project}/close`).send({ endDate: '2026-09-30', version: p.version });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', statusLabel: '已结束', endDate: '2026-09-30' });
    expect((await qian('get', '/api/v1/projects?status=closed')).body.items.map((x: { code: string }) => x.code)).toContain('PJ-T1');

    const before = await voucherCount();
    const late = await qian('post', '/api/v1/vouchers').send({
      date: '2026-10-05', summary: '结束后的费用',
      lines: [{ accountId: acct['5602'], debit: '100.00', projectId: id.project }, { accountId: acct['1002'], credit: '100.00' }],
    });
    expect(late.status).toBe(400);
    expect(late.body.error.details).toEqual([{ field: 'body.lines.0.projectId', label: '第 1 行 项目', message: '项目「PJ-T1 测试 M8 配套项目」已于 2026-09-30 结束，不能记入 2026-10-05 的凭证' }]);
    expect(await voucherCount()).toBe(before);
    const onTheDay = await qian('post', '/api/v1/vouchers').send({
      date: '2026-09-30', summary: '结束当天的费用',
      lines: [{ accountId: acct['5602'], debit: '100.00', projectId: id.project }, { accountId: acct['1002'], credit: '100.00' }],
    });
    expect(onTheDay.status, JSON.stringify(onTheDay.body)).toBe(201);

    const reopened = await qian('post', `/api/v1/projects/${id.project}/reopen`).send({ version: closed.body.version });
    expect(reopened.body).toMatchObject({ status: 'active', statusLabel: '进行中' });
    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'project', entityId: id.project }, select: { action: true }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'close', 'reopen']);
  });

  it('另一家公司的项目在这里不存在：凭证 400，项目详情 404', async () => {
    await createSecondCompany(t);
    const other = await as(t, 'other.admin', { companyCode: 'OTHERCO' });
    const theirs = await other('post', '/api/v1/projects').send({ code: 'PJ-O1', name: '另一家的项目' });
    expect(theirs.status).toBe(201);
    expect((await other('get', `/api/v1/projects/${id.project}`)).status).toBe(404);
    expect((await other('get', '/api/v1/projects')).body.items.map((x: { code: string }) => x.code)).toEqual(['PJ-O1']);
    const before = await voucherCount();
    const res = await qian('post', '/api/v1/vouchers').send({
      date: '2026-09-12', summary: '别家的项目',
      lines: [{ accountId: acct['5602'], debit: '10.00', projectId: theirs.body.id }, { accountId: acct['1002'], credit: '10.00' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'body.lines.0.projectId', label: '第 1 行 项目', message: '项目不存在' }]);
    expect(await voucherCount()).toBe(before);
    const claim = await li('post', '/api/v1/expense-claims').send({ lines: [{ category: 'travel', amount: '10', projectId: theirs.body.id }] });
    expect(claim.status).toBe(400);
    expect(claim.body.error.details[0]).toMatchObject({ field: 'body.lines.0.projectId', message: '项目不存在' });
  });

  it('报销明细带项目：批准后的凭证里该笔管理费用带项目（到分），其他应付款不带', async () => {
    const created = await li('post', '/api/v1/expense-claims').send({
      lines: [{ category: 'travel', amount: '300', projectId: id.project }, { category: 'meal', amount: '56.50' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.lines.map((l: { project: { code: string } | null }) => l.project?.code ?? null)).toEqual(['PJ-T1', null]);
    const submitted = (await li('post', `/api/v1/expense-claims/${created.body.id}/submit`)).body;
    expect((await zhang('post', `/api/v1/approvals/${submitted.approvalId}/decide`).send({ decision: 'agree' })).status).toBe(200);
    const [voucher] = (await qian('get', `/api/v1/vouchers?sourceType=expenseClaim&sourceId=${created.body.id}`)).body.items;
    expect(voucher.lines.map((l: { account: { code: string }; debit: string; credit: string; project: { code: string } | null }) => [l.account.code, l.debit, l.credit, l.project?.code ?? null]))
      .toEqual([['5602', '300.00', '0.00', 'PJ-T1'], ['5602', '56.50', '0.00', null], ['2241', '0.00', '356.50', null]]);
  });
});
