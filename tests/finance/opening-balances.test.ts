// 期初余额 through the HTTP API, figures by hand: the opening entry is one voucher dated the first
// day of the first month, the trial balance shows it in that month's 期初余额 column (not as the
// month's movements) and carries it on; unbalanced or non-leaf entries are 400 with nothing
// written; it can be replaced until something else is posted in or before its month (then 409);
// a salesperson may not enter it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient;
const id: Record<string, string> = {};
const acct: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [qian, li] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs')]);
  const sys = t.database.system;
  id.c2 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  id.s1 = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0001' } })).id;
  const accounts = await qian('get', '/api/v1/accounts');
  for (const a of accounts.body.items as { code: string; id: string }[]) acct[a.code] = a.id;
});
afterAll(async () => t?.close());

const put = (body: object) => qian('put', '/api/v1/opening-balances').send(body);
const openingVouchers = () => t.database.system.voucher.findMany({ where: { sourceType: 'opening' }, include: { lines: true } });
// Σ debit 5,000 + 200,000 + 30,000 + 65,000 = 300,000 = Σ credit 40,000 + 260,000
const lines = (capital: string) => [
  { accountCode: '1001', debit: '5000.00' },
  { accountCode: '1002', debit: '200000.00' },
  { accountCode: '1122', debit: '30000.00', customerId: id.c2 },
  { accountCode: '1405', debit: '65000.00' },
  { accountCode: '220201', credit: '40000.00', supplierId: id.s1 },
  { accountCode: '3001', credit: capital },
];
type Row = { code: string; opening: { debit: string; credit: string }; period: { debit: string; credit: string }; closing: { debit: string; credit: string } };
const trial = async (period: string) => {
  const res = await qian('get', `/api/v1/trial-balance?period=${period}`);
  expect(res.status).toBe(200);
  return { ...res.body, row: (code: string) => (res.body.rows as Row[]).find((r) => r.code === code) };
};

describe('期初余额', () => {
  it('销售员不能录入（403），不平衡或非末级科目 400 且什么都不写', async () => {
    expect((await li('put', '/api/v1/opening-balances').send({ period: '2020-01', lines: lines('260000.00') })).status).toBe(403);
    const unbalanced = await put({ period: '2020-01', lines: lines('250000.00') });
    expect(unbalanced.status).toBe(400);
    expect(unbalanced.body.error.message).toContain('借方合计 ¥300,000.00，贷方合计 ¥290,000.00，相差 ¥10,000.00');
    const parent = await put({ period: '2020-01', lines: [{ accountCode: '1001', debit: '1.00' }, { accountCode: '2202', credit: '1.00' }] });
    expect(parent.status).toBe(400);
    expect(parent.body.error.message).toContain('有下级科目');
    expect(await openingVouchers()).toHaveLength(0);
    expect((await qian('get', '/api/v1/opening-balances').send()).body).toMatchObject({ period: null, voucher: null, lines: [] });
  });

  it('平衡的期初余额记为该月 1 日的一张凭证；再录入替换原来的（编号不跳）；科目余额表把它列在当月期初', async () => {
    expect((await put({ period: '2020-01', lines: [{ accountCode: '1001', debit: '9.00' }, { accountCode: '3001', credit: '9.00' }] })).status).toBe(200);
    const res = await put({ period: '2020-01', lines: lines('260000.00') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ period: '2020-01', voucher: { number: '记-0001' }, totals: { debit: '300000.00', credit: '300000.00' } });
    expect(res.body.lines[2]).toMatchObject({ accountCode: '1122', debit: '30000.00', credit: '0.00', customer: { id: id.c2 } });
    const stored = await openingVouchers();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ period: '2020-01', number: '记-0001', summary: '期初余额' });
    expect(stored[0]!.voucherDate.toISOString().slice(0, 10)).toBe('2020-01-01');
    expect(stored[0]!.lines).toHaveLength(6);

    const tb = await trial('2020-01');
    expect(tb.row('1001')).toMatchObject({ opening: { debit: '5000.00', credit: '0.00' }, period: { debit: '0.00', credit: '0.00' }, closing: { debit: '5000.00', credit: '0.00' } });
    expect(tb.row('2202')).toMatchObject({ opening: { debit: '0.00', credit: '40000.00' }, period: { debit: '0.00', credit: '0.00' }, closing: { debit: '0.00', credit: '40000.00' } });
    expect(tb.row('3001')).toMatchObject({ opening: { debit: '0.00', credit: '260000.00' }, closing: { debit: '0.00', credit: '260000.00' } });
    expect(tb.totals).toEqual({
      opening: { debit: '300000.00', credit: '300000.00' }, period: { debit: '0.00', credit: '0.00' }, closing: { debit: '300000.00', credit: '300000.00' },
    });
    expect(tb.balanced).toBe(true);
  });

  it('当月记了其他凭证后不能再改（409，原期初不变）；当月发生额与下月期初照常', async () => {
    const manual = await qian('post', '/api/v1/vouchers').send({
      date: '2020-01-15', summary: '提取备用金', lines: [{ accountId: acct['1001'], debit: '1000.00' }, { accountId: acct['1002'], credit: '1000.00' }],
    });
    expect(manual.status).toBe(201);
    expect(manual.body.number).toBe('记-0002');
    const refused = await put({ period: '2020-01', lines: lines('260000.00') });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('记-0002');
    const later = await put({ period: '2020-03', lines: lines('260000.00') });
    expect(later.status).toBe(409);
    const stored = await openingVouchers();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ period: '2020-01', number: '记-0001' });

    const jan = await trial('2020-01');
    expect(jan.row('1001')).toMatchObject({ opening: { debit: '5000.00', credit: '0.00' }, period: { debit: '1000.00', credit: '0.00' }, closing: { debit: '6000.00', credit: '0.00' } });
    expect(jan.row('1002')).toMatchObject({ opening: { debit: '200000.00', credit: '0.00' }, period: { debit: '0.00', credit: '1000.00' }, closing: { debit: '199000.00', credit: '0.00' } });
    expect(jan.totals.period).toEqual({ debit: '1000.00', credit: '1000.00' });
    const feb = await trial('2020-02');
    expect(feb.row('1001')).toMatchObject({ opening: { debit: '6000.00', credit: '0.00' }, period: { debit: '0.00', credit: '0.00' }, closing: { debit: '6000.00', credit: '0.00' } });
    expect(feb.totals.opening).toEqual({ debit: '300000.00', credit: '300000.00' });
  });
});
