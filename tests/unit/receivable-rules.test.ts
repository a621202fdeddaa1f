// 应收的纯规则, figures by hand: the sales invoice, receipt and 核销 voucher rules (一般纳税人 and
// 小规模纳税人), the aging buckets at their edges, and the bot's 应收 command parsing.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../bot/commands/parse.ts';
import { addToBuckets, agingBucket, bucketsDto, emptyBuckets } from '../../server/modules/sales/receivables/aging.ts';
import { arMatchVoucher, customerReceiptVoucher, salesInvoiceVoucher, type SalesInvoicePostingFacts } from '../../server/modules/sales/receivables/voucher.ts';

const amounts = (lines: { account: string; debit?: unknown; credit?: unknown }[]) =>
  lines.map((l) => [l.account, new Decimal(String(l.debit ?? 0)).toFixed(2), new Decimal(String(l.credit ?? 0)).toFixed(2)]);

const invoice = (o: Partial<SalesInvoicePostingFacts>): SalesInvoicePostingFacts => ({
  documentId: 'i1', documentNumber: 'SI-20261201-0001', date: '2026-12-01', taxpayerKind: 'generalTaxpayer', customerId: 'c1', customerName: '甬兴',
  invoiceNo: '26330000000000000001', ahead: { amount: '0', tax: '0' }, free: { amount: '0', tax: '0' }, ...o,
});

describe('销售发票凭证规则', () => {
  it('货已发出后开票：不记账（发货时已确认收入和销项）', () => {
    expect(salesInvoiceVoucher(invoice({}))).toBeNull();
  });

  it('预开票 100 = 88.50 + 11.50：借 应收 / 贷 预收、销项；自由行 109 = 100 + 9：贷 收入', () => {
    const v = salesInvoiceVoucher(invoice({ ahead: { amount: '88.50', tax: '11.50' }, free: { amount: '100', tax: '9' } }))!;
    expect(amounts(v.lines)).toEqual([['1122', '209.00', '0.00'], ['2203', '0.00', '88.50'], ['5001', '0.00', '100.00'], ['22210102', '0.00', '20.50']]);
    expect(v.date).toBe('2026-12-01');
  });

  it('小规模纳税人：税额贷 应交税费—应交增值税', () => {
    const v = salesInvoiceVoucher(invoice({ taxpayerKind: 'smallScaleTaxpayer', ahead: { amount: '100', tax: '3' } }))!;
    // The 0 revenue line is dropped by postDocument.
    expect(amounts(v.lines)).toEqual([['1122', '103.00', '0.00'], ['2203', '0.00', '100.00'], ['5001', '0.00', '0.00'], ['222101', '0.00', '3.00']]);
  });
});

describe('收款与核销凭证规则', () => {
  it('收款 500（现金）：应收 259、预收 241', () => {
    const v = customerReceiptVoucher({ documentId: 'r', documentNumber: 'SK-1', date: '2026-12-15', customerId: 'c', customerName: '甬兴', accountCode: '1001', amount: '500.00', advance: '241.00' })!;
    expect(amounts(v.lines)).toEqual([['1001', '500.00', '0.00'], ['1122', '0.00', '259.00'], ['2203', '0.00', '241.00']]);
  });

  it('用预收核销 30：借 预收 贷 应收；取消：反向；不用预收的核销不记账', () => {
    const base = { documentId: 'm', documentNumber: 'SK-1→SI-1', date: '2026-12-20', customerId: 'c', customerName: '甬兴', invoiceNumber: 'SI-1', receiptNumber: 'SK-1' };
    expect(amounts(arMatchVoucher({ ...base, fromAdvance: '30', undo: false })!.lines)).toEqual([['2203', '30.00', '0.00'], ['1122', '0.00', '30.00']]);
    expect(amounts(arMatchVoucher({ ...base, fromAdvance: '30', undo: true })!.lines)).toEqual([['1122', '30.00', '0.00'], ['2203', '0.00', '30.00']]);
    expect(arMatchVoucher({ ...base, fromAdvance: '0.00', undo: false })).toBeNull();
  });
});

describe('账龄', () => {
  it.each([
    ['2027-01-15', 'notDue'], ['2026-12-31', 'notDue'], ['2026-12-30', 'd1to30'], ['2026-12-01', 'd1to30'], ['2026-11-30', 'd31to60'],
    ['2026-11-01', 'd31to60'], ['2026-10-31', 'd61to90'], ['2026-10-02', 'd61to90'], ['2026-10-01', 'over90'],
  ])('到期日 %s，截止 2026-12-31 → %s', (due, bucket) => {
    expect(agingBucket(due, '2026-12-31')).toBe(bucket);
  });

  it('合计与逾期', () => {
    const b = emptyBuckets();
    addToBuckets(b, '20', 'notDue');
    addToBuckets(b, '50.5', 'over90');
    expect(bucketsDto(b)).toEqual({ notDue: '20.00', d1to30: '0.00', d31to60: '0.00', d61to90: '0.00', over90: '50.50', total: '70.50', overdue: '50.50' });
  });
});

describe('机器人命令「应收」', () => {
  it.each([
    ['应收 甬兴电力', { kind: 'receivables', customer: '甬兴电力' }],
    ['@云桥 应收：C0003。', { kind: 'receivables', customer: 'C0003' }],
    ['查应收 恒力 机械', { kind: 'receivables', customer: '恒力 机械' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('没有客户：帮助并说明', () => {
    const c = parseCommand('应收');
    expect(c.kind === 'help' && c.reason).toContain('请告诉我要查哪个客户');
  });
});
