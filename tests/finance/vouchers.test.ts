// 记账凭证 through the HTTP API on the real database, figures worked out by hand: a shipment and a
// purchase receipt post their vouchers in their own transactions (exact lines), manual vouchers are
// checked (balance, leaf accounts, open period) with nothing written when refused, 50 concurrent
// postings number 记-0001…记-0050 without a gap, a red reversal happens once, a rolled-back posting
// leaves nothing, permissions and companies are kept apart, and the trial balance balances.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCompany } from '../../server/db/transaction.ts';
import { loadActor } from '../../server/platform/auth.ts';
import { postDocument } from '../../server/modules/finance/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient, zhao: AuthedClient, wang: AuthedClient, boss: AuthedClient;
const id: Record<string, string> = {};
const acct: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [qian, li, zhao, wang, boss] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs'), as(t, 'zhao.ck'), as(t, 'wang.cg'), as(t, 'boss')]);
  const sys = t.database.system;
  id.company = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  id.c2 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id; // finished, 1 箱 = 1000 个, 13 %
  id.rod = (await sys.item.findFirstOrThrow({ where: { code: 'RM-WR-35K-6.5' } })).id; // raw, batch-tracked, KG
  id.a2 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M6X20-A2' } })).id; // finished, PCS
  id.supplier = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0001' } })).id;
  id.kg = (await sys.unit.findFirstOrThrow({ where: { code: 'KG' } })).id;
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
  const accounts = await qian('get', '/api/v1/accounts');
  expect(accounts.status).toBe(200);
  for (const a of accounts.body.items as { code: string; id: string }[]) acct[a.code] = a.id;
  await addOpeningStock(t, [{ item: 'FG-BLT-M8X30', quantity: '100000', unitCost: '0.03' }]);
});
afterAll(async () => t?.close());

type Line = { account: { code: string }; debit: string; credit: string; customer: { id: string } | null; supplier: { id: string } | null; item: { id: string } | null };
const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit]);
const voucherCount = () => t.database.system.voucher.count();
const manual = (body: Record<string, unknown>) => qian('post', '/api/v1/vouchers').send(body);
const pair = (date: string, amount: string, summary = '提取备用金') => ({
  date, summary,
  lines: [{ accountId: acct['1001'], debit: amount }, { accountId: acct['1002'], credit: amount }],
});

