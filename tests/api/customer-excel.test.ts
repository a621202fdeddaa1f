// 客户 Excel 导入导出: a bad row among 200 writes nothing and is named; a good file imports all;
// export → import round-trips.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerColumns } from '../../server/modules/crm/customers/excel.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let manager: AuthedClient;

beforeAll(async () => {
  t = await createTestApp();
  manager = await as(t, 'zhang.jl');
});
afterAll(async () => t?.close());

/** A sheet with our headers and the given rows (values keyed by column key). */
async function workbook(rows: Record<string, string | number | undefined>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户');
  ws.addRow(customerColumns.map((c) => c.header));
  for (const r of rows) ws.addRow(customerColumns.map((c) => r[c.key] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function goodRow(i: number): Record<string, string | number> {
  return {
    code: `IMP${String(i).padStart(4, '0')}`, name: `导入测试客户${i}有限公司`, level: 'B', creditLimit: '50000.00', paymentTermDays: 30,
    currencyCode: 'CNY', ownerUsername: 'li.xs', province: '江苏省', city: '苏州市', address: `苏州工业园区星湖街${i}号`,
    latitude: '31.320000', longitude: '120.720000', contactName: '周经理', contactMobile: '13912345678', active: '是',
  };
}

const upload = (buf: Buffer, client = manager) => client('post', '/api/v1/customers/import').attach('file', buf, '客户.xlsx');
const customerCount = () => t.database.system.customer.count();

describe('客户 Excel 导入', () => {
  it('200 行中有 1 行有误：一行都不写入，并指出行号和原因', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => goodRow(i + 1));
    rows[136] = { ...rows[136]!, creditLimit: '-5' }; // sheet row 138 (header is row 1)
    const before = await customerCount();
    const res = await upload(await workbook(rows));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain('第 138 行');
    expect(res.body.error.details).toEqual([{ row: 138, field: '第 138 行 · 信用额度', message: '不能小于 0' }]);
    expect(await customerCount()).toBe(before);
  });

  it('多种错误一次报全：重复编码、未知负责人、未知币别、手机号错误', async () => {
    const rows = [goodRow(1), { ...goodRow(2), code: 'IMP0001' }, { ...goodRow(3), ownerUsername: 'ghost' }, { ...goodRow(4), currencyCode: 'ABC' }, { ...goodRow(5), contactMobile: '12' }];
    const res = await upload(await workbook(rows));
    expect(res.status).toBe(400);
    const byRow = Object.fromEntries(res.body.error.details.map((d: { row: number; message: string }) => [d.row, d.message]));
    expect(byRow).toEqual({ 3: '与第 2 行编码重复', 4: '用户 ghost 不存在', 5: '币别 ABC 不存在', 6: '手机号必须是 11 位数字，以 1 开头' });
  });

  it('正确的 200 行全部导入', async () => {
    const before = await customerCount();
    const res = await upload(await workbook(Array.from({ length: 200 }, (_, i) => goodRow(i + 1))));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 200, created: 200, updated: 0 });
    expect(await customerCount()).toBe(before + 200);
    const one = await manager('get', '/api/v1/customers?q=IMP0137');
    expect(one.body.items[0]).toMatchObject({ code: 'IMP0137', creditLimit: '50000.00', owner: { name: '李销售' } });
    expect(one.body.items[0].contacts[0]).toMatchObject({ name: '周经理', mobile: '13912345678', isPrimary: true });
  });

  it('导出再导入：数据原样回来（按编码更新，不新增）', async () => {
    const exported = await manager('get', '/api/v1/customers/export?sort=code').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    const list = async () =>
      (await manager('get', '/api/v1/customers?pageSize=200&sort=code')).body.items.map(({ version: _v, updatedAt: _u, contacts, ...c }: Record<string, unknown> & { contacts: { id: string }[] }) => ({
        ...c, contacts: contacts.map(({ id: _id, ...k }) => k),
      }));
    const before = await list();
    const total = (await manager('get', '/api/v1/customers?pageSize=1')).body.total;
    const res = await upload(exported.body as Buffer);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total, created: 0, updated: total });
    expect(await list()).toEqual(before);
  });

  it('不是 xlsx 的文件（改了扩展名）被拒绝 415', async () => {
    const res = await manager('post', '/api/v1/customers/import').attach('file', Buffer.from('%PDF-1.7 fake'), '客户.xlsx');
    expect(res.status).toBe(415);
  });

  it('缺少表头列时 400 并列出缺少的列', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('客户').addRow(['客户编码', '客户名称']);
    const res = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('表头缺少列');
  });

  it('没有导入权限的销售员得到 403', async () => {
    const sales = await as(t, 'li.xs');
    const res = await upload(await workbook([goodRow(9001)]), sales);
    expect(res.status).toBe(403);
  });
});
