// 币别与汇率: currencies with one base currency, dated exchange rates and the rate in effect on a day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, customerInput, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let accountant: AuthedClient;
let sales: AuthedClient;
let purchaser: AuthedClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  accountant = await as(t, 'qian.kj');
  sales = await as(t, 'li.xs');
  purchaser = await as(t, 'wang.cg');
  for (const c of await t.database.system.currency.findMany()) ids[c.code] = c.id;
});
afterAll(async () => t?.close());

const counts = async () => [
  await t.database.system.currency.count(),
  await t.database.system.exchangeRate.count(),
  await t.database.system.auditLog.count(),
];
const rateDates = (res: { body: { items: { rateDate: string }[] } }) => res.body.items.map((r) => r.rateDate);

describe('币别增删改查', () => {
  it('列表：演示公司有 5 个币别，CNY 是本位币，外币带最近汇率', async () => {
    const res = await accountant('get', '/api/v1/currencies');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { code: string }) => c.code)).toEqual(['CNY', 'EUR', 'HKD', 'JPY', 'USD']);
    expect(res.body.items[0]).toMatchObject({ code: 'CNY', isBase: true, symbol: '¥', latestRate: null });
    expect(res.body.items[4]).toMatchObject({ code: 'USD', name: '美元', isBase: false, latestRate: { rate: '7.120000' } });
    const base = await accountant('get', '/api/v1/currencies?isBase=true');
    expect(base.body.items.map((c: { code: string }) => c.code)).toEqual(['CNY']);
    const byName = await accountant('get', `/api/v1/currencies?q=${encodeURIComponent('欧')}&sort=-name`);
    expect(byName.body.items.map((c: { code: string }) => c.code)).toEqual(['EUR']);
  });

  it('会计新增、修改、录入汇率、删除，每一步都写审计日志和发件箱事件', async () => {
    const created = await accountant('post', '/api/v1/currencies').send({ code: 'thb', name: '泰铢', symbol: '฿' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'THB', name: '泰铢', symbol: '฿', isBase: false, latestRate: null });
    const id = created.body.id;

    const renamed = await accountant('patch', `/api/v1/currencies/${id}`).send({ name: '泰国铢', code: 'XXX', version: 1 });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ code: 'THB', name: '泰国铢', version: 2 }); // the code never changes

    for (const [rateDate, rate] of [['2026-11-10', '0.2010'], ['2026-11-01', 0.2], ['2026-11-20', '0.205012']] as const) {
      const r = await accountant('post', `/api/v1/currencies/${id}/rates`).send({ rateDate, rate });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ currencyCode: 'THB', rateDate });
    }
    const page1 = await accountant('get', `/api/v1/currencies/${id}/rates?pageSize=2`);
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(rateDates(page1)).toEqual(['2026-11-20', '2026-11-10']);
    expect(page1.body.items.map((r: { rate: string }) => r.rate)).toEqual(['0.205012', '0.201000']);
    expect(rateDates(await accountant('get', `/api/v1/currencies/${id}/rates?pageSize=2&page=2`))).toEqual(['2026-11-01']);
    expect(rateDates(await accountant('get', `/api/v1/currencies/${id}/rates?sort=rateDate`))).toEqual(['2026-11-01', '2026-11-10', '2026-11-20']);
    expect(rateDates(await accountant('get', `/api/v1/currencies/${id}/rates?from=2026-11-05&to=2026-11-15`))).toEqual(['2026-11-10']);
    expect((await accountant('get', `/api/v1/currencies/${id}`)).body.latestRate).toEqual({ rateDate: '2026-11-20', rate: '0.205012' });

    expect((await accountant('delete', `/api/v1/currencies/${id}`)).status).toBe(204);
    expect((await accountant('get', `/api/v1/currencies/${id}`)).status).toBe(404);
    expect(await t.database.system.exchangeRate.count({ where: { currencyId: id } })).toBe(0);

    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'currency', entityId: id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
    expect((audit[1]!.before as { name: string }).name).toBe('泰铢');
    expect(await t.database.system.auditLog.count({ where: { entity: 'exchangeRate', action: 'create' } })).toBe(3);
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['currency.created', 'currency.updated', 'exchangeRate.created', 'exchangeRate.created', 'exchangeRate.created', 'currency.deleted']);
  });

  it('本位币只能有一个：新增或改成本位币都是 409，本位币不能取消、不能删除、不能录汇率', async () => {
    const before = await counts();
    const second = await accountant('post', '/api/v1/currencies').send({ code: 'GBP', name: '英镑', symbol: '£', isBase: true });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'CONFLICT', message: '本位币只能有一个（CNY）' });
    const usd = await accountant('patch', `/api/v1/currencies/${ids.USD}`).send({ isBase: true, version: 1 });
    expect(usd.status).toBe(409);
    expect(usd.body.error.message).toBe('本位币只能有一个（CNY）');
    const unset = await accountant('patch', `/api/v1/currencies/${ids.CNY}`).send({ isBase: false, version: 1 });
    expect(unset.status).toBe(409);
    expect(unset.body.error.details).toEqual([{ field: 'body.isBase', label: '本位币', message: '本位币不能取消' }]);
    const del = await accountant('delete', `/api/v1/currencies/${ids.CNY}`);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toBe('CNY 是本位币，不能删除');
    const rate = await accountant('post', `/api/v1/currencies/${ids.CNY}/rates`).send({ rateDate: '2026-11-23', rate: '1' });
    expect(rate.status).toBe(409);
    expect(await counts()).toEqual(before);
    // re-saving the base currency as base is fine
    expect((await accountant('patch', `/api/v1/currencies/${ids.CNY}`).send({ isBase: true, symbol: '￥', version: 1 })).body).toMatchObject({ isBase: true, symbol: '￥', version: 2 });
  });

  it('修改需提交 version；过期版本 409 VERSION_CONFLICT，不写入任何数据', async () => {
    const created = await accountant('post', '/api/v1/currencies').send({ code: 'KRW', name: '韩元', symbol: '₩' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, updatedAt: expect.any(String) });
    const url = `/api/v1/currencies/${created.body.id}`;

    const noVersion = await accountant('patch', url).send({ name: '韩国元' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.version']);

    const ok = await accountant('patch', url).send({ symbol: '￦', version: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: '韩元', symbol: '￦', version: 2 });
    expect(Date.parse(ok.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));

    const before = await counts();
    const stale = await accountant('patch', url).send({ name: '过期的修改', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect(await counts()).toEqual(before);
    expect((await accountant('get', url)).body).toMatchObject({ name: '韩元', symbol: '￦', version: 2 });
    expect((await accountant('delete', url)).status).toBe(204);
  });

  it('被客户、供应商使用的币别不能删除，提示说明各有几个', async () => {
    const usd = await accountant('delete', `/api/v1/currencies/${ids.USD}`);
    expect(usd.status).toBe(409);
    expect(usd.body.error).toMatchObject({ code: 'IN_USE', message: '币别「美元」USD 正被 2 个客户使用，不能删除' });

    expect((await admin('post', '/api/v1/customers').send(customerInput({ currencyCode: 'JPY' }))).status).toBe(201);
    expect((await purchaser('post', '/api/v1/suppliers').send({ code: 'SP-JP-1', name: '日本精工贸易公司', currencyCode: 'JPY' })).status).toBe(201);
    const hkd = await accountant('delete', `/api/v1/currencies/${ids.JPY}`);
    expect(hkd.status).toBe(409);
    expect(hkd.body.error.message).toBe('币别「日元」JPY 正被 1 个客户、1 个供应商使用，不能删除');
    expect(await t.database.system.currency.count({ where: { code: { in: ['USD', 'JPY'] } } })).toBe(2);
  });

  it('同一天重复录入汇率是 409，指明 rateDate', async () => {
    expect((await accountant('post', `/api/v1/currencies/${ids.EUR}/rates`).send({ rateDate: '2026-10-08', rate: '7.8012' })).status).toBe(201);
    const before = await counts();
    const dup = await accountant('post', `/api/v1/currencies/${ids.EUR}/rates`).send({ rateDate: '2026-10-08', rate: '7.9' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'DUPLICATE', message: 'EUR 在 2026-10-08 已有汇率 7.801200，不能重复录入' });
    expect(dup.body.error.details).toEqual([{ field: 'body.rateDate', label: '汇率日期', message: '该日期已有汇率' }]);
    expect(await counts()).toEqual(before);
  });

  it('权限：销售员、采购员只能查看；会计可以管理', async () => {
    const before = await counts();
    expect((await sales('get', '/api/v1/currencies')).status).toBe(200);
    expect((await sales('post', '/api/v1/currencies').send({ code: 'GBP', name: '英镑', symbol: '£' })).status).toBe(403);
    expect((await sales('post', `/api/v1/currencies/${ids.USD}/rates`).send({ rateDate: '2026-11-22', rate: '7.1' })).status).toBe(403);
    expect((await purchaser('patch', `/api/v1/currencies/${ids.USD}`).send({ name: '美金', version: 1 })).status).toBe(403);
    expect((await purchaser('delete', `/api/v1/currencies/${ids.JPY}`)).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('另一家公司的币别按 ID 都是 404', async () => {
    const other = await createSecondCompany(t);
    const theirs = await t.database.system.currency.findFirstOrThrow({ where: { companyId: other.companyId, code: 'CNY' } });
    expect((await accountant('get', `/api/v1/currencies/${theirs.id}`)).status).toBe(404);
    expect((await accountant('patch', `/api/v1/currencies/${theirs.id}`).send({ name: '改别人的', version: 1 })).status).toBe(404);
    expect((await accountant('delete', `/api/v1/currencies/${theirs.id}`)).status).toBe(404);
    expect((await accountant('get', `/api/v1/currencies/${theirs.id}/rates`)).status).toBe(404);
    expect((await accountant('post', `/api/v1/currencies/${theirs.id}/rates`).send({ rateDate: '2026-11-23', rate: '1.5' })).status).toBe(404);
    expect((await t.database.system.currency.findUniqueOrThrow({ where: { id: theirs.id } })).name).toBe('人民币');
  });
});

describe('查询某日适用的汇率', () => {
  beforeAll(async () => {
    for (const [rateDate, rate] of [['2020-01-02', '7.0000'], ['2020-03-01', '6.912345']]) {
      expect((await accountant('post', `/api/v1/currencies/${ids.USD}/rates`).send({ rateDate, rate })).status).toBe(201);
    }
  });
  const lookup = (qs: string) => sales('get', `/api/v1/exchange-rates/lookup?${qs}`);

  it.each([
    ['当天没有：取之前最近的一条', 'currency=USD&date=2020-02-15', { currencyCode: 'USD', rateDate: '2020-01-02', rate: '7.000000' }],
    ['当天有：取当天的', 'currency=USD&date=2020-03-01', { currencyCode: 'USD', rateDate: '2020-03-01', rate: '6.912345' }],
    ['币别代码不区分大小写', 'currency=usd&date=2020-06-30', { currencyCode: 'USD', rateDate: '2020-03-01', rate: '6.912345' }],
    ['本位币恒为 1', 'currency=CNY&date=2026-11-23', { currencyCode: 'CNY', rateDate: '2026-11-23', rate: '1.000000' }],
  ])('%s', async (_name, qs, expected) => {
    const res = await lookup(qs);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expected);
  });

  it('不给日期：按北京时间今天，取到演示数据录入的今日汇率', async () => {
    const res = await lookup('currency=USD');
    expect(res.status).toBe(200);
    expect(res.body.rate).toBe('7.120000');
  });

  it('那天之前没有汇率：404 并说明', async () => {
    const res = await lookup('currency=USD&date=2019-12-31');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: '没有 USD 在该日期之前的汇率' });
  });

  it.each([
    ['币别不存在', 'currency=XYZ&date=2026-11-23', 'query.currency'],
    ['缺少币别', 'date=2026-11-23', 'query.currency'],
    ['日期格式错误', 'currency=USD&date=2026/11/23', 'query.date'],
    ['日期不存在', 'currency=USD&date=2026-02-30', 'query.date'],
  ])('%s：400 指明字段', async (_name, qs, field) => {
    const res = await lookup(qs);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });
});

type Reply = { status: number; body: { error: { details?: { field: string }[] } } };
const ghost = '00000000-0000-4000-8000-000000000000';

describe('币别与汇率接口的错误输入：4xx、指明字段、不写入任何数据', () => {
  const addRate = (body: Record<string, unknown>) => accountant('post', `/api/v1/currencies/${ids.JPY}/rates`).send(body);
  const cases: [string, () => Promise<Reply>, string][] = [
    ['币别代码两位', () => accountant('post', '/api/v1/currencies').send({ code: 'US', name: '两位', symbol: '$' }), 'body.code'],
    ['币别代码含数字', () => accountant('post', '/api/v1/currencies').send({ code: 'US1', name: '数字', symbol: '$' }), 'body.code'],
    ['币别代码重复', () => accountant('post', '/api/v1/currencies').send({ code: 'USD', name: '美元2', symbol: '$' }), 'body.code'],
    ['名称过长', () => accountant('post', '/api/v1/currencies').send({ code: 'GBP', name: '英'.repeat(31), symbol: '£' }), 'body.name'],
    ['缺少符号', () => accountant('post', '/api/v1/currencies').send({ code: 'GBP', name: '英镑' }), 'body.symbol'],
    ['符号过长', () => accountant('post', '/api/v1/currencies').send({ code: 'GBP', name: '英镑', symbol: 'GBP£££' }), 'body.symbol'],
    ['本位币标志不是布尔值', () => accountant('patch', `/api/v1/currencies/${ids.USD}`).send({ isBase: 'no', version: 1 }), 'body.isBase'],
    ['汇率为 0', () => addRate({ rateDate: '2026-11-22', rate: '0' }), 'body.rate'],
    ['汇率为负', () => addRate({ rateDate: '2026-11-22', rate: '-0.05' }), 'body.rate'],
    ['汇率超过 6 位小数', () => addRate({ rateDate: '2026-11-22', rate: '0.0470001' }), 'body.rate'],
    ['汇率不是数字', () => addRate({ rateDate: '2026-11-22', rate: '七' }), 'body.rate'],
    ['缺少汇率日期', () => addRate({ rate: '0.047' }), 'body.rateDate'],
    ['汇率日期格式错误', () => addRate({ rateDate: '22/11/2026', rate: '0.047' }), 'body.rateDate'],
    ['汇率日期不存在', () => addRate({ rateDate: '2026-13-01', rate: '0.047' }), 'body.rateDate'],
    ['汇率列表每页条数过大', () => accountant('get', `/api/v1/currencies/${ids.JPY}/rates?pageSize=201`), 'query.pageSize'],
    ['汇率列表日期错误', () => accountant('get', `/api/v1/currencies/${ids.JPY}/rates?from=yesterday`), 'query.from'],
    ['币别列表排序字段不存在', () => accountant('get', '/api/v1/currencies?sort=symbol'), 'query.sort'],
    ['路径 ID 不是 UUID', () => accountant('get', '/api/v1/currencies/USD/rates'), 'params.id'],
  ];

  it.each(cases)('%s', async (_name, send, field) => {
    const before = await counts();
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.details?.map((d) => d.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('不存在的币别：查看、修改、删除、汇率都是 404', async () => {
    expect((await accountant('get', `/api/v1/currencies/${ghost}`)).status).toBe(404);
    expect((await accountant('patch', `/api/v1/currencies/${ghost}`).send({ name: 'x', version: 1 })).status).toBe(404);
    expect((await accountant('delete', `/api/v1/currencies/${ghost}`)).status).toBe(404);
    expect((await accountant('post', `/api/v1/currencies/${ghost}/rates`).send({ rateDate: '2026-11-23', rate: '1.5' })).status).toBe(404);
  });
});

describe('并发设置本位币：部分唯一索引兜底，答复仍是友好的 409', () => {
  const sys = () => t.database.system;
  let racer: AuthedClient;
  let companyId: string;
  const rc: Record<string, string> = {};

  beforeAll(async () => {
    const race = await createSecondCompany(t, 'RACECO');
    companyId = race.companyId;
    racer = await as(t, race.adminUsername, { companyCode: 'RACECO' });
    rc.CNY = (await sys().currency.findFirstOrThrow({ where: { companyId, code: 'CNY' } })).id;
    for (const [code, name, symbol] of [['USD', '美元', '$'], ['EUR', '欧元', '€'], ['GBP', '英镑', '£']]) {
      const res = await racer('post', '/api/v1/currencies').send({ code, name, symbol });
      expect(res.status).toBe(201);
      rc[code!] = res.body.id;
    }
  });

  const baseCodes = async () => (await sys().currency.findMany({ where: { companyId, isBase: true }, select: { code: true } })).map((c) => c.code);
  /** A company that has lost its base currency: every request passes the pre-check, only the index decides. */
  const clearBase = () => sys().currency.updateMany({ where: { companyId }, data: { isBase: false } });
  const expectSecondBaseRefused = (res: { status: number; body: { error: unknown } }, winner: string) => {
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({
      code: 'CONFLICT', message: `本位币只能有一个（${winner}）`, details: [{ field: 'body.isBase', label: '本位币', message: `已有本位币 ${winner}` }],
    });
  };

  it('两个请求同时把不同币别改成本位币：恰好一个成功，另一个 409，公司只有一个本位币', async () => {
    await clearBase();
    const replies = await Promise.all(['USD', 'EUR'].map((code) => racer('patch', `/api/v1/currencies/${rc[code]}`).send({ isBase: true, version: 1 })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = replies.find((r) => r.status === 200)!.body.code as string;
    expectSecondBaseRefused(replies.find((r) => r.status === 409)!, winner);
    expect(await baseCodes()).toEqual([winner]);
  });

  it('三个请求同时新增本位币：恰好一个成功，其余 409，不多写币别', async () => {
    await clearBase();
    const before = await sys().currency.count({ where: { companyId } });
    const replies = await Promise.all(
      [['KRW', '韩元', '₩'], ['THB', '泰铢', '฿'], ['SGD', '新加坡元', 'S$']].map(([code, name, symbol]) =>
        racer('post', '/api/v1/currencies').send({ code, name, symbol, isBase: true }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const winner = replies.find((r) => r.status === 201)!.body.code as string;
    for (const r of replies.filter((x) => x.status === 409)) expectSecondBaseRefused(r, winner);
    expect(await baseCodes()).toEqual([winner]);
    expect(await sys().currency.count({ where: { companyId } })).toBe(before + 1);
  });

  it('预检查看不到另一事务尚未提交的本位币：由唯一索引拒绝，答复 409 而不是 500', async () => {
    await clearBase();
    let ready!: () => void;
    let release!: () => void;
    const holding = new Promise<void>((r) => (ready = r));
    const released = new Promise<void>((r) => (release = r));
    // Another transaction makes CNY base and keeps it uncommitted while the request runs.
    const holder = sys().$transaction(async (tx) => {
      await tx.currency.update({ where: { id: rc.CNY }, data: { isBase: true } });
      ready();
      await released;
    }, { timeout: 20_000 });
    await holding;
    const pending = racer('patch', `/api/v1/currencies/${rc.GBP}`).send({ isBase: true, version: 1 }).then((r) => r);
    // The request passed the pre-check and now waits on the index entry of the uncommitted row.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rows = await sys().$queryRaw<{ waiting: number }[]>`
        SELECT count(*)::int AS waiting FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE NOT l.granted AND l.locktype = 'transactionid' AND a.datname = current_database()`;
      if ((rows[0]?.waiting ?? 0) > 0) break;
      if (Date.now() > deadline) throw new Error('the request never waited on the base-currency index');
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    await holder;
    expectSecondBaseRefused(await pending, 'CNY');
    expect(await baseCodes()).toEqual(['CNY']);
    expect((await sys().currency.findUniqueOrThrow({ where: { id: rc.GBP } })).version).toBe(1);
  });
});
