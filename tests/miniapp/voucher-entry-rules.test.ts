// 凭证录入's keyboard and balance rules (miniapp/src/utils/voucher-entry.ts), pure: where Enter / Tab /
// Shift+Tab go (辅助核算 cells only for accounts kept by them), `=` balancing, Space, `//`, Ctrl+Delete,
// the account search (leaf accounts, code prefix first), what blocks saving, the request body and
// where the server's field errors land; and the shared 大写金额 on decimal strings.
import { describe, expect, it } from 'vitest';
import {
  balanceAt, blankLine, cellsOf, dimensionsOf, expandSummary, fixedAmount, lineDimensions, nextCell, offersProject, placeErrors, previousCell, removeLine,
  saveBlockers, searchAccounts, switchSide, totalsOf, voucherRequest, type EntryLine,
} from '../../miniapp/src/utils/voucher-entry';
import { rmbCapital } from '../../shared/rmb-capital';
import type { Account } from '../../shared/schemas/vouchers';

const acct = (code: string, fullName: string, postable = true): Account => ({
  id: `a-${code}`, code, name: fullName.split('—').pop()!, fullName, parentId: null, level: (code.length - 2) / 2,
  category: 'asset', categoryLabel: '资产', direction: 'debit', directionLabel: '借', postable, fxAccounting: false, currencyCode: null,
});
const line = (code: string | null, debit = '', credit = '', summary = ''): EntryLine => ({
  ...blankLine(), summary, debit, credit, account: code ? { id: `a-${code}`, code, fullName: code } : null,
});

describe('凭证录入：单元格与光标移动', () => {
  it('辅助核算只出现在需要它的科目行：应收账款→客户，应付货款→供应商，管理费用→部门，其他应收款→员工，库存商品→物料', () => {
    expect(dimensionsOf('1122')).toEqual(['customer']);
    expect(dimensionsOf('220201')).toEqual(['supplier']);
    expect(dimensionsOf('5602')).toEqual(['department']);
    expect(dimensionsOf('1221')).toEqual(['employee']);
    expect(dimensionsOf('1405')).toEqual(['item']);
    expect(dimensionsOf('1002')).toEqual([]);
    expect(dimensionsOf(null)).toEqual([]);
    expect(cellsOf(line('1122'))).toEqual(['summary', 'account', 'customer', 'debit', 'credit']);
    expect(cellsOf(line('1002'))).toEqual(['summary', 'account', 'debit', 'credit']);
  });

  it('Enter/Tab 到下一格，贷方之后到下一行摘要；最后一行的最后一格新增一行', () => {
    const lines = [line('1122'), line('1002')];
    expect(nextCell(lines, { line: 0, column: 'account' })).toEqual({ line: 0, column: 'customer', addLine: false });
    expect(nextCell(lines, { line: 0, column: 'customer' })).toEqual({ line: 0, column: 'debit', addLine: false });
    expect(nextCell(lines, { line: 0, column: 'credit' })).toEqual({ line: 1, column: 'summary', addLine: false });
    expect(nextCell(lines, { line: 1, column: 'account' })).toEqual({ line: 1, column: 'debit', addLine: false });
    expect(nextCell(lines, { line: 1, column: 'credit' })).toEqual({ line: 2, column: 'summary', addLine: true });
  });

  it('项目（可选）出现在成本类、损益类科目和在建工程行：管理费用→部门、项目；主营业务收入→项目；往来和银行没有', () => {
    for (const code of ['5001', '5401', '5602', '560201', '5711', '4001', '4301', '1604', '160401']) expect(offersProject(code), code).toBe(true);
    for (const code of ['1002', '1122', '1405', '2202', '1601', '3103', '']) expect(offersProject(code), code).toBe(false);
    expect(offersProject(null)).toBe(false);
    expect(lineDimensions('5602')).toEqual(['department', 'project']);
    expect(lineDimensions('5401')).toEqual(['item', 'project']);
    expect(lineDimensions('5001')).toEqual(['project']);
    expect(lineDimensions('1122')).toEqual(['customer']);
    expect(cellsOf(line('5602'))).toEqual(['summary', 'account', 'department', 'project', 'debit', 'credit']);
  });

  it('Enter 跳过空的项目格，Tab 停在项目格；已选了项目的格 Enter 也经过；Shift+Tab 能回到项目格', () => {
    const lines = [line('5602'), line('5001')];
    expect(nextCell(lines, { line: 0, column: 'department' }, { skipOptional: true })).toEqual({ line: 0, column: 'debit', addLine: false });
    expect(nextCell(lines, { line: 0, column: 'department' })).toEqual({ line: 0, column: 'project', addLine: false });
    expect(nextCell(lines, { line: 1, column: 'account' }, { skipOptional: true })).toEqual({ line: 1, column: 'debit', addLine: false });
    expect(nextCell(lines, { line: 0, column: 'project' }, { skipOptional: true })).toEqual({ line: 0, column: 'debit', addLine: false });
    const chosen = [{ ...line('5001'), dims: { project: { id: 'p-1', text: 'P001 新厂房改造' } } }];
    expect(nextCell(chosen, { line: 0, column: 'account' }, { skipOptional: true })).toEqual({ line: 0, column: 'project', addLine: false });
    expect(previousCell(lines, { line: 0, column: 'debit' })).toEqual({ line: 0, column: 'project' });
  });

  it('Shift+Tab 回上一格，行首回到上一行的贷方，第一格之前没有格', () => {
    const lines = [line('1122'), line('1002')];
    expect(previousCell(lines, { line: 1, column: 'summary' })).toEqual({ line: 0, column: 'credit' });
    expect(previousCell(lines, { line: 0, column: 'debit' })).toEqual({ line: 0, column: 'customer' });
    expect(previousCell(lines, { line: 0, column: 'summary' })).toBeNull();
  });
});

