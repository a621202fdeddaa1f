// 供应商 Excel 导入导出: a bad row among 200 writes nothing and is named; every kind of row error
// is reported at once; a good file imports all; an update keeps the other contacts; export →
// import round-trips; permissions and file type.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supplierColumns } from '../../server/modules/purchase/suppliers/excel.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let buyer: AuthedClient;

beforeAll(async () => {
  t = await createTestApp();
  buyer = await as(t, 'wang.cg');
});
afterAll(async () => t?.close());

type Cells = Record<string, string | number | undefined>;

/** A sheet with our headers and the given rows (values keyed by column key). */
async function workbook(rows: Cells[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('供应商');
  ws.addRow(supplierColumns.map((c) => c.header));
  for (const r of rows) ws.addRow(supplierColumns.map((c) => r[c.key] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function goodRow(i: number): Cells {
  return {
    code: `SIMP${String(i).padStart(4, '0')}`, name: `导入测试供应商${i}有限公司`, taxNo: '91320582MATK27GPQ6', category: '原材料',
    paymentTermDays: 45, currencyCode: 'CNY', phone: '0512-87175879', province: '江苏省', city: '苏州市', address: `张家港市锦丰镇${i}号`,
    bankName: '中国工商银行张家港分行', bankAccount: '3903001704556659945', contactName: '范经理', contactTitle: '销售经理', contactMobile: '18757459660',
    active: '是', remark: '导入',
  };
}

const upload = (buf: Buffer, client = buyer) => client('post', '/api/v1/suppliers/import').attach('file', buf, '供应商.xlsx');
const download = (client: AuthedClient, url: string) =>
  client('get', url).buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
const counts = async () => ({
  suppliers: await t.database.system.supplier.count(),
  contacts: await t.database.system.contact.count(),
  audits: await t.database.system.auditLog.count(),
  events: await t.database.system.outboxEvent.count(),
});

describe('供应商 Excel 导入', () => {
  it('200 行中有 1 行有误：一行都不写入，并指出行号和原因', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => goodRow(i + 1));
    rows[136] = { ...rows[136]!, paymentTermDays: -5 }; // sheet row 138 (header is row 1)
    const before = await counts();
    const res = await upload(await workbook(rows));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain('第 138 行');
    expect(res.body.error.details).toEqual([{ row: 138, field: '第 138 行 · 账期天数', message: '账期不能为负' }]);
    expect(await counts()).toEqual(before);
  });

  it('多种错误一次报全：重复编码、未知币别、手机号、银行账号、启用、缺名称、只有职务没有联系人', async () => {
    const rows = [
      goodRow(1),
      { ...goodRow(2), code: 'SIMP0001' },
      { ...goodRow(3), currencyCode: 'ABC' },
      { ...goodRow(4), contactMobile: '12' },
      { ...goodRow(5), bankAccount: '62-22' },
      { ...goodRow(6), active: '可能' },
      { ...goodRow(7), name: undefined },
      { ...goodRow(8), contactName: undefined },
      { ...goodRow(9), paymentTermDays: '三十' },
    ];
    const before = await counts();
    const res = await upload(await workbook(rows));
    expect(res.status).toBe(400);
    const details = res.body.error.details.map((d: { row: number; field: string; message: string }) => [d.row, d.field, d.message]);
    expect(details).toEqual(
      expect.arrayContaining([
        [3, '第 3 行 · 供应商编码', '与第 2 行编码重复'],
        [4, '第 4 行 · 币别', '币别 ABC 不存在'],
        [5, '第 5 行 · 联系人手机', '手机号必须是 11 位数字，以 1 开头'],
        [6, '第 6 行 · 银行账号', '银行账号只能是 8–30 位数字'],
        [7, '第 7 行 · 启用', '只能填「是」或「否」'],
        [8, '第 8 行 · 供应商名称', expect.any(String)],
        [9, '第 9 行 · 主联系人', '填写了联系人职务或手机时，主联系人必填'],
        [10, '第 10 行 · 账期天数', '账期必须是整数天数'],
      ]),
    );
    expect(details).toHaveLength(8);
    expect(await counts()).toEqual(before);
  });

  it('正确的 200 行全部导入：每行一条审计，一个 supplier.imported 事件', async () => {
    const before = await counts();
    const res = await upload(await workbook(Array.from({ length: 200 }, (_, i) => goodRow(i + 1))));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 200, created: 200, updated: 0 });
    const after = await counts();
    expect(after.suppliers).toBe(before.suppliers + 200);
    expect(after.contacts).toBe(before.contacts + 200);
    expect(await t.database.system.auditLog.count({ where: { entity: 'supplier', action: 'import' } })).toBe(200);
    const events = await t.database.system.outboxEvent.findMany({ where: { type: 'supplier.imported' } });
    expect(events.map((e) => e.payload)).toEqual([{ total: 200, created: 200, updated: 0 }]);

    const one = await buyer('get', '/api/v1/suppliers?q=SIMP0137');
    expect(one.body.items[0]).toMatchObject({
      code: 'SIMP0137', name: '导入测试供应商137有限公司', paymentTermDays: 45, currencyCode: 'CNY', bankAccount: '3903001704556659945', active: true, remark: '导入',
    });
    expect(one.body.items[0].contacts).toEqual([expect.objectContaining({ name: '范经理', title: '销售经理', mobile: '18757459660', isPrimary: true })]);
  });

  it('按编码更新已有供应商：主联系人被更新，其他联系人保留；空单元格清空该字段', async () => {
    const s0001 = (await buyer('get', '/api/v1/suppliers?q=S0001')).body.items.find((s: { code: string }) => s.code === 'S0001');
    expect(s0001.contacts).toHaveLength(2);
    const res = await upload(await workbook([{ ...goodRow(1), code: 'S0001', name: '张家港市永昌金属材料有限公司', contactName: '范雪梅', contactMobile: '18757450000', remark: undefined, paymentTermDays: 60 }]));
    // the body names the refused cell if this ever fails (seen once, not reproduced)
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ total: 1, created: 0, updated: 1 });
    const after = (await buyer('get', `/api/v1/suppliers/${s0001.id}`)).body;
    expect(after).toMatchObject({ paymentTermDays: 60, remark: null, version: s0001.version + 1 });
    expect(after.contacts).toHaveLength(2);
    expect(after.contacts[0]).toMatchObject({ id: s0001.contacts[0].id, name: '范雪梅', mobile: '18757450000', isPrimary: true });
    expect(after.contacts[1]).toEqual(s0001.contacts[1]);
    const audit = await t.database.system.auditLog.findFirst({ where: { entity: 'supplier', entityId: s0001.id, action: 'import' } });
    expect(audit?.before).toMatchObject({ paymentTermDays: 30 });
    expect(audit?.after).toMatchObject({ paymentTermDays: 60 });
  });

  it('导出再导入：数据原样回来（按编码更新，不新增）', async () => {
    const exported = await download(buyer, '/api/v1/suppliers/export?sort=code');
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    // Every row, page by page, without what an update changes by itself.
    const list = async () => {
      const rows: Record<string, unknown>[] = [];
      for (let page = 1; ; page++) {
        const body = (await buyer('get', `/api/v1/suppliers?pageSize=200&sort=code&page=${page}`)).body;
        rows.push(...body.items.map(({ version: _v, updatedAt: _u, ...s }: Record<string, unknown>) => s));
        if (rows.length >= body.total) return rows;
      }
    };
    const before = await list();
    const total = before.length;
    expect(total).toBeGreaterThan(200);
    const res = await upload(exported.body as Buffer);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total, created: 0, updated: total });
    expect(await list()).toEqual(before);
  });

  it('导出按列表的筛选', async () => {
    const exported = await download(buyer, '/api/v1/suppliers/export?q=SIMP00');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.body as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('供应商编码');
    expect(ws.rowCount).toBe(1 + 99); // SIMP0001 … SIMP0099
  });

  it('不是 xlsx 的文件（改了扩展名）被拒绝 415', async () => {
    const res = await buyer('post', '/api/v1/suppliers/import').attach('file', Buffer.from('%PDF-1.7 fake'), '供应商.xlsx');
    expect(res.status).toBe(415);
  });

  it('没有供应商导入/导出权限的销售员得到 403', async () => {
    const sales = await as(t, 'li.xs');
    const before = await counts();
    expect((await upload(await workbook([goodRow(9001)]), sales)).status).toBe(403);
    expect((await sales('get', '/api/v1/suppliers/export')).status).toBe(403);
    expect((await counts()).suppliers).toBe(before.suppliers);
  });
});
