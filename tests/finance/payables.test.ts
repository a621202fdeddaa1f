// 应付 through the HTTP API on the real database, figures by hand: a receipt's 暂估 reversed by a red
// voucher when its special invoice comes at the same price (进项税额 split) → payment beyond the
// invoice (预付) → settlement; an invoice at a higher price after part of the stock was consumed
// (difference split between the stock on hand and 主营业务成本, the stock's value moved through the
// ledger); an advance paid before the invoice settled into 应付账款; concurrent settlements never
// over-settle; over-settling and over-invoicing are refused whole; a 小规模纳税人's VAT goes into
// cost; an invoice in a closed period leaves nothing; statement, Excel export and aging; 403 and
// another company's 404; returns of goods already invoiced (red invoice: 应付货款, 进项税额, 主营业务成本)
// and the 红字发票 they become in the sub-ledger (open amounts, statement, aging = 应付货款).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let qian: AuthedClient, wang: AuthedClient, zhao: AuthedClient, li: AuthedClient, boss: AuthedClient;
const id: Record<string, string> = {};

type Line = { account: { code: string }; debit: string; credit: string; supplier: { id: string } | null };
const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit]);
const vouchersOf = async (sourceId: string) => {
  const res = await qian('get', `/api/v1/vouchers?sourceId=${sourceId}&sort=number`);
  expect(res.status).toBe(200);
  return res.body.items as { number: string; summary: string; source: { type: string; label: string; apiPath: string }; lines: Line[] }[];
};
const counts = async () => {
  const sys = t.database.system;
  return { vouchers: await sys.voucher.count(), invoices: await sys.purchaseInvoice.count(), settlements: await sys.payableSettlement.count(), moves: await sys.stockMove.count() };
};
const itemValue = async (itemId: string) => {
  const s = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId } });
  return { quantity: s.quantity.toFixed(4), value: s.value.toFixed(2) };
};

/** A fresh raw item, a purchase order of `quantity` KG at `price` 含税 (13 %) from the supplier, received whole. */
async function received(code: string, supplierId: string, quantity: string, price: string) {
  const item = await boss('post', '/api/v1/items').send({ code, name: `测试线材 ${code}`, kind: 'raw', baseUnitId: id.kg });
  expect(item.status, JSON.stringify(item.body)).toBe(201);
  const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId, lines: [{ itemId: item.body.id, unitId: id.kg, quantity, unitPrice: price }] });
  expect(po.status, JSON.stringify(po.body)).toBe(201);
  expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`)).status).toBe(200);
  const rc = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/receipts`).send({ lines: [{ orderLineId: po.body.lines[0].id, quantity }] });
  expect(rc.status, JSON.stringify(rc.body)).toBe(201);
  return { itemId: item.body.id as string, receipt: rc.body as { id: string; number: string; order: { id: string }; lines: { id: string; orderLineId: string; amount: string; warehouse: { id: string } }[] } };
}

async function supplier(code: string, name: string) {
  const s = await wang('post', '/api/v1/suppliers').send({ code, name });
  expect(s.status, JSON.stringify(s.body)).toBe(201);
  return s.body.id as string;
}

beforeAll(async () => {
  t = await createTestApp();
  [qian, wang, zhao, li, boss] = await Promise.all([as(t, 'qian.kj'), as(t, 'wang.cg'), as(t, 'zhao.ck'), as(t, 'li.xs'), as(t, 'boss')]);
  id.kg = (await t.database.system.unit.findFirstOrThrow({ where: { code: 'KG' } })).id;
});
afterAll(async () => t?.close());

describe('暂估 → 专票同价 → 付款（含预付）→ 核销', () => {
  it('红字冲销暂估 5,000.00；发票 借 原材料 5,000.00 / 进项税额 650.00 贷 应付货款 5,650.00；付 6,000.00 其中预付 350.00；核销 5,650.00', async () => {
    id.s1 = await supplier('SAP01', '宁波应付测试钢材');
    // 1000 KG at ¥5.65 含税 13 % → 不含税 5,000.00 暂估.
    const { receipt } = await received('AP-RM-01', id.s1, '1000', '5.65');
    expect(brief((await vouchersOf(receipt.id))[0]!.lines)).toEqual([['1403', '5000.00', '0.00'], ['220202', '0.00', '5000.00']]);
    const open = await qian('get', `/api/v1/purchase-invoices/uninvoiced-lines?supplierId=${id.s1}`);
    expect(open.status).toBe(200);
    expect(open.body.items).toMatchObject([{ receiptLineId: receipt.lines[0]!.id, receipt: { number: receipt.number }, openQuantity: '1000.0000', openProvisional: '5000.00' }]);

    const inv = await qian('post', '/api/v1/purchase-invoices').send({
      supplierId: id.s1, invoiceNo: '26332000000000000101', invoiceType: 'special', invoiceDate: '2026-11-05',
      lines: [{ receiptLineId: receipt.lines[0]!.id, quantity: '1000', amount: '5000.00', taxAmount: '650.00' }],
    });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect(inv.body).toMatchObject({
      invoiceTypeLabel: '增值税专用发票', amount: '5000.00', taxAmount: '650.00', totalAmount: '5650.00', inputVat: '650.00',
      provisionalAmount: '5000.00', toStock: '0.00', toCostOfSales: '0.00', settledAmount: '0.00', openAmount: '5650.00',
    });
    const [red, blue] = await vouchersOf(inv.body.id);
    expect(red!.summary).toBe(`冲销暂估 ${inv.body.number} 宁波应付测试钢材`);
    expect(brief(red!.lines)).toEqual([['1403', '-5000.00', '0.00'], ['220202', '0.00', '-5000.00']]);
    expect(brief(blue!.lines)).toEqual([['1403', '5000.00', '0.00'], ['22210101', '650.00', '0.00'], ['220201', '0.00', '5650.00']]);
    expect(blue!.lines.map((l) => l.supplier?.id ?? null)).toEqual([id.s1, null, id.s1]);
    expect(blue!.source).toMatchObject({ type: 'purchaseInvoice', label: '采购发票', apiPath: `/api/v1/purchase-invoices/${inv.body.id}` });
    expect((await qian('get', `/api/v1/purchase-invoices/uninvoiced-lines?supplierId=${id.s1}`)).body.items).toEqual([]);

    const pay = await qian('post', '/api/v1/supplier-payments').send({ supplierId: id.s1, amount: '6000', paidOn: '2026-11-08', accountCode: '1002' });
    expect(pay.status, JSON.stringify(pay.body)).toBe(201);
    expect(pay.body).toMatchObject({ payableAmount: '5650.00', advanceAmount: '350.00', unsettledAmount: '6000.00' });
    expect(brief((await vouchersOf(pay.body.id))[0]!.lines)).toEqual([['220201', '5650.00', '0.00'], ['1123', '350.00', '0.00'], ['1002', '0.00', '6000.00']]);

    const before = await counts();
    const settle = await qian('post', '/api/v1/payable-settlements').send({ settledOn: '2026-11-08', lines: [{ paymentId: pay.body.id, invoiceId: inv.body.id, amount: '5650' }] });
    expect(settle.status, JSON.stringify(settle.body)).toBe(201);
    expect(settle.body.items[0]).toMatchObject({ amount: '5650.00', fromAdvance: '0.00', invoiceNo: '26332000000000000101' });
    // Settling the part already booked against 应付账款 posts nothing.
    expect(await counts()).toEqual({ ...before, settlements: before.settlements + 1 });
    expect((await qian('get', `/api/v1/purchase-invoices/${inv.body.id}`)).body).toMatchObject({ settledAmount: '5650.00', openAmount: '0.00' });
    expect((await qian('get', `/api/v1/supplier-payments/${pay.body.id}`)).body).toMatchObject({ settledAmount: '5650.00', unsettledAmount: '350.00' });

    // One fen more than the invoice has open: 400, nothing written.
    const over = await qian('post', '/api/v1/payable-settlements').send({ lines: [{ paymentId: pay.body.id, invoiceId: inv.body.id, amount: '0.01' }] });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toContain('发票 26332000000000000101 未核销 ¥0.00，本次核销 ¥0.01 超过了');
    expect(await counts()).toEqual({ ...before, settlements: before.settlements + 1 });
    // The same 数电票 twice: 409.
    const again = await qian('post', '/api/v1/purchase-invoices').send({
      supplierId: id.s1, invoiceNo: '26332000000000000101', invoiceType: 'special', invoiceDate: '2026-11-05',
      lines: [{ receiptLineId: receipt.lines[0]!.id, quantity: '1', amount: '5', taxAmount: '0.65' }],
    });
    expect(again.status).toBe(409);
  });
});