describe('凭证录入：找平、借贷互换、复制摘要、删行', () => {
  it('= 填入使凭证平衡的金额，放在其他行缺的一方（精确到分，无浮点误差）', () => {
    const lines = [line('5602', '0.10'), line('5601', '0.20'), line('1001')];
    expect(balanceAt(lines, 2)).toEqual({ debit: '', credit: '0.30', column: 'credit' });
    const other = [line('1002', '', '1000'), line('1001', '', '234.5'), line('5602', '99')];
    expect(balanceAt(other, 2)).toEqual({ debit: '1234.50', credit: '', column: 'debit' });
    expect(balanceAt([line('1001', '5'), line('1002', '', '5'), line(null)], 2)).toBeNull(); // already balanced
    expect(balanceAt([line('1001', 'abc'), line(null)], 1)).toBeNull();
  });

  it('空格把金额移到另一方，光标跟着走', () => {
    expect(switchSide(line('1001', '12.00'))).toEqual({ debit: '', credit: '12.00', column: 'credit' });
    expect(switchSide(line('1001', '', '8'))).toEqual({ debit: '8', credit: '', column: 'debit' });
  });

  it('摘要里输入 // 变成上一行的摘要；第一行不变', () => {
    const lines = [line('5602', '', '', '报销差旅费'), line(null)];
    expect(expandSummary(lines, 1, '//')).toBe('报销差旅费');
    expect(expandSummary(lines, 1, '付款/')).toBe('付款/');
    expect(expandSummary(lines, 0, '//')).toBe('//');
  });

  it('Ctrl+Delete 删行，至少留两行', () => {
    const lines = [line('1001', '1'), line('1002', '', '1'), line('5602')];
    expect(removeLine(lines, 1).map((l) => l.account?.code)).toEqual(['1001', '5602']);
    const two = removeLine(removeLine(lines, 0), 0);
    expect(two).toHaveLength(2);
    expect(two[1]!.account).toBeNull();
  });

  it('金额离开单元格时补足两位小数', () => {
    expect(fixedAmount('12.5')).toBe('12.50');
    expect(fixedAmount('3')).toBe('3.00');
    expect(fixedAmount('.5')).toBe('0.50');
    expect(fixedAmount('1.234')).toBe('1.234'); // not an amount: left for the red difference / the server
  });
});

describe('凭证录入：科目搜索', () => {
  const chart = [
    acct('1001', '库存现金'), acct('1002', '银行存款'), acct('2221', '应交税费', false), acct('222101', '应交税费—应交增值税', false),
    acct('22210101', '应交税费—应交增值税—进项税额'), acct('22210102', '应交税费—应交增值税—销项税额'), acct('5602', '管理费用'),
  ];
  it('按编码前缀或名称，只列末级科目，编码匹配在前', () => {
    expect(searchAccounts(chart, '100').map((a) => a.code)).toEqual(['1001', '1002']);
    expect(searchAccounts(chart, '2221').map((a) => a.code)).toEqual(['22210101', '22210102']);
    expect(searchAccounts(chart, '销项').map((a) => a.code)).toEqual(['22210102']);
    expect(searchAccounts(chart, '应交').map((a) => a.code)).toEqual(['22210101', '22210102']);
    expect(searchAccounts(chart, '没有')).toEqual([]);
  });
});

