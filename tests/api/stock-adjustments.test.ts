// 期初 / 库存调整 through the API: moves, balances, moving average cost, batches, bad input,
// permissions, audit and events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

let t: TestApp;
let admin: AuthedClient;
let companyId: string;
const wh: Record<string, string> = {};
const item: Record<string, string> = {};

const URL = '/api/v1/stock/adjustments';

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  for (const w of await sys.warehouse.findMany({ where: { companyId } })) wh[w.code] = w.id;
  for (const i of await sys.item.findMany({ where: { companyId }, select: { id: true, code: true } })) item[i.code] = i.id;
});
afterAll(async () => t?.close());

const level = async (code: string, w = 'WH02') => {
  const row = await t.database.system.stockLevel.findFirst({ where: { itemId: item[code], warehouseId: wh[w] } });
  return { onHand: row?.onHand.toFixed(4) ?? '0.0000', reserved: row?.reserved.toFixed(4) ?? '0.0000' };
};
const itemStock = (code: string) => t.database.system.itemStock.findFirst({ where: { itemId: item[code] } });
const moveCount = () => t.database.system.stockMove.count();

describe('期初库存与库存调整', () => {
  it('putStock 通过 API 放入期初库存：流水、余额、水位、平均成本', async () => {
    const adj = await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '1000', unitCost: '0.032' });
    expect(adj.number).toMatch(/^AJ-\d{8}-\d{4}$/);
    expect(adj.lines).toHaveLength(1);
    expect(adj.lines[0]).toMatchObject({ quantity: '1000.0000', unitCost: '0.032000', amount: '32.00' });
    expect(await level('FG-BLT-M8X30')).toEqual({ onHand: '1000.0000', reserved: '0.0000' });
    const move = await t.database.system.stockMove.findFirstOrThrow({ where: { id: BigInt(adj.lines[0]!.moveId) } });
    expect([move.kind, move.sourceType, move.documentNo]).toEqual(['opening', 'stockAdjustment', adj.number]);
    expect((await itemStock('FG-BLT-M8X30'))!.averageCost.toFixed(6)).toBe('0.032000');
  });

  it('调整：正数默认按当前移动平均成本入库，负数按平均成本出库；可用箱等换算单位', async () => {
    const box = (await t.database.system.unit.findFirstOrThrow({ where: { companyId, code: 'BOX' } })).id;
    const res = await admin('post', URL).send({
      warehouseId: wh.WH02, reason: '盘点差异手工调整',
      lines: [
        { itemId: item['FG-BLT-M8X30'], unitId: box, quantity: '2' }, // +2000 at 0.032
        { itemId: item['FG-BLT-M8X30'], quantity: '-500' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe('adjustment');
    expect(res.body.lines.map((l: { quantity: string; unitCost: string; amount: string }) => [l.quantity, l.unitCost, l.amount])).toEqual([
      ['2000.0000', '0.032000', '64.00'], ['-500.0000', '0.032000', '-16.00'],
    ]);
    expect(res.body.totalAmount).toBe('48.00');
    expect(await level('FG-BLT-M8X30')).toEqual({ onHand: '2500.0000', reserved: '0.0000' });
    const s = (await itemStock('FG-BLT-M8X30'))!;
    expect([s.quantity.toFixed(4), s.value.toFixed(2)]).toEqual(['2500.0000', '80.00']);

    const detail = await admin('get', `${URL}/${res.body.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ number: res.body.number, reason: '盘点差异手工调整', warehouse: { code: 'WH02' }, createdBy: { name: '系统管理员' } });
    const audit = await t.database.system.auditLog.findFirst({ where: { entity: 'stockAdjustment', entityId: res.body.id } });
    expect(audit?.action).toBe('create');
    const event = await t.database.system.outboxEvent.findFirst({ where: { type: 'stockAdjustment.created', aggregateId: res.body.id } });
    expect(event?.payload).toMatchObject({ number: res.body.number, lineCount: 2, totalAmount: '48.00' });
  });

  it('没有库存也没有指定单价的物料按标准成本入库', async () => {
    const res = await admin('post', URL).send({ warehouseId: wh.WH02, reason: '样品入库', lines: [{ itemId: item['FG-NUT-M8'], quantity: '100' }] });
    expect(res.status).toBe(201);
    expect(res.body.lines[0].unitCost).toBe('0.010700');
  });

  it('按批次管理的物料：带批次入库，待检状态不计入可用', async () => {
    const res = await admin('post', URL).send({
      warehouseId: wh.WH01, reason: '期初', opening: true,
      lines: [
        { itemId: item['RM-WR-35K-6.5'], quantity: '5000', unitCost: '5.2', batchNo: 'L2401' },
        { itemId: item['RM-WR-35K-6.5'], quantity: '2000', unitCost: '5.4', batchNo: 'L2402', qualityStatus: 'pending' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe('opening');
    expect(await level('RM-WR-35K-6.5', 'WH01')).toEqual({ onHand: '5000.0000', reserved: '0.0000' });
    const balances = await t.database.system.stockBalance.findMany({ where: { itemId: item['RM-WR-35K-6.5'] }, orderBy: { batchNo: 'asc' } });
    expect(balances.map((b) => [b.batchNo, b.qualityStatus, b.onHand.toFixed(4)])).toEqual([['L2401', 'passed', '5000.0000'], ['L2402', 'pending', '2000.0000']]);
    expect((await itemStock('RM-WR-35K-6.5'))!.averageCost.toFixed(6)).toBe('5.257143');
  });

  it('列表：分页、按期初筛选、按物料筛选、关键字', async () => {
    const all = await admin('get', `${URL}?pageSize=2`);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(4);
    expect(all.body.items).toHaveLength(2);
    const opening = await admin('get', `${URL}?opening=true&sort=number`);
    expect(opening.body.items.map((a: { kind: string }) => a.kind)).toEqual(['opening', 'opening']);
    const byItem = await admin('get', `${URL}?itemId=${item['RM-WR-35K-6.5']}`);
    expect(byItem.body.total).toBe(1);
    expect(byItem.body.items[0]).toMatchObject({ lineCount: 2, totalAmount: '36800.00', warehouse: { code: 'WH01' } });
    expect((await admin('get', `${URL}?q=样品`)).body.total).toBe(1);
    expect((await admin('get', `${URL}/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe('错误输入：4xx 指明字段，什么都不写', () => {
  const line = (over: Record<string, unknown> = {}) => ({ itemId: item['FG-BLT-M8X30'], quantity: '10', unitCost: '0.03', ...over });
  const cases: [string, () => Record<string, unknown>, number, string][] = [
    ['数量为 0', () => ({ lines: [line({ quantity: '0' })] }), 400, 'body.lines.0.quantity'],
    ['数量小数位过多', () => ({ lines: [line({ quantity: '1.23456' })] }), 400, 'body.lines.0.quantity'],
    ['「个」不能有小数', () => ({ lines: [line({ quantity: '10.5' })] }), 400, 'body.lines.0.quantity'],
    ['数量不是数字', () => ({ lines: [line({ quantity: 'abc' })] }), 400, 'body.lines.0.quantity'],
    ['单价为负', () => ({ lines: [line({ unitCost: '-1' })] }), 400, 'body.lines.0.unitCost'],
    ['单价小数位过多', () => ({ lines: [line({ unitCost: '0.1234567' })] }), 400, 'body.lines.0.unitCost'],
    ['未知物料', () => ({ lines: [line({ itemId: crypto.randomUUID() })] }), 400, 'body.lines.0.itemId'],
    ['物料没有该单位', () => ({ lines: [line({ unitId: crypto.randomUUID() })] }), 400, 'body.lines.0.unitId'],
    ['未知仓库', () => ({ warehouseId: crypto.randomUUID() }), 400, 'body.warehouseId'],
    ['缺少原因', () => ({ reason: '' }), 400, 'body.reason'],
    ['没有明细', () => ({ lines: [] }), 400, 'body.lines'],
    ['批次物料缺批次', () => ({ lines: [line({ itemId: item['RM-WR-35K-6.5'] })] }), 400, 'body.lines.0.batchNo'],
    ['非批次物料填批次', () => ({ lines: [line({ batchNo: 'X1' })] }), 400, 'body.lines.0.batchNo'],
    ['期初不能为负', () => ({ opening: true, lines: [line({ quantity: '-1', unitCost: undefined })] }), 400, 'body.lines.0.quantity'],
    ['出库不能指定单价', () => ({ lines: [line({ quantity: '-1' })] }), 400, 'body.lines.0.unitCost'],
    ['质检状态无效', () => ({ lines: [line({ qualityStatus: 'ok' })] }), 400, 'body.lines.0.qualityStatus'],
    ['出库超过结存', () => ({ lines: [line({ quantity: '-999999', unitCost: undefined })] }), 409, 'body.lines.0.quantity'],
    ['第二行出库超过结存，第一行也不写', () => ({ lines: [line(), line({ quantity: '-999999', unitCost: undefined })] }), 409, 'body.lines.1.quantity'],
  ];
  it.each(cases)('%s', async (_name, body, status, field) => {
    const before = await moveCount();
    const res = await admin('post', URL).send({ warehouseId: wh.WH02, reason: '调整', lines: [line()], ...body() });
    expect(res.status).toBe(status);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await moveCount()).toBe(before);
  });

  it('出库超过结存的提示写明物料和行号', async () => {
    const res = await admin('post', URL).send({ warehouseId: wh.WH02, reason: '报损', lines: [{ itemId: item['FG-BLT-M8X30'], quantity: '-999999' }] });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^第 1 行：库存不足：M8螺栓/);
  });

  it('另一家公司的仓库按不存在处理', async () => {
    const other = await createSecondCompany(t);
    const otherWh = await t.database.system.warehouse.create({ data: { companyId: other.companyId, code: 'OWH', name: '别家仓' } });
    const res = await admin('post', URL).send({ warehouseId: otherWh.id, reason: '调整', lines: [{ itemId: item['FG-BLT-M8X30'], quantity: '1', unitCost: '1' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.warehouseId');
  });
});

describe('权限', () => {
  it('销售员能看库存，不能调整；仓管员能调整', async () => {
    const li = await as(t, 'li.xs');
    expect((await li('get', '/api/v1/stock/levels')).status).toBe(200);
    expect((await li('get', URL)).status).toBe(200);
    const before = await moveCount();
    const denied = await li('post', URL).send({ warehouseId: wh.WH02, reason: '调整', lines: [{ itemId: item['FG-BLT-M8X30'], quantity: '1', unitCost: '1' }] });
    expect(denied.status).toBe(403);
    expect(await moveCount()).toBe(before);
    const zhao = await as(t, 'zhao.ck');
    const ok = await zhao('post', URL).send({ warehouseId: wh.WH02, reason: '调整', lines: [{ itemId: item['FG-BLT-M8X30'], quantity: '1', unitCost: '0.032' }] });
    expect(ok.status).toBe(201);
    expect(ok.body.createdBy.name).toBe('赵仓管');
  });
});