describe('会计科目表（小企业会计准则）', () => {
  it('一级科目 66 个，编码与名称按准则；应交增值税的明细与暂估应付款；只有末级科目可记账', async () => {
    const res = await qian('get', '/api/v1/accounts');
    const items = res.body.items as { code: string; name: string; fullName: string; level: number; category: string; direction: string; postable: boolean }[];
    expect(items.filter((a) => a.level === 1)).toHaveLength(66);
    const by = new Map(items.map((a) => [a.code, a]));
    expect(by.get('1001')).toMatchObject({ name: '库存现金', category: 'asset', direction: 'debit', postable: true });
    expect(by.get('1602')).toMatchObject({ name: '累计折旧', direction: 'credit' });
    expect(by.get('5403')).toMatchObject({ name: '税金及附加', category: 'profitLoss', direction: 'debit' });
    expect(by.get('5801')).toMatchObject({ name: '所得税费用' });
    expect(by.get('2221')).toMatchObject({ postable: false });
    expect(by.get('22210102')).toMatchObject({ fullName: '应交税费—应交增值税—销项税额', level: 3, postable: true });
    expect(by.get('222103')).toMatchObject({ fullName: '应交税费—待转销项税额' });
    expect(by.get('220202')).toMatchObject({ fullName: '应付账款—暂估应付款', postable: true });
  });

  it('新增明细科目：挂在上级下、编码自动取下一个；上级已有分录的不能再加下级（409）', async () => {
    const res = await qian('post', '/api/v1/accounts').send({ parentId: acct['5602'], name: '办公费' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ code: '560201', fullName: '管理费用—办公费', category: 'profitLoss', direction: 'debit', postable: true });
    const parent = (await qian('get', '/api/v1/accounts')).body.items.find((a: { code: string }) => a.code === '5602');
    expect(parent.postable).toBe(false);
    expect((await qian('post', '/api/v1/accounts').send({ parentId: acct['5602'], code: '56029', name: '差旅费' })).status).toBe(400);

    expect((await manual({ date: '2026-08-03', summary: '存现', lines: [{ accountId: acct['1002'], debit: '5' }, { accountId: acct['1001'], credit: '5' }] })).status).toBe(201);
    const refused = await qian('post', '/api/v1/accounts').send({ parentId: acct['1001'], name: '人民币' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('科目「1001 库存现金」已有凭证分录，不能再增加下级科目');
    expect((await li('post', '/api/v1/accounts').send({ parentId: acct['5601'], name: '广告费' })).status).toBe(403);
  });
});

describe('销售出库与采购入库自动生成凭证', () => {
  it('3 箱 ¥100/箱（含税 13%）分两次发：每张出库单一张凭证，收入、销项税、成本到分，两次相加等于订单', async () => {
    const order = await li('post', '/api/v1/sales-orders').send({ customerId: id.c2, lines: [{ itemId: id.m8, quantity: '3', listPrice: '100' }] });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(order.body.lines[0]).toMatchObject({ amount: '265.49', taxAmount: '34.51', amountWithTax: '300.00' });
    expect((await li('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({})).status).toBe(200);
    const lineId = order.body.lines[0].id;

    // 1 箱: 价税 300 × 1/3 = 100.00, 不含税 round(265.49 / 3) = 88.50, 税 11.50; cost 1000 个 × 0.03 = 30.00.
    const first = await zhao('post', `/api/v1/sales-orders/${order.body.id}/shipments`).send({ lines: [{ orderLineId: lineId, quantity: '1' }] });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const v1 = await qian('get', `/api/v1/vouchers?sourceType=shipment&sourceId=${first.body.id}`);
    expect(v1.body.total).toBe(1);
    const voucher = v1.body.items[0];
    expect(voucher).toMatchObject({
      totalDebit: '130.00', totalCredit: '130.00', summary: `销售出库 ${first.body.number} ${voucher.lines[0].customer.name}`,
      source: { type: 'shipment', id: first.body.id, number: first.body.number, label: '销售出库单', apiPath: `/api/v1/shipments/${first.body.id}` },
    });
    expect(voucher.number).toMatch(/^记-\d{4}$/);
    expect(brief(voucher.lines)).toEqual([
      ['1122', '100.00', '0.00'], ['5001', '0.00', '88.50'], ['22210102', '0.00', '11.50'],
      ['5401', '30.00', '0.00'], ['1405', '0.00', '30.00'],
    ]);
    expect(voucher.lines[0].customer.id).toBe(id.c2);
    expect(voucher.lines[1].item.id).toBe(id.m8);
    expect(voucher.lines[4].item.id).toBe(id.m8);

    // The other 2 箱: 价税 300 − 100 = 200.00, 不含税 265.49 − 88.50 = 176.99, 税 23.01; cost 60.00.
    const rest = await zhao('post', `/api/v1/sales-orders/${order.body.id}/shipments`).send({ lines: [{ orderLineId: lineId, quantity: '2' }] });
    expect(rest.status).toBe(201);
    const v2 = (await qian('get', `/api/v1/vouchers?sourceId=${rest.body.id}`)).body.items[0];
    expect(brief(v2.lines)).toEqual([
      ['1122', '200.00', '0.00'], ['5001', '0.00', '176.99'], ['22210102', '0.00', '23.01'],
      ['5401', '60.00', '0.00'], ['1405', '0.00', '60.00'],
    ]);
  });

  it('采购入库（发票未到）：借 原材料 / 库存商品（按物料类别）贷 应付账款—暂估应付款，不含税', async () => {
    // 1000 千克 盘条 at ¥5.65 含税 → 不含税 5,000.00; 1000 个 A2 at ¥0.0113 → 10.00.
    const po = await wang('post', '/api/v1/purchase-orders').send({
      supplierId: id.supplier,
      lines: [{ itemId: id.rod, unitId: id.kg, quantity: '1000', unitPrice: '5.65' }, { itemId: id.a2, unitId: id.pcs, quantity: '1000', unitPrice: '0.0113' }],
    });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`)).status).toBe(200);
    const rc = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/receipts`).send({
      lines: [{ orderLineId: po.body.lines[0].id, quantity: '1000', batchNo: 'L2612-01' }, { orderLineId: po.body.lines[1].id, quantity: '1000' }],
    });
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    const v = (await qian('get', `/api/v1/vouchers?sourceType=receipt&sourceId=${rc.body.id}`)).body.items[0];
    expect(brief(v.lines)).toEqual([['1403', '5000.00', '0.00'], ['1405', '10.00', '0.00'], ['220202', '0.00', '5010.00']]);
    expect(v.lines.map((l: Line) => l.supplier?.id)).toEqual([id.supplier, id.supplier, id.supplier]);
    expect(v.source).toMatchObject({ label: '采购入库单', number: rc.body.number, apiPath: `/api/v1/purchase-receipts/${rc.body.id}` });
  });

  it('期间已结账：出库被拒（409），出库单、库存和凭证都没有写', async () => {
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const order = await li('post', '/api/v1/sales-orders').send({ customerId: id.c2, lines: [{ itemId: id.m8, quantity: '1', listPrice: '100' }] });
    expect((await li('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({})).status).toBe(200);
    // The month's shipments booked revenue and cost: 结转损益 first, or closing is refused.
    expect((await qian('post', `/api/v1/month-end/${month}/profitTransfer`)).status).toBe(200);
    expect((await qian('post', `/api/v1/accounting-periods/${month}/close`)).status).toBe(200);
    const before = { vouchers: await voucherCount(), shipments: await t.database.system.shipment.count(), moves: await t.database.system.stockMove.count() };
    try {
      const res = await zhao('post', `/api/v1/sales-orders/${order.body.id}/shipments`).send({ lines: [{ orderLineId: order.body.lines[0].id, quantity: '1' }] });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(new RegExp(`^会计期间 ${month} 已结账，不能再记账`));
      expect({ vouchers: await voucherCount(), shipments: await t.database.system.shipment.count(), moves: await t.database.system.stockMove.count() }).toEqual(before);
    } finally {
      expect((await qian('post', `/api/v1/accounting-periods/${month}/reopen`)).status).toBe(403); // 反结账 needs its own permission
      expect((await boss('post', `/api/v1/accounting-periods/${month}/reopen`)).status).toBe(200);
    }
  });
});

describe('手工凭证的检查：不合格的整张拒绝，什么都不写', () => {
  it('借贷不平衡 → 400；非末级科目 → 400；金额两边都填 → 400', async () => {
    const before = await voucherCount();
    const unbalanced = await manual({ date: '2026-11-05', summary: '不平', lines: [{ accountId: acct['1001'], debit: '100.00' }, { accountId: acct['1002'], credit: '99.99' }] });
    expect(unbalanced.status).toBe(400);
    expect(unbalanced.body.error.message).toContain('借贷不平衡：借方合计 ¥100.00，贷方合计 ¥99.99，相差 ¥0.01');
    const parent = await manual({ date: '2026-11-05', summary: '计提', lines: [{ accountId: acct['5602'], debit: '10' }, { accountId: acct['2221'], credit: '10' }] });
    expect(parent.status).toBe(400);
    expect(parent.body.error.details).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'body.lines.1.accountId', message: '科目「2221 应交税费」有下级科目，不能直接记账，请选择明细科目' }),
    ]));
    const both = await manual({ date: '2026-11-05', summary: '两边', lines: [{ accountId: acct['1001'], debit: '1', credit: '1' }, { accountId: acct['1002'], credit: '1' }] });
    expect(both.status).toBe(400);
    const unknownCustomer = await manual({ date: '2026-11-05', summary: '收款', lines: [{ accountId: acct['1002'], debit: '1' }, { accountId: acct['1122'], credit: '1', customerId: '00000000-0000-4000-8000-000000000009' }] });
    expect(unknownCustomer.status).toBe(400);
    expect(unknownCustomer.body.error.details).toEqual([expect.objectContaining({ field: 'body.lines.1.customerId', message: '客户不存在' })]);
    expect(await voucherCount()).toBe(before);

    // With its dimension the same voucher is saved, and the line names the customer.
    const ok = await manual({ date: '2026-11-05', summary: '收款', lines: [{ accountId: acct['1002'], debit: '1' }, { accountId: acct['1122'], credit: '1', customerId: id.c2 }] });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ number: '记-0001', period: '2026-11', source: null });
    expect(ok.body.lines[1].customer).toMatchObject({ id: id.c2, code: 'C0002' });
  });

  it('已结账的期间不能记账（409），反结账后可以', async () => {
    expect((await qian('post', '/api/v1/accounting-periods/2026-09/close')).status).toBe(200);
    expect((await qian('post', '/api/v1/accounting-periods/2026-09/close')).status).toBe(409);
    const before = await voucherCount();
    const res = await manual(pair('2026-09-30', '10'));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('会计期间 2026-09 已结账，不能再记账（日期 2026-09-30）');
    expect(await voucherCount()).toBe(before);
    const periods = (await qian('get', '/api/v1/accounting-periods')).body.items;
    expect(periods.find((p: { period: string }) => p.period === '2026-09')).toMatchObject({ state: 'closed', stateLabel: '已结账', vouchers: 0 });
    expect((await boss('post', '/api/v1/accounting-periods/2026-09/reopen')).status).toBe(200);
    expect((await manual(pair('2026-09-30', '10'))).body.number).toBe('记-0001');
  });

  it('50 张凭证同时记入一个期间：记-0001 … 记-0050，不缺号不重号', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, (_, n) => manual(pair('2026-10-15', `${n + 1}.00`))));
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201));
    const numbers = replies.map((r) => r.body.number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, n) => `记-${String(n + 1).padStart(4, '0')}`));
  });

  it('回滚的单据不留凭证，也不占凭证号', async () => {
    const companyId = id.company!;
    const actor = await loadActor(t.database.system, { userId: (await t.database.system.user.findFirstOrThrow({ where: { username: 'qian.kj' } })).id, companyId });
    const ctx = { db: t.database.app, actor };
    const before = await voucherCount();
    await expect(inCompany(t.database.app, companyId, async (tx) => {
      const written = await postDocument(tx, ctx, 'receipt', {
        documentId: '00000000-0000-4000-8000-000000000001', documentNumber: 'RC-TEST', date: '2026-07-01',
        supplierId: id.supplier!, supplierName: '测试', lines: [{ itemId: id.a2!, itemKind: 'finished', amount: '12.34' }],
      });
      expect(written?.number).toBe('记-0001');
      throw new Error('单据的后续步骤失败');
    })).rejects.toThrow('单据的后续步骤失败');
    expect(await voucherCount()).toBe(before);
    expect((await manual(pair('2026-07-02', '1'))).body.number).toBe('记-0001');
  });
});