describe('凭证录入：合计、能否保存、请求体、错误位置', () => {
  it('合计与差额精确到分；不平衡、缺科目、一行两方都填、全空都不能保存', () => {
    const lines = [line('5602', '0.10'), line('5601', '0.20'), line('1001', '', '0.30'), blankLine()];
    expect(totalsOf(lines)).toEqual({ debit: '0.3', credit: '0.3', difference: '0' });
    expect(saveBlockers({ date: '2026-12-07', lines })).toEqual([]);
    expect(saveBlockers({ date: '2026-12-07', lines: [line('5602', '100'), line('1001', '', '99.99')] })).toEqual(['借贷不平衡']);
    expect(totalsOf([line('5602', '100'), line('1001', '', '99.99')]).difference).toBe('0.01');
    expect(saveBlockers({ date: '2026-12-07', lines: [line('5602', '1'), line(null, '', '1')] })).toEqual(['每行都要选会计科目']);
    expect(saveBlockers({ date: '2026-12-07', lines: [line('5602', '1', '1'), line('1001', '', '0')] })).toContain('每行填借方或贷方金额中的一个');
    expect(saveBlockers({ date: '2026-12-07', lines: [blankLine(), blankLine()] })).toContain('凭证至少要有两行分录');
    expect(totalsOf([line('1001', '1x')]).difference).toBeNull();
  });

  it('请求体：空行不带，凭证摘要取第一行的，金额两位小数，只带科目需要的辅助核算', () => {
    const receivable = { ...line('1122', '', '113', '收回货款'), dims: { customer: { id: 'c-1', text: 'C0002 宁波甬江机械' }, item: { id: 'i-9', text: 'x' } } };
    const lines = [line('1002', '113', '', '收回货款'), blankLine(), receivable];
    expect(voucherRequest({ date: '2026-12-07', attachments: '', lines })).not.toHaveProperty('attachmentCount');
    expect(saveBlockers({ date: '2026-12-07', attachments: '2张', lines })).toEqual(['附单据数应为 0–999 的整数']);
    expect(voucherRequest({ date: '2026-12-07', attachments: ' 2 ', lines })).toEqual({
      date: '2026-12-07', summary: '收回货款', attachmentCount: 2,
      lines: [
        { accountId: 'a-1002', summary: '收回货款', debit: '113.00' },
        { accountId: 'a-1122', summary: '收回货款', credit: '113.00', customerId: 'c-1' },
      ],
    });
  });

  it('服务器的字段错误落到页面上的那一格（跳过的空行不错位），日期与整张凭证的另放', () => {
    const lines = [line('1002', '1'), blankLine(), line('2221', '', '1')];
    const placed = placeErrors(lines, {
      'body.lines.1.accountId': '科目「2221 应交税费」有下级科目，不能直接记账，请选择明细科目',
      'body.date': '日期格式不对', 'body.lines': '借贷不平衡',
    });
    expect(placed).toEqual({
      cells: { '2.account': '科目「2221 应交税费」有下级科目，不能直接记账，请选择明细科目' },
      date: '日期格式不对', attachments: '', voucher: ['借贷不平衡'],
    });
    expect(placeErrors(lines, { 'body.attachmentCount': '不能小于 0' }).attachments).toBe('不能小于 0');
  });

  it('项目随行带上（科目不提供项目的行不带），项目的错误落到项目格', () => {
    const project = { id: 'p-1', text: 'P001 新厂房改造' };
    const lines = [
      { ...line('5602', '500', '', '改造设计费'), dims: { department: { id: 'd-1', text: '总经办' }, project } },
      { ...line('1002', '', '500'), dims: { project } },
    ];
    expect(voucherRequest({ date: '2026-12-07', lines }).lines).toEqual([
      { accountId: 'a-5602', summary: '改造设计费', debit: '500.00', departmentId: 'd-1', projectId: 'p-1' },
      { accountId: 'a-1002', credit: '500.00' },
    ]);
    expect(placeErrors(lines, { 'body.lines.0.projectId': '项目「P001 新厂房改造」已于 2026-11-30 结束，不能记入 2026-12-07 的凭证' }).cells)
      .toEqual({ '0.project': '项目「P001 新厂房改造」已于 2026-11-30 结束，不能记入 2026-12-07 的凭证' });
  });
});

describe('人民币大写（shared，字符串运算）', () => {
  it.each([
    ['1234.565', '壹仟贰佰叁拾肆元伍角柒分'],
    ['0.004', '零元整'],
    ['-0.001', '零元整'],
    ['20000.10', '贰万元壹角整'],
    ['1,000', ''],
  ])('%s → %s', (amount, text) => {
    expect(rmbCapital(amount)).toBe(text);
  });
});
