// 报销的进项税额 through the HTTP API, figures by hand (公告2019年第39号 for the tickets, rates from the
// finance settings: 9 % / 3 %). 李销售's claim, approved by 张经理:
//   办公 专票 1,130.00, 税额 130.00                    → 费用 1,000.00, 进项 130.00
//   差旅 铁路 553.00: 553 ÷ 1.09 × 0.09 = 45.6606 → 45.66  → 费用 507.34
//   差旅 航空 1,350.00 (票价 1,200 + 燃油 100 + 民航发展基金 50): 1,300 ÷ 1.09 × 0.09 = 107.3394 → 107.34 → 费用 1,242.66
//   差旅 公路 103.00: 103 ÷ 1.03 × 0.03 = 3.00             → 费用 100.00
//   餐饮 普通发票 56.50                                   → 费用 56.50 (no deduction)
//   借 管理费用 办公 1,000.00 / 差旅 1,850.00 / 餐饮 56.50, 借 进项税额 286.00, 贷 其他应付款 3,192.50.
// A 小规模纳税人's 专票 claim puts the whole amount into expense.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient, zhang: AuthedClient;
type Line = { account: { code: string }; debit: string; credit: string };
const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit]);
const vouchersOf = async (sourceId: string) => (await qian('get', `/api/v1/vouchers?sourceId=${sourceId}`)).body.items as { lines: Line[] }[];

beforeAll(async () => {
  t = await createTestApp();
  [qian, li, zhang] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs'), as(t, 'zhang.jl')]);
});
afterAll(async () => t?.close());

async function approved(lines: Record<string, unknown>[]) {
  const created = await li('post', '/api/v1/expense-claims').send({ lines });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const submitted = (await li('post', `/api/v1/expense-claims/${created.body.id}/submit`)).body;
  expect((await zhang('post', `/api/v1/approvals/${submitted.approvalId}/decide`).send({ decision: 'agree' })).status).toBe(200);
  const [v] = await vouchersOf(created.body.id);
  return { claim: created.body, voucher: brief(v!.lines) };
}

describe('费用报销的进项税额', () => {
  it('专票按票面税额、客票按规定计算抵扣进项税额；普通发票全额计入费用', async () => {
    const settings = (await qian('get', '/api/v1/finance-settings')).body;
    expect(settings).toMatchObject({ airRailPassengerVatRate: '0.0900', roadWaterPassengerVatRate: '0.0300' });
    const { claim, voucher } = await approved([
      { category: 'office', amount: '1130', invoiceKind: 'special', taxAmount: '130', invoiceNo: '26330000000000007001' },
      { category: 'travel', amount: '553', invoiceKind: 'railTicket' },
      { category: 'travel', amount: '1350', invoiceKind: 'airTicket', fareAndFuel: '1300' },
      { category: 'travel', amount: '103', invoiceKind: 'roadWaterTicket', taxAmount: '3.00' },
      { category: 'meal', amount: '56.50', invoiceNo: '26330000000000007002' },
    ]);
    expect(claim.totalAmount).toBe('3192.50');
    expect(claim.lines.map((l: { invoiceKind: string; invoiceKindLabel: string; taxAmount: string }) => [l.invoiceKind, l.taxAmount])).toEqual([
      ['special', '130.00'], ['railTicket', '45.66'], ['airTicket', '107.34'], ['roadWaterTicket', '3.00'], ['ordinary', '0.00'],
    ]);
    expect(claim.lines[1].invoiceKindLabel).toBe('旅客运输电子客票-铁路');
    expect(voucher).toEqual([
      ['5602', '1000.00', '0.00'], ['5602', '1850.00', '0.00'], ['5602', '56.50', '0.00'], ['22210101', '286.00', '0.00'], ['2241', '0.00', '3192.50'],
    ]);
  });

  it('小规模纳税人：专票税额也计入费用，不记进项税额', async () => {
    const company = await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    await t.database.system.company.update({ where: { id: company.id }, data: { taxpayerKind: 'smallScaleTaxpayer' } });
    try {
      const { claim, voucher } = await approved([{ category: 'office', amount: '1130', invoiceKind: 'special', taxAmount: '130' }]);
      expect(claim.lines[0].taxAmount).toBe('130.00');
      expect(voucher).toEqual([['5602', '1130.00', '0.00'], ['2241', '0.00', '1130.00']]);
    } finally {
      await t.database.system.company.update({ where: { id: company.id }, data: { taxpayerKind: 'generalTaxpayer' } });
    }
  });

  it('坏输入 400 且不写：税额大于金额、负数、专票未填税额、客票税额与计算不符、无发票填税额', async () => {
    const before = await t.database.system.expenseClaim.count();
    const refuse = async (line: Record<string, unknown>, text: string) => {
      const res = await li('post', '/api/v1/expense-claims').send({ lines: [{ category: 'office', amount: '100', ...line }] });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toContain(text);
    };
    await refuse({ invoiceKind: 'special', taxAmount: '200' }, '第 1 行税额 200.00 不能大于金额 100.00');
    await refuse({ invoiceKind: 'special', taxAmount: '-1' }, '税额');
    await refuse({ invoiceKind: 'special' }, '增值税专用发票请填写税额');
    await refuse({ invoiceKind: 'railTicket', taxAmount: '9' }, '旅客运输电子客票-铁路的税额按规定计算为 8.26');
    await refuse({ invoiceKind: 'none', taxAmount: '1' }, '无发票的明细不能填写税额');
    await refuse({ invoiceKind: 'railTicket', fareAndFuel: '90' }, '只有航空客票填写票价+燃油附加费');
    await refuse({ invoiceKind: 'vat' }, '发票类型');
    expect(await t.database.system.expenseClaim.count()).toBe(before);
  });
});