describe('红字冲销', () => {
  it('生成金额取负、引用原凭证的新凭证；只能冲销一次；红字凭证不能再冲销', async () => {
    const original = (await manual(pair('2026-06-10', '250.00', '借支'))).body;
    const red = await qian('post', `/api/v1/vouchers/${original.id}/reverse`).send({ date: '2026-06-20' });
    expect(red.status, JSON.stringify(red.body)).toBe(201);
    expect(red.body).toMatchObject({
      number: '记-0002', period: '2026-06', totalDebit: '-250.00', totalCredit: '-250.00',
      summary: '冲销 2026-06 记-0001：借支', reversalOf: { id: original.id, number: '记-0001' },
    });
    expect(brief(red.body.lines)).toEqual([['1001', '-250.00', '0.00'], ['1002', '0.00', '-250.00']]);
    expect((await qian('get', `/api/v1/vouchers/${original.id}`)).body.reversedBy).toMatchObject({ id: red.body.id, number: '记-0002' });

    const again = await Promise.all([1, 2].map(() => qian('post', `/api/v1/vouchers/${original.id}/reverse`).send({ date: '2026-06-20' })));
    expect(again.map((r) => r.status)).toEqual([409, 409]);
    expect(again[0]!.body.error.message).toBe('2026-06 记-0001 已于 2026-06 以 记-0002 红字冲销，不能重复冲销');
    expect((await qian('post', `/api/v1/vouchers/${red.body.id}/reverse`).send({})).status).toBe(409);
    expect((await li('post', `/api/v1/vouchers/${original.id}/reverse`).send({})).status).toBe(403);
    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'voucher', entityId: { in: [original.id, red.body.id] } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, (a.after as { number: string }).number])).toEqual([['post', '记-0001'], ['reverse', '记-0002']]);
  });
});

