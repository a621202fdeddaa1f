// 物料 Excel 导入导出: units and categories by code, kinds by label, conversions as "BOX=1000;PACK=100".
// A bad row among 200 writes nothing and is named; every kind of row error is reported at once; a
// good file imports all; an empty 换算 keeps an item's conversions; export → import round-trips.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemColumns, parseConversions } from '../../server/modules/inventory/items/excel.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let planner: AuthedClient;

beforeAll(async () => {
  t = await createTestApp();
  planner = await as(t, 'sun.jh');
});
afterAll(async () => t?.close());

type Cells = Record<string, string | number | undefined>;

async function workbook(rows: Cells[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('物料');
  ws.addRow(itemColumns.map((c) => c.header));
  for (const r of rows) ws.addRow(itemColumns.map((c) => r[c.key] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function goodRow(i: number): Cells {
  return {
    code: `FG-IMP-${String(i).padStart(4, '0')}`, name: `导入测试螺母 M${i}`, spec: 'GB/T 6170 8级 镀锌', categoryCode: '0302',
    kind: '产成品', sourcing: '自制', baseUnit: 'PCS', purchaseUnit: 'PACK', salesUnit: 'BOX', conversions: 'BOX=1000;PACK=100',
    safetyStock: '5000', leadTimeDays: 7, scrapRate: '0.005', standardCost: '0.0213', salePrice: '0.035', taxRate: '0.13',
    batchTracked: '是', active: '是',
  };
}

const upload = (buf: Buffer, client = planner) => client('post', '/api/v1/items/import').attach('file', buf, '物料.xlsx');
const download = (client: AuthedClient, url: string) =>
  client('get', url).buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
const counts = async () => ({
  items: await t.database.system.item.count(),
  conversions: await t.database.system.unitConversion.count(),
  audits: await t.database.system.auditLog.count(),
  events: await t.database.system.outboxEvent.count(),
});
const itemByCode = async (code: string) => (await planner('get', `/api/v1/items?q=${encodeURIComponent(code)}`)).body.items.find((i: { code: string }) => i.code === code);

describe('换算单元格', () => {
  it('读出 单位=数量 对，分号（含全角）分隔；格式不对时说明原因', () => {
    expect(parseConversions('BOX=1000;PACK=100')).toEqual([{ unitCode: 'BOX', factor: '1000' }, { unitCode: 'PACK', factor: '100' }]);
    expect(parseConversions(' BOX = 1000 ； PACK＝0.5 ;')).toEqual([{ unitCode: 'BOX', factor: '1000' }, { unitCode: 'PACK', factor: '0.5' }]);
    expect(parseConversions('BOX:1000')).toContain('格式不对');
  });
});

describe('物料 Excel 导入', () => {
  it('200 行中有 1 行有误：一行都不写入，并指出行号和原因', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => goodRow(i + 1));
    rows[136] = { ...rows[136]!, scrapRate: '1' }; // sheet row 138: 100 % scrap
    const before = await counts();
    const res = await upload(await workbook(rows));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain('第 138 行');
    expect(res.body.error.details).toEqual([{ row: 138, field: '第 138 行 · 损耗率', message: '损耗率必须小于 1（100%）' }]);
    expect(await counts()).toEqual(before);
  });

  it('多种错误一次报全：未知单位/分类、属性、换算格式与单位、单位规则、重复编码、数字', async () => {
    const rows = [
      goodRow(1),
      { ...goodRow(2), baseUnit: 'XYZ' },
      { ...goodRow(3), categoryCode: '99' },
      { ...goodRow(4), kind: '零件' },
      { ...goodRow(5), conversions: 'BOX:1000' },
      { ...goodRow(6), conversions: 'CRATE=10', purchaseUnit: undefined, salesUnit: undefined },
      { ...goodRow(7), conversions: 'BOX=1000', purchaseUnit: 'PACK' },
      { ...goodRow(8), conversions: 'PCS=1;BOX=1000;PACK=100' },
      { ...goodRow(9), conversions: 'BOX=0;PACK=100' },
      { ...goodRow(10), code: 'FG-IMP-0001' },
      { ...goodRow(11), leadTimeDays: '七天' },
      { ...goodRow(12), sourcing: '代工', batchTracked: 'Y' },
      { ...goodRow(13), baseUnit: undefined, kind: undefined },
    ];
    const before = await counts();
    const res = await upload(await workbook(rows));
    expect(res.status).toBe(400);
    const details = res.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]);
    expect(details).toEqual(
      expect.arrayContaining([
        ['第 3 行 · 基本单位', '计量单位 XYZ 不存在'],
        ['第 4 行 · 分类编码', '物料分类 99 不存在'],
        ['第 5 行 · 物料属性', '物料属性只能是 原材料、半成品、产成品、外购件、服务'],
        ['第 6 行 · 换算', expect.stringContaining('「BOX:1000」格式不对')],
        ['第 7 行 · 换算', '计量单位 CRATE 不存在'],
        ['第 8 行 · 采购单位', '采购单位必须是基本单位或换算单位之一'],
        ['第 9 行 · 换算', 'PCS: 基本单位不需要换算率'],
        ['第 10 行 · 换算', 'BOX: 换算率必须大于 0'],
        ['第 11 行 · 物料编码', '与第 2 行编码重复'],
        ['第 12 行 · 提前期天数', '提前期必须是整数天数'],
        ['第 13 行 · 来源', '来源只能是 自制、外购、委外'],
        ['第 13 行 · 批次管理', '只能填「是」或「否」'],
        ['第 14 行 · 基本单位', '基本单位必填'],
        ['第 14 行 · 物料属性', '物料属性必填'],
      ]),
    );
    // Each bad cell is explained once: not again by the schema (no "必须是有效的 ID"), and an unreadable
    // 换算 does not make the purchase and sales units look missing.
    expect(details).toHaveLength(14);
    expect(await counts()).toEqual(before);
  });

  it('正确的 200 行全部导入：标签和英文值都认，换算和单位按编码', async () => {
    const before = await counts();
    const rows = Array.from({ length: 200 }, (_, i) => goodRow(i + 1));
    rows[1] = { ...rows[1]!, kind: 'semiFinished', sourcing: 'outsource', categoryCode: undefined, purchaseUnit: undefined, salesUnit: undefined, conversions: undefined };
    const res = await upload(await workbook(rows));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 200, created: 200, updated: 0 });
    const after = await counts();
    expect(after.items).toBe(before.items + 200);
    expect(after.conversions).toBe(before.conversions + 199 * 2);
    expect(await t.database.system.auditLog.count({ where: { entity: 'item', action: 'import' } })).toBe(200);
    expect((await t.database.system.outboxEvent.findMany({ where: { type: 'item.imported' } })).map((e) => e.payload)).toEqual([{ total: 200, created: 200, updated: 0 }]);

    const one = await itemByCode('FG-IMP-0137');
    expect(one).toMatchObject({
      name: '导入测试螺母 M137', category: { code: '0302' }, kind: 'finished', kindLabel: '产成品', sourcing: 'make',
      baseUnit: { code: 'PCS' }, purchaseUnit: { code: 'PACK' }, salesUnit: { code: 'BOX' },
      safetyStock: '5000.0000', leadTimeDays: 7, scrapRate: '0.0050', standardCost: '0.021300', salePrice: '0.035000', taxRate: '0.1300', batchTracked: true, active: true,
    });
    expect(one.conversions.map((c: { unit: { code: string }; factor: string }) => [c.unit.code, c.factor])).toEqual([['PACK', '100.000000'], ['BOX', '1000.000000']]);
    expect(await itemByCode('FG-IMP-0002')).toMatchObject({ kind: 'semiFinished', sourcing: 'outsource', category: null, purchaseUnit: null, conversions: [] });
  });

  it('更新已有物料：换算为空时保留原换算，填写时整体替换', async () => {
    const before = await itemByCode('FG-IMP-0003');
    let res = await upload(await workbook([{ ...goodRow(3), conversions: undefined, salePrice: '0.04' }]));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 1, created: 0, updated: 1 });
    const kept = await itemByCode('FG-IMP-0003');
    expect(kept).toMatchObject({ salePrice: '0.040000', version: before.version + 1 });
    expect(kept.conversions).toEqual(before.conversions);

    res = await upload(await workbook([{ ...goodRow(3), conversions: 'BOX=500', purchaseUnit: 'BOX' }]));
    expect(res.status).toBe(200);
    const replaced = await itemByCode('FG-IMP-0003');
    expect(replaced.conversions.map((c: { unit: { code: string }; factor: string }) => [c.unit.code, c.factor])).toEqual([['BOX', '500.000000']]);
    expect(replaced.purchaseUnit.code).toBe('BOX');

    // An empty 换算 keeps BOX only, so PACK cannot be the purchase unit; nothing is written.
    res = await upload(await workbook([{ ...goodRow(3), conversions: undefined }]));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ row: 2, field: '第 2 行 · 采购单位', message: '采购单位必须是基本单位或换算单位之一' }]);
    expect(await itemByCode('FG-IMP-0003')).toEqual(replaced);
  });

  it('导出再导入：数据原样回来（按编码更新，不新增）', async () => {
    const exported = await download(planner, '/api/v1/items/export?sort=code');
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    // Every row, page by page, without what an update changes by itself.
    const list = async () => {
      const rows: Record<string, unknown>[] = [];
      for (let page = 1; ; page++) {
        const body = (await planner('get', `/api/v1/items?pageSize=200&sort=code&page=${page}`)).body;
        rows.push(...body.items.map(({ version: _v, updatedAt: _u, ...i }: Record<string, unknown>) => i));
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

  it('导出按列表的筛选，物料属性为中文，换算写成 单位=数量', async () => {
    const exported = await download(planner, '/api/v1/items/export?q=RM-WR-35K-6.5');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.body as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(2);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const row = Object.fromEntries(header.map((h, i) => [h, ws.getRow(2).getCell(i + 1).value]));
    expect(row).toMatchObject({ 物料编码: 'RM-WR-35K-6.5', 分类编码: '0101', 物料属性: '原材料', 来源: '外购', 基本单位: 'KG', 采购单位: 'T', 换算: 'T=1000', 批次管理: '是' });
  });

  it('不是 xlsx 的文件（改了扩展名）被拒绝 415', async () => {
    const res = await planner('post', '/api/v1/items/import').attach('file', Buffer.from('%PDF-1.7 fake'), '物料.xlsx');
    expect(res.status).toBe(415);
  });

  it('没有物料导入/导出权限的销售员得到 403', async () => {
    const sales = await as(t, 'li.xs');
    const before = await counts();
    expect((await upload(await workbook([goodRow(9001)]), sales)).status).toBe(403);
    expect((await sales('get', '/api/v1/items/export')).status).toBe(403);
    expect((await counts()).items).toBe(before.items);
  });
});