describe('发票价与暂估不同，部分已领用', () => {
  it('预付 500 → 领用 40 KG → 发票 100 KG ¥1,100 + 143：差额 100 的 60 进库存、40 进主营业务成本；预付核销 借 应付 贷 预付', async () => {
    id.s2 = await supplier('SAP02', '杭州应付测试线材');
    const advance = await qian('post', '/api/v1/supplier-payments').send({ supplierId: id.s2, amount: '500', paidOn: '2026-11-02', accountCode: '1002', remark: '预付货款' });
    expect(advance.status).toBe(201);
    expect(advance.body).toMatchObject({ payableAmount: '0.00', advanceAmount: '500.00' });
    expect(brief((await vouchersOf(advance.body.id))[0]!.lines)).toEqual([['1123', '500.00', '0.00'], ['1002', '0.00', '500.00']]);

    // 100 KG at ¥11.30 含税 → 暂估 1,000.00 (¥10/KG); 40 KG issued at the average → 60 KG worth 600.00 left.
    const { itemId, receipt } = await received('AP-RM-02', id.s2, '100', '11.30');
    const out = await boss('post', '/api/v1/stock/adjustments').send({ warehouseId: receipt.lines[0]!.warehouse.id, reason: '领用', lines: [{ itemId, quantity: '-40' }] });
    expect(out.status, JSON.stringify(out.body)).toBe(201);
    expect(await itemValue(itemId)).toEqual({ quantity: '60.0000', value: '600.00' });

    // Over-invoicing the receipt line: 400, nothing written.
    const before = await counts();
    const tooMuch = await qian('post', '/api/v1/purchase-invoices').send({
      supplierId: id.s2, invoiceNo: '26332000000000000201', invoiceType: 'special', invoiceDate: '2026-11-05',
      lines: [{ receiptLineId: receipt.lines[0]!.id, quantity: '100.0001', amount: '1100', taxAmount: '143' }],
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.message).toContain('还可开票 100，本次 100.0001 超过了');
    expect(await counts()).toEqual(before);

    // Cost 1,100.00 (专票: 143.00 进项税额), difference 100.00: 60 of 100 KG still held → 60.00 to stock, 40.00 to 5401.
    const inv = await qian('post', '/api/v1/purchase-invoices').send({
      supplierId: id.s2, invoiceNo: '26332000000000000201', invoiceType: 'special', invoiceDate: '2026-11-05',
      lines: [{ receiptLineId: receipt.lines[0]!.id, quantity: '100', amount: '1100', taxAmount: '143' }],
    });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect(inv.body).toMatchObject({ totalAmount: '1243.00', inputVat: '143.00', provisionalAmount: '1000.00', toStock: '60.00', toCostOfSales: '40.00' });
    expect(inv.body.lines[0]).toMatchObject({ costAmount: '1100.00', provisionalAmount: '1000.00', toStock: '60.00', toCostOfSales: '40.00' });
    const [red, blue] = await vouchersOf(inv.body.id);
    expect(brief(red!.lines)).toEqual([['1403', '-1000.00', '0.00'], ['220202', '0.00', '-1000.00']]);
    expect(brief(blue!.lines)).toEqual([['1403', '1060.00', '0.00'], ['5401', '40.00', '0.00'], ['22210101', '143.00', '0.00'], ['220201', '0.00', '1243.00']]);
    // The ledger: 600.00 + 60.00 over 60 KG → ¥11/KG, as the invoice says.
    expect(await itemValue(itemId)).toEqual({ quantity: '60.0000', value: '660.00' });
    const move = await t.database.system.stockMove.findFirstOrThrow({ where: { sourceType: 'purchaseInvoice', sourceId: inv.body.id } });
    expect([move.kind, move.quantity.toFixed(4), move.amount.toFixed(2)]).toEqual(['costAdjustment', '0.0000', '60.00']);

    // The advance settles 500.00 of the invoice: 借 应付货款 500 贷 预付账款 500.
    const s = await qian('post', '/api/v1/payable-settlements').send({ settledOn: '2026-11-06', lines: [{ paymentId: advance.body.id, invoiceId: inv.body.id, amount: '500' }] });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect(s.body.items[0]).toMatchObject({ amount: '500.00', fromAdvance: '500.00' });
    const settled = (await vouchersOf(advance.body.id)).find((v) => v.source.type === 'payableSettlement')!;
    expect(brief(settled.lines)).toEqual([['220201', '500.00', '0.00'], ['1123', '0.00', '500.00']]);

    // The rest, 743.00, is owed: a payment of 743.00 is all against 应付账款.
    const rest = await qian('post', '/api/v1/supplier-payments').send({ supplierId: id.s2, amount: '743', paidOn: '2026-11-10', accountCode: '1002' });
    expect(rest.body).toMatchObject({ payableAmount: '743.00', advanceAmount: '0.00' });
    id.rest = rest.body.id;
    id.inv2 = inv.body.id;
  });

  it('4 个并发核销各 300（发票和付款都只剩 743）：恰好 2 个成功，2 个 400，合计不超', async () => {
    const send = () => qian('post', '/api/v1/payable-settlements').send({ settledOn: '2026-11-10', lines: [{ paymentId: id.rest, invoiceId: id.inv2, amount: '300' }] });
    const results = await Promise.all([send(), send(), send(), send()]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 400, 400]);
    expect((await qian('get', `/api/v1/purchase-invoices/${id.inv2}`)).body).toMatchObject({ settledAmount: '1100.00', openAmount: '143.00' });
    expect((await qian('get', `/api/v1/supplier-payments/${id.rest}`)).body).toMatchObject({ settledAmount: '600.00', unsettledAmount: '143.00' });
  });

  it('对账单与 Excel：期初 0，付 500 → −500，发票 1,243 → 743，付 743 → 0；账龄：未核销 143 在 31-60 天且逾期', async () => {
    const st = await wang('get', `/api/v1/supplier-statements/${id.s2}?dateFrom=2026-11-01&dateTo=2026-11-30`);
    expect(st.status, JSON.stringify(st.body)).toBe(200);
    expect(st.body).toMatchObject({ opening: '0.00', totalIncrease: '1243.00', totalDecrease: '1243.00', closing: '0.00' });
    expect(st.body.lines.map((l: { date: string; kindLabel: string; increase: string; decrease: string; balance: string }) => [l.date, l.kindLabel, l.increase, l.decrease, l.balance])).toEqual([
      ['2026-11-02', '付款', '0.00', '500.00', '-500.00'],
      ['2026-11-05', '发票', '1243.00', '0.00', '743.00'],
      ['2026-11-10', '付款', '0.00', '743.00', '0.00'],
    ]);
    const later = await qian('get', `/api/v1/supplier-statements/${id.s2}?dateFrom=2026-12-01&dateTo=2026-12-31`);
    expect(later.body).toMatchObject({ opening: '0.00', lines: [], closing: '0.00' });

    const xlsx = await qian('get', `/api/v1/supplier-statements/${id.s2}/export?dateFrom=2026-11-01&dateTo=2026-11-30`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('对账单')!;
    expect(ws.getRow(1).values).toEqual([undefined, '日期', '类型', '单号', '发票号码', '摘要', '应付增加', '付款', '余额']);
    expect(ws.rowCount).toBe(6); // header, 期初, 3 lines, 本期合计
    expect(ws.getRow(4).getCell(4).value).toBe('26332000000000000201');

    const aging = await qian('get', `/api/v1/payables?asOf=2026-12-31&supplierId=${id.s2}`);
    expect(aging.status).toBe(200);
    expect(aging.body.items).toEqual([{
      supplier: { id: id.s2, code: 'SAP02', name: '杭州应付测试线材' },
      openInvoices: '143.00', unsettledPayments: '143.00', unsettledCredits: '0.00', balance: '0.00',
      aging: { days0to30: '0.00', days31to60: '143.00', days61to90: '0.00', over90: '0.00' }, overdue: '143.00',
    }]);
    // As of 2026-11-06 the 10th's payment and settlements had not happened: 1,243 − 500 open, 0–30 days.
    const earlier = await qian('get', `/api/v1/payables?asOf=2026-11-06&supplierId=${id.s2}`);
    expect(earlier.body.items[0]).toMatchObject({ openInvoices: '743.00', unsettledPayments: '0.00', balance: '743.00', overdue: '0.00' });
  });
});

describe('小规模纳税人、结账期间、权限与公司隔离', () => {
  it('小规模纳税人取得专票：税额计入存货成本，不记进项税额；现金付款同时核销', async () => {
    id.s3 = await supplier('SAP03', '台州应付测试紧固件');
    const { itemId, receipt } = await received('AP-RM-03', id.s3, '10', '11.30'); // 暂估 100.00
    const company = await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    await t.database.system.company.update({ where: { id: company.id }, data: { taxpayerKind: 'smallScaleTaxpayer' } });
    try {
      const inv = await qian('post', '/api/v1/purchase-invoices').send({
        supplierId: id.s3, invoiceNo: '26332000000000000301', invoiceType: 'special', invoiceDate: '2026-11-12',
        lines: [{ receiptLineId: receipt.lines[0]!.id, quantity: '10', amount: '100', taxAmount: '13' }],
      });
      expect(inv.status, JSON.stringify(inv.body)).toBe(201);
      expect(inv.body).toMatchObject({ inputVat: '0.00', toStock: '13.00', toCostOfSales: '0.00', totalAmount: '113.00' });
      const [red, blue] = await vouchersOf(inv.body.id);
      expect(brief(red!.lines)).toEqual([['1403', '-100.00', '0.00'], ['220202', '0.00', '-100.00']]);
      expect(brief(blue!.lines)).toEqual([['1403', '113.00', '0.00'], ['220201', '0.00', '113.00']]);
      expect(await itemValue(itemId)).toEqual({ quantity: '10.0000', value: '113.00' });
      // Paid in cash and settled in the same request.
      const pay = await qian('post', '/api/v1/supplier-payments').send({
        supplierId: id.s3, amount: '113', paidOn: '2026-11-13', accountCode: '1001', settlements: [{ invoiceId: inv.body.id, amount: '113' }],
      });
      expect(pay.status, JSON.stringify(pay.body)).toBe(201);
      expect(pay.body).toMatchObject({ payableAmount: '113.00', advanceAmount: '0.00', settledAmount: '113.00', settlements: [{ invoiceId: inv.body.id, amount: '113.00', fromAdvance: '0.00' }] });
      expect(brief((await vouchersOf(pay.body.id))[0]!.lines)).toEqual([['220201', '113.00', '0.00'], ['1001', '0.00', '113.00']]);
      expect((await qian('get', `/api/v1/purchase-invoices/${inv.body.id}`)).body.openAmount).toBe('0.00');
    } finally {
      await t.database.system.company.update({ where: { id: company.id }, data: { taxpayerKind: 'generalTaxpayer' } });
    }
  });

  it('退货后的数量不能开票：入库 10 KG 退 4 KG，开 10 KG → 400 还可开票 6；未开票明细只列 6 KG（暂估 60.00）', async () => {
    const { receipt } = await received('AP-RM-05', id.s3!, '10', '11.30'); // 暂估 100.00
    const rt = await zhao('post', `/api/v1/purchase-orders/${receipt.order.id}/returns`)
      .send({ reason: '质量问题', lines: [{ orderLineId: receipt.lines[0]!.orderLineId, quantity: '4' }] });
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    const before = await counts();
    const res = await qian('post', '/api/v1/purchase-invoices').send({
      supplierId: id.s3, invoiceNo: '26332000000000000501', invoiceType: 'special', invoiceDate: '2026-11-20',
      lines: [{ receiptLineId: receipt.lines[0]!.id, quantity: '10', amount: '100', taxAmount: '13' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('入库 10，已开票 0，订单行已退货 4，还可开票 6，本次 10 超过了');
    expect(await counts()).toEqual(before);
    const open = (await qian('get', `/api/v1/purchase-invoices/uninvoiced-lines?supplierId=${id.s3}`)).body.items;
    expect(open.find((l: { receiptLineId: string }) => l.receiptLineId === receipt.lines[0]!.id)).toMatchObject({ openQuantity: '6.0000', openProvisional: '60.00' });
  });

  it('发票日期所在期间已结账：409，发票、凭证、库存调整、已开票数量都没有写', async () => {
    const { receipt } = await received('AP-RM-04', id.s3!, '10', '11.30');
    expect((await qian('post', '/api/v1/accounting-periods/2026-10/close')).status).toBe(200);
    try {
      const before = await counts();
      const res = await qian('post', '/api/v1/purchase-invoices').send({
        supplierId: id.s3, invoiceNo: '26332000000000000401', invoiceType: 'special', invoiceDate: '2026-10-20',
        lines: [{ receiptLineId: receipt.lines[0]!.id, quantity: '10', amount: '120', taxAmount: '15.60' }],
      });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/^会计期间 2026-10 已结账/);
      expect(await counts()).toEqual(before);
      expect((await t.database.system.receiptLine.findUniqueOrThrow({ where: { id: receipt.lines[0]!.id } })).invoicedQuantity.toFixed(4)).toBe('0.0000');
    } finally {
      expect((await boss('post', '/api/v1/accounting-periods/2026-10/reopen')).status).toBe(200);
    }
  });

  it('权限：采购员只能查看；销售不能看；其他公司看不到（404），也不能核销（400）', async () => {
    const body = { supplierId: id.s1, amount: '1', paidOn: '2026-11-20', accountCode: '1002' };
    expect((await wang('post', '/api/v1/supplier-payments').send(body)).status).toBe(403);
    expect((await wang('post', '/api/v1/purchase-invoices').send({})).status).toBe(403);
    expect((await wang('get', '/api/v1/purchase-invoices')).status).toBe(200);
    expect((await wang('get', '/api/v1/supplier-payments')).status).toBe(200);
    expect((await li('get', '/api/v1/payables')).status).toBe(403);
    expect((await li('get', `/api/v1/supplier-statements/${id.s1}?dateFrom=2026-11-01&dateTo=2026-11-30`)).status).toBe(403);
    const bad = await qian('post', '/api/v1/supplier-payments').send({ ...body, accountCode: '2202', amount: '-1' });
    expect(bad.status).toBe(400);
    const before = await counts();
    const noAccount = await qian('post', '/api/v1/supplier-payments').send({ ...body, accountCode: '100299' });
    expect(noAccount.status).toBe(400);
    expect(noAccount.body.error.message).toContain('科目 100299 不存在');
    expect(await counts()).toEqual(before);

    await createSecondCompany(t);
    const other = await as(t, 'other.admin', { companyCode: 'OTHERCO' });
    expect((await other('get', `/api/v1/purchase-invoices/${id.inv2}`)).status).toBe(404);
    expect((await other('get', `/api/v1/supplier-payments/${id.rest}`)).status).toBe(404);
    expect((await other('get', `/api/v1/supplier-statements/${id.s2}?dateFrom=2026-11-01&dateTo=2026-11-30`)).status).toBe(404);
    expect((await other('post', '/api/v1/supplier-payments').send(body)).status).toBe(404);
    const cross = await other('post', '/api/v1/payable-settlements').send({ lines: [{ paymentId: id.rest, invoiceId: id.inv2, amount: '1' }] });
    expect(cross.status).toBe(400);
    expect((await other('get', '/api/v1/payables')).body.items).toEqual([]);
  });
});

// ---------------------------------------------------------------- 采购退货 of goods already invoiced
// The invoiced part of a return reduces 应付账款—应付货款 by its 价税合计 and gives back its 进项税额
// (a red special invoice), the stock gives up what it holds and any difference goes to 主营业务成本;
// the part still 暂估 goes back off 应付账款—暂估应付款; a 小规模纳税人's return has no VAT line.
// Goods returned after their invoice do not block invoicing goods received later; goods returned
// before it cannot be invoiced. The trial balance stays balanced.
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const period = today.slice(0, 7);
const supplierBalance = async (accountCode: string, supplierId: string) => {
  const res = await qian('get', `/api/v1/ledger?period=${period}&accountCode=${accountCode}&supplierId=${supplierId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.closing as { direction: string; balance: string };
};
const trialBalanceBalances = async () => {
  const tb = await qian('get', `/api/v1/trial-balance?period=${period}`);
  expect(tb.status).toBe(200);
  expect(tb.body.totals.period.debit).toBe(tb.body.totals.period.credit);
  expect(tb.body.totals.closing.debit).toBe(tb.body.totals.closing.credit);
};
/** A fresh supplier and raw item, an order of `quantity` KG at ¥11.30 含税 13 % (¥10 不含税), received whole. */
async function receivedFrom(code: string, quantity: string) {
  const supplierId = await supplier(`S${code}`, `退货测试供应商 ${code}`);
  const { itemId, receipt } = await received(code, supplierId, quantity, '11.30');
  const l = receipt.lines[0]!;
  return { supplierId, itemId, orderId: receipt.order.id, orderLineId: l.orderLineId, receiptLineId: l.id, warehouseId: l.warehouse.id };
}
const invoice = (supplierId: string, invoiceNo: string, receiptLineId: string, quantity: string, amount: string, taxAmount: string, currencyCode?: string) =>
  qian('post', '/api/v1/purchase-invoices').send({ supplierId, invoiceNo, invoiceType: 'special', invoiceDate: today, currencyCode, lines: [{ receiptLineId, quantity, amount, taxAmount }] });
const returned = (orderId: string, orderLineId: string, quantity: string) =>
  zhao('post', `/api/v1/purchase-orders/${orderId}/returns`).send({ reason: '质量不符', lines: [{ orderLineId, quantity }] });

describe('已开专票后退货（一般纳税人）', () => {
  it('入库 100 × ¥10 暂估 1,000 → 专票 ¥10.50 + 13 % → 退 20：借 应付货款 237.30 / 贷 进项税额 27.30、原材料 210.00', async () => {
    const r = await receivedFrom('PRT-01', '100');
    // 1,050.00 + 136.50; all 100 KG still held → the 50.00 over the 暂估 goes onto the stock: 1,050.00.
    const inv = await invoice(r.supplierId, '26332000000000009101', r.receiptLineId, '100', '1050.00', '136.50');
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect(inv.body).toMatchObject({ provisionalAmount: '1000.00', toStock: '50.00', toCostOfSales: '0.00', totalAmount: '1186.50' });
    expect(await itemValue(r.itemId)).toEqual({ quantity: '100.0000', value: '1050.00' });

    // 20 of the 100 invoiced: cost 1,050 × 20/100 = 210.00, 价税 1,186.50 × 20/100 = 237.30, VAT 27.30;
    // the stock holds 1,050.00, so it gives up the 210.00 asked → no price variance.
    const rt = await returned(r.orderId, r.orderLineId, '20');
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    expect(rt.body).toMatchObject({ totalAmount: '210.00', priceVariance: '0.00' });
    expect(rt.body.lines[0]).toMatchObject({ amount: '210.00', invoicedQuantity: '20.0000', invoicedTotal: '237.30', inputVat: '27.30', priceVariance: '0.00' });
    const [v, more] = await vouchersOf(rt.body.id);
    expect(more).toBeUndefined();
    expect(brief(v!.lines)).toEqual([['220201', '237.30', '0.00'], ['22210101', '0.00', '27.30'], ['1403', '0.00', '210.00']]);
    expect(v!.lines.map((l) => l.supplier?.id ?? null)).toEqual([r.supplierId, null, r.supplierId]);
    expect(await itemValue(r.itemId)).toEqual({ quantity: '80.0000', value: '840.00' });
    // 暂估 all reversed by the invoice; 应付货款 1,186.50 − 237.30 = 949.20 (80 × ¥10.50 × 1.13).
    expect(await supplierBalance('220202', r.supplierId)).toEqual({ direction: '平', balance: '0.00' });
    expect(await supplierBalance('220201', r.supplierId)).toEqual({ direction: '贷', balance: '949.20' });

    // Everything received was invoiced: nothing is left to invoice, returned or not.
    const again = await invoice(r.supplierId, '26332000000000009102', r.receiptLineId, '1', '10.50', '1.37');
    expect(again.status).toBe(400);
    expect(again.body.error.message).toContain('入库 100，已开票 100，还可开票 0，本次 1 超过了');
    await trialBalanceBalances();
  });
});

describe('部分已开票的退货', () => {
  it('入库 100，开票 60，领用 50，退 50：暂估 40 冲 400.00，已开票 10 冲 应付 118.65 / 进项 13.65，库存出 515.00，差 10.00 借 主营业务成本', async () => {
    const r = await receivedFrom('PRT-02', '100');
    // 60 KG at ¥10.50: 630.00 + 81.90; 暂估 600.00 reversed; the 30.00 difference on 60 of 100 KG held → all to stock: 1,030.00.
    const inv = await invoice(r.supplierId, '26332000000000009201', r.receiptLineId, '60', '630.00', '81.90');
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect(inv.body).toMatchObject({ provisionalAmount: '600.00', toStock: '30.00', toCostOfSales: '0.00' });
    // 50 KG issued at the average: 1,030 × 50/100 = 515.00 → 50 KG worth 515.00 left.
    const out = await boss('post', '/api/v1/stock/adjustments').send({ warehouseId: r.warehouseId, reason: '领用', lines: [{ itemId: r.itemId, quantity: '-50' }] });
    expect(out.status, JSON.stringify(out.body)).toBe(201);
    expect(await itemValue(r.itemId)).toEqual({ quantity: '50.0000', value: '515.00' });

    // The 40 KG not invoiced go first at their 暂估 (1,000 − 600 = 400.00 for 40 KG); then 10 of the 60
    // invoiced: cost 630 × 10/60 = 105.00, 价税 711.90 × 10/60 = 118.65, VAT 13.65. Asked 505.00; the
    // return empties the item, so the stock gives up all its 515.00: variance 505 − 515 = −10.00 (借 5401).
    const rt = await returned(r.orderId, r.orderLineId, '50');
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    expect(rt.body.lines[0]).toMatchObject({ amount: '505.00', invoicedQuantity: '10.0000', invoicedTotal: '118.65', inputVat: '13.65', priceVariance: '-10.00' });
    const [v] = await vouchersOf(rt.body.id);
    expect(brief(v!.lines)).toEqual([['220202', '400.00', '0.00'], ['220201', '118.65', '0.00'], ['22210101', '0.00', '13.65'], ['1403', '0.00', '515.00'], ['5401', '10.00', '0.00']]);
    expect(await itemValue(r.itemId)).toEqual({ quantity: '0.0000', value: '0.00' });
    expect(await supplierBalance('220202', r.supplierId)).toEqual({ direction: '平', balance: '0.00' });
    expect(await supplierBalance('220201', r.supplierId)).toEqual({ direction: '贷', balance: '593.25' }); // 711.90 − 118.65

    // The 40 KG returned before their invoice cannot be invoiced: 100 received, 60 invoiced, 40 returned → 0 left.
    const tooMuch = await invoice(r.supplierId, '26332000000000009202', r.receiptLineId, '1', '10.50', '1.37');
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.message).toContain('入库 100，已开票 60，订单行已退货 40，还可开票 0，本次 1 超过了');

    // The supplier redelivers 10 KG (open again: 100 − 100 + 50); they can be invoiced — the 10 KG
    // returned after their invoice stay invoiced (the red invoice undoes them), they do not eat into it.
    const rc = await zhao('post', `/api/v1/purchase-orders/${r.orderId}/receipts`).send({ lines: [{ orderLineId: r.orderLineId, quantity: '10' }] });
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    expect(rc.body.lines[0].amount).toBe('100.00');
    const open = (await qian('get', `/api/v1/purchase-invoices/uninvoiced-lines?supplierId=${r.supplierId}`)).body.items;
    expect(open.find((l: { receiptLineId: string }) => l.receiptLineId === rc.body.lines[0].id)).toMatchObject({ openQuantity: '10.0000', openProvisional: '100.00' });
    const later = await invoice(r.supplierId, '26332000000000009203', rc.body.lines[0].id, '10', '105.00', '13.65');
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    expect(later.body).toMatchObject({ provisionalAmount: '100.00', toStock: '5.00' });
    expect(await supplierBalance('220202', r.supplierId)).toEqual({ direction: '平', balance: '0.00' });
    await trialBalanceBalances();
  });
});

describe('小规模纳税人', () => {
  it('专票税额已计入成本：退 4 KG 借 应付货款 45.20 / 贷 原材料 45.20，没有进项税额行', async () => {
    const r = await receivedFrom('PRT-03', '10'); // 暂估 100.00
    const company = await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    await t.database.system.company.update({ where: { id: company.id }, data: { taxpayerKind: 'smallScaleTaxpayer' } });
    try {
      // 100.00 + 13.00, all cost: 113.00 on the stock.
      const inv = await invoice(r.supplierId, '26332000000000009301', r.receiptLineId, '10', '100.00', '13.00');
      expect(inv.status, JSON.stringify(inv.body)).toBe(201);
      expect(inv.body).toMatchObject({ inputVat: '0.00', toStock: '13.00' });
      // 4 of 10: 113 × 4/10 = 45.20, cost = 价税合计.
      const rt = await returned(r.orderId, r.orderLineId, '4');
      expect(rt.status, JSON.stringify(rt.body)).toBe(201);
      expect(rt.body.lines[0]).toMatchObject({ amount: '45.20', invoicedQuantity: '4.0000', invoicedTotal: '45.20', inputVat: '0.00' });
      const [v] = await vouchersOf(rt.body.id);
      expect(brief(v!.lines)).toEqual([['220201', '45.20', '0.00'], ['1403', '0.00', '45.20']]);
      expect(await itemValue(r.itemId)).toEqual({ quantity: '6.0000', value: '67.80' });
      expect(await supplierBalance('220201', r.supplierId)).toEqual({ direction: '贷', balance: '67.80' });
    } finally {
      await t.database.system.company.update({ where: { id: company.id }, data: { taxpayerKind: 'generalTaxpayer' } });
    }
    await trialBalanceBalances();
  });
});

describe('退货与开票并发', () => {
  it('入库 10 KG 的同时开票 10 KG 与退货 10 KG：先到的算数，暂估应付款不多冲也不少冲', async () => {
    const r = await receivedFrom('PRT-04', '10'); // 暂估 100.00
    const [inv, rt] = await Promise.all([
      invoice(r.supplierId, '26332000000000009401', r.receiptLineId, '10', '100.00', '13.00'),
      returned(r.orderId, r.orderLineId, '10'),
    ]);
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    if (inv.status === 201) {
      // the invoice came first: the return undoes it (red invoice), nothing stays 暂估
      expect(rt.body.lines[0]).toMatchObject({ invoicedQuantity: '10.0000', invoicedTotal: '113.00', inputVat: '13.00' });
      expect(await supplierBalance('220201', r.supplierId)).toEqual({ direction: '平', balance: '0.00' });
    } else {
      // the return came first: nothing is left to invoice
      expect(inv.status).toBe(400);
      expect(rt.body.lines[0]).toMatchObject({ invoicedQuantity: '0.0000', amount: '100.00' });
    }
    expect(await supplierBalance('220202', r.supplierId)).toEqual({ direction: '平', balance: '0.00' });
  });
});

// ---------------------------------------------------------------- 退货红字发票
// The invoiced part of a return becomes a red invoice that reduces the original invoice's open amount
// (settled against it, no voucher of its own: the return's voucher holds 借 应付货款), so the AP
// sub-ledger (open invoices, statement, aging) agrees with 应付账款—应付货款 for the supplier; when the
// invoice was already paid the red invoice is owed by the supplier (借方余额 on 220201, 供应商欠款 on
// the statement) and is set off against a later invoice; a foreign-currency invoice's return carries
// its foreign 价税合计 and rate on the 应付货款 line; a return and a payment of one invoice at once end consistent.
type FxLine = Line & { currencyCode: string | null; amountForeign: string | null; rate: string | null };
/** 应付货款 for the supplier, signed: above 0 we owe (贷), below 0 the supplier owes us (借). */
const payableGoods = async (supplierId: string) => {
  const c = await supplierBalance('220201', supplierId);
  return c.direction === '借' ? `-${c.balance}` : c.balance;
};
const aging = async (supplierId: string) => {
  const res = await qian('get', `/api/v1/payables?supplierId=${supplierId}`);
  expect(res.status).toBe(200);
  return res.body.items[0] as { openInvoices: string; unsettledPayments: string; unsettledCredits: string; balance: string } | undefined;
};
const statement = async (supplierId: string) => {
  const res = await wang('get', `/api/v1/supplier-statements/${supplierId}?dateFrom=${period}-01&dateTo=${today}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { closing: string; closingLabel: string; lines: { kind: string; kindLabel: string; number: string; invoiceNo: string | null; summary: string; increase: string; balance: string }[] };
};
const pay = (supplierId: string, amount: string, invoiceId: string) =>
  qian('post', '/api/v1/supplier-payments').send({ supplierId, amount, paidOn: today, accountCode: '1002', settlements: [{ invoiceId, amount }] });
const redInvoicesOf = async (returnId: string) => {
  const res = await qian('get', `/api/v1/purchase-red-invoices?returnId=${returnId}`);
  expect(res.status).toBe(200);
  return res.body.items as { id: string; number: string; totalAmount: string; inputVat: string; settledAmount: string; openAmount: string; originalInvoice: { id: string }; purchaseReturn: { id: string }; redInvoiceNo: string | null }[];
};

describe('开票未付款后退货', () => {
  it('专票 1,186.50，退 20 → 红字发票 237.30 冲减原发票：未核销 949.20 = 应付货款余额；对账单红字行；付 949.20 后两边都是 0', async () => {
    const r = await receivedFrom('RED-01', '100');
    // 100 × ¥10.50 = 1,050.00 + 13 % 136.50 = 1,186.50
    const inv = await invoice(r.supplierId, '26332000000000007101', r.receiptLineId, '100', '1050.00', '136.50');
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    // 20 of 100: 价税 1,186.50 × 20/100 = 237.30, of it VAT 136.50 × 20/100 = 27.30
    const rt = await returned(r.orderId, r.orderLineId, '20');
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    const [red, more] = await redInvoicesOf(rt.body.id);
    expect(more).toBeUndefined();
    expect(red).toMatchObject({
      totalAmount: '237.30', inputVat: '27.30', settledAmount: '237.30', openAmount: '0.00', redInvoiceNo: null,
      originalInvoice: { id: inv.body.id }, purchaseReturn: { id: rt.body.id },
    });
    // the return itself shows its red invoice (HZ number, original invoice, 价税合计, 进项税额)
    const shown = [{
      id: red!.id, number: expect.stringMatching(/^HZ-/), redInvoiceNo: null,
      originalInvoice: { id: inv.body.id, number: inv.body.number, invoiceNo: '26332000000000007101' }, totalAmount: '237.30', inputVat: '27.30',
    }];
    expect(rt.body.redInvoices).toEqual(shown);
    expect((await qian('get', `/api/v1/purchase-returns/${rt.body.id}`)).body.redInvoices).toEqual(shown);
    // exactly one voucher holds the lines: the return's (the red invoice has none of its own)
    expect(await vouchersOf(red!.id)).toEqual([]);
    const [v] = await vouchersOf(rt.body.id);
    expect(v!.lines.map((l) => [l.account.code, l.debit, l.credit])).toEqual([['220201', '237.30', '0.00'], ['22210101', '0.00', '27.30'], ['1403', '0.00', '210.00']]);

    const after = await qian('get', `/api/v1/purchase-invoices/${inv.body.id}`);
    expect(after.body).toMatchObject({ totalAmount: '1186.50', settledAmount: '237.30', openAmount: '949.20' });
    expect(await payableGoods(r.supplierId)).toBe('949.20');
    expect(await aging(r.supplierId)).toMatchObject({ openInvoices: '949.20', unsettledPayments: '0.00', unsettledCredits: '0.00', balance: '949.20' });
    const st = await statement(r.supplierId);
    expect(st.lines.map((l) => [l.kindLabel, l.number, l.increase, l.balance])).toEqual([
      ['发票', inv.body.number, '1186.50', '1186.50'],
      ['退货红字发票', red!.number, '-237.30', '949.20'],
    ]);
    expect(st.lines[1]!.summary).toBe(`退货 ${rt.body.number} 冲减发票 26332000000000007101`);
    expect(st).toMatchObject({ closing: '949.20', closingLabel: '应付供应商' });

    // The 数电红字发票号码 is recorded when it arrives; a malformed one is refused.
    const bad = await qian('patch', `/api/v1/purchase-red-invoices/${red!.id}`).send({ redInvoiceNo: '123' });
    expect(bad.status).toBe(400);
    expect((await wang('patch', `/api/v1/purchase-red-invoices/${red!.id}`).send({ redInvoiceNo: '26332000000000007199' })).status).toBe(403);
    const no = await qian('patch', `/api/v1/purchase-red-invoices/${red!.id}`).send({ redInvoiceNo: '26332000000000007199' });
    expect(no.status, JSON.stringify(no.body)).toBe(200);
    expect(no.body.redInvoiceNo).toBe('26332000000000007199');
    expect((await statement(r.supplierId)).lines[1]!.invoiceNo).toBe('26332000000000007199');

    // Paying what is open settles it: invoice open 0, 应付货款 0, nothing left in the aging.
    const paid = await pay(r.supplierId, '949.20', inv.body.id);
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body).toMatchObject({ payableAmount: '949.20', advanceAmount: '0.00', unsettledAmount: '0.00' });
    expect((await qian('get', `/api/v1/purchase-invoices/${inv.body.id}`)).body.openAmount).toBe('0.00');
    expect(await payableGoods(r.supplierId)).toBe('0.00');
    expect(await aging(r.supplierId)).toBeUndefined();
    expect(await statement(r.supplierId)).toMatchObject({ closing: '0.00', closingLabel: '已结清' });
  });
});

describe('已付清后退货', () => {
  it('付清 1,186.50 后退 20：红字发票 237.30 未抵扣，应付货款 借方 237.30，对账单 −237.30 供应商欠款；后来的发票 118.65 以红字发票抵扣', async () => {
    const r = await receivedFrom('RED-02', '100');
    const inv = await invoice(r.supplierId, '26332000000000007201', r.receiptLineId, '100', '1050.00', '136.50');
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect((await pay(r.supplierId, '1186.50', inv.body.id)).status).toBe(201);
    const rt = await returned(r.orderId, r.orderLineId, '20');
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    const [red] = await redInvoicesOf(rt.body.id);
    expect(red).toMatchObject({ totalAmount: '237.30', settledAmount: '0.00', openAmount: '237.30' });
    expect(await payableGoods(r.supplierId)).toBe('-237.30');
    expect(await aging(r.supplierId)).toMatchObject({ openInvoices: '0.00', unsettledPayments: '0.00', unsettledCredits: '237.30', balance: '-237.30' });
    const st = await statement(r.supplierId);
    expect(st.lines.map((l) => [l.kind, l.increase, l.balance])).toEqual([['invoice', '1186.50', '1186.50'], ['payment', '0.00', '0.00'], ['redInvoice', '-237.30', '-237.30']]);
    expect(st).toMatchObject({ closing: '-237.30', closingLabel: '供应商欠款（可抵扣）' });

    // The supplier redelivers 10 KG and invoices them: 105.00 + 13.65 = 118.65, set off against the red invoice.
    const rc = await zhao('post', `/api/v1/purchase-orders/${r.orderId}/receipts`).send({ lines: [{ orderLineId: r.orderLineId, quantity: '10' }] });
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    const later = await invoice(r.supplierId, '26332000000000007202', rc.body.lines[0].id, '10', '105.00', '13.65');
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    // bad input: both a payment and a red invoice, neither, more than the red invoice has open
    const both = await qian('post', '/api/v1/payable-settlements').send({ lines: [{ paymentId: red!.id, redInvoiceId: red!.id, invoiceId: later.body.id, amount: '1' }] });
    expect(both.status).toBe(400);
    expect((await qian('post', '/api/v1/payable-settlements').send({ lines: [{ invoiceId: later.body.id, amount: '1' }] })).status).toBe(400);
    const tooMuch = await qian('post', '/api/v1/payable-settlements').send({ lines: [{ redInvoiceId: red!.id, invoiceId: inv.body.id, amount: '1' }] });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.message).toContain('未核销 ¥0.00');
    const vouchersBefore = await t.database.system.voucher.count();
    const set = await qian('post', '/api/v1/payable-settlements').send({ lines: [{ redInvoiceId: red!.id, invoiceId: later.body.id, amount: '118.65' }] });
    expect(set.status, JSON.stringify(set.body)).toBe(201);
    expect(set.body.items[0]).toMatchObject({ paymentId: null, redInvoiceId: red!.id, redInvoiceNumber: red!.number, amount: '118.65', fromAdvance: '0.00' });
    expect(await t.database.system.voucher.count()).toBe(vouchersBefore); // both sides are 应付货款: nothing to post
    expect((await qian('get', `/api/v1/purchase-red-invoices/${red!.id}`)).body).toMatchObject({ settledAmount: '118.65', openAmount: '118.65' });
    expect((await qian('get', `/api/v1/purchase-invoices/${later.body.id}`)).body.openAmount).toBe('0.00');
    // 237.30 − 118.65 still owed by the supplier, in the ledger and in the sub-ledger alike
    expect(await payableGoods(r.supplierId)).toBe('-118.65');
    expect(await aging(r.supplierId)).toMatchObject({ openInvoices: '0.00', unsettledCredits: '118.65', balance: '-118.65' });
    expect((await statement(r.supplierId)).closing).toBe('-118.65');
  });
});

describe('外币发票的退货', () => {
  it('USD 发票 14.00 + 1.82 @7.12：退 5 of 10 → 借 应付货款 56.32（USD 7.91 @7.12），红字发票同币别', async () => {
    const r = await receivedFrom('RED-03', '10');
    // 14.00 × 7.12 = 99.68, 1.82 × 7.12 = 12.96 (12.9584): 112.64, USD 15.82
    const inv = await invoice(r.supplierId, '26332000000000007301', r.receiptLineId, '10', '14.00', '1.82', 'USD');
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect(inv.body).toMatchObject({ totalAmount: '112.64', totalForeign: '15.82', exchangeRate: '7.120000' });
    // 5 of 10: 112.64 / 2 = 56.32, VAT 12.96 / 2 = 6.48, cost 99.68 / 2 = 49.84; USD 15.82 × 56.32 / 112.64 = 7.91
    const rt = await returned(r.orderId, r.orderLineId, '5');
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    const [v] = await vouchersOf(rt.body.id);
    expect((v!.lines as FxLine[]).map((l) => [l.account.code, l.debit, l.credit, l.currencyCode, l.amountForeign, l.rate])).toEqual([
      ['220201', '56.32', '0.00', 'USD', '7.91', '7.120000'],
      ['22210101', '0.00', '6.48', null, null, null],
      ['1403', '0.00', '49.84', null, null, null],
    ]);
    const [red] = await redInvoicesOf(rt.body.id);
    expect(red).toMatchObject({ totalAmount: '56.32', currencyCode: 'USD', totalForeign: '7.91', exchangeRate: '7.120000', openAmount: '0.00' });
    expect((await qian('get', `/api/v1/purchase-invoices/${inv.body.id}`)).body.openAmount).toBe('56.32');
    expect(await payableGoods(r.supplierId)).toBe('56.32');
  });
});

describe('退货与付款并发', () => {
  it('同一张发票同时退货 10 与付款 113.00 并核销：先到的算数，应付货款余额始终等于账龄余额', async () => {
    const r = await receivedFrom('RED-04', '10');
    const inv = await invoice(r.supplierId, '26332000000000007401', r.receiptLineId, '10', '100.00', '13.00');
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    const [rt, paid] = await Promise.all([returned(r.orderId, r.orderLineId, '10'), pay(r.supplierId, '113.00', inv.body.id)]);
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    const [red] = await redInvoicesOf(rt.body.id);
    if (paid.status === 201) {
      // paid first: the red invoice finds nothing open, the supplier owes us 113.00
      expect(red).toMatchObject({ totalAmount: '113.00', openAmount: '113.00' });
      expect(await payableGoods(r.supplierId)).toBe('-113.00');
      expect((await aging(r.supplierId))!.balance).toBe('-113.00');
    } else {
      // returned first: the invoice has nothing open, the payment with its settlement is refused whole
      expect(paid.status).toBe(400);
      expect(red).toMatchObject({ totalAmount: '113.00', settledAmount: '113.00' });
      expect(await payableGoods(r.supplierId)).toBe('0.00');
      expect(await aging(r.supplierId)).toBeUndefined();
    }
    expect((await qian('get', `/api/v1/purchase-invoices/${inv.body.id}`)).body.openAmount).toBe('0.00');
  });
});