describe('科目余额表', () => {
  it('期初 + 本期 = 期末，按科目树汇总，一级科目借贷合计相等', async () => {
    // 2026-05: 存现 300 (借 银行存款 贷 库存现金); 2026-06 adds 借支 250 and its red reversal (−250) — see above.
    expect((await manual({ date: '2026-05-08', summary: '收回借款', lines: [{ accountId: acct['1001'], debit: '800' }, { accountId: acct['1221'], credit: '800' }] })).status).toBe(201);
    expect((await manual({ date: '2026-05-09', summary: '存现', lines: [{ accountId: acct['1002'], debit: '300' }, { accountId: acct['1001'], credit: '300' }] })).status).toBe(201);
    const may = (await qian('get', '/api/v1/trial-balance?period=2026-05')).body;
    expect(may.balanced).toBe(true);
    const row = (body: { rows: { code: string }[] }, code: string) => body.rows.find((r) => r.code === code);
    expect(row(may, '1001')).toMatchObject({ opening: { debit: '0.00', credit: '0.00' }, period: { debit: '800.00', credit: '300.00' }, closing: { debit: '500.00', credit: '0.00' } });
    expect(row(may, '1221')).toMatchObject({ closing: { debit: '0.00', credit: '800.00' } });
    expect(may.totals).toEqual({ opening: { debit: '0.00', credit: '0.00' }, period: { debit: '1100.00', credit: '1100.00' }, closing: { debit: '800.00', credit: '800.00' } });

    // 2026-06: 借支 250 then its reversal −250 in the period: 1001 moves 250 − 250 = 0 either side.
    const june = (await qian('get', '/api/v1/trial-balance?period=2026-06')).body;
    expect(row(june, '1001')).toMatchObject({ opening: { debit: '500.00', credit: '0.00' }, period: { debit: '0.00', credit: '0.00' }, closing: { debit: '500.00', credit: '0.00' } });
    expect(june.balanced).toBe(true);

    // The current month holds the shipments and the receipt: 应交税费 rolls up 销项税额 11.50 + 23.01.
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const now = (await qian('get', `/api/v1/trial-balance?period=${month}`)).body;
    expect(now.balanced).toBe(true);
    expect(row(now, '2221')).toMatchObject({ level: 1, postable: false, period: { debit: '0.00', credit: '34.51' } });
    expect(row(now, '222101')).toMatchObject({ period: { credit: '34.51' } });
    expect(row(now, '22210102')).toMatchObject({ period: { credit: '34.51' }, closing: { credit: '34.51' } });
    expect(row(now, '1122')).toMatchObject({ period: { debit: '300.00' } });
    expect(row(now, '2202')).toMatchObject({ period: { credit: '5010.00' } });
    expect((await li('get', `/api/v1/trial-balance?period=${month}`)).status).toBe(403);
    expect((await qian('get', '/api/v1/trial-balance?period=2026-13')).status).toBe(400);
  });
});

describe('列表、权限与公司隔离', () => {
  it('凭证列表分页、按期间与关键字查；销售员无权查看；另一家公司看不到', async () => {
    const page = await qian('get', '/api/v1/vouchers?period=2026-10&pageSize=10&sort=number');
    expect(page.body).toMatchObject({ total: 50, page: 1, pageSize: 10 });
    expect(page.body.items.map((v: { number: string }) => v.number)).toEqual(Array.from({ length: 10 }, (_, n) => `记-${String(n + 1).padStart(4, '0')}`));
    expect((await qian('get', '/api/v1/vouchers?q=借支')).body.total).toBe(2);
    expect((await li('get', '/api/v1/vouchers')).status).toBe(403);
    expect((await li('post', '/api/v1/vouchers').send(pair('2026-10-15', '1'))).status).toBe(403);

    await createSecondCompany(t);
    const other = await as(t, 'other.admin', { companyCode: 'OTHERCO' });
    expect((await other('get', '/api/v1/vouchers')).body.total).toBe(0);
    expect((await other('get', `/api/v1/vouchers/${page.body.items[0].id}`)).status).toBe(404);
    expect((await other('post', `/api/v1/vouchers/${page.body.items[0].id}/reverse`).send({})).status).toBe(404);
    // Its own chart appears on first use, and its numbering is its own.
    const chart = (await other('get', '/api/v1/accounts')).body.items as { code: string; id: string }[];
    const of = (code: string) => chart.find((a) => a.code === code)!.id;
    const own = await other('post', '/api/v1/vouchers').send({ date: '2026-10-15', summary: '提现', lines: [{ accountId: of('1001'), debit: '1' }, { accountId: of('1002'), credit: '1' }] });
    expect(own.body.number).toBe('记-0001');
    // Another company's account is unknown here.
    expect((await other('post', '/api/v1/vouchers').send(pair('2026-10-15', '1'))).status).toBe(400);
  });
});
