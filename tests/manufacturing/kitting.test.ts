// 齐套分析 through the HTTP API on PostgreSQL: a 3-level BOM (成品 → 半成品 → 虚拟坯料 → 盘条 in 吨
// per 千个, with scrap) against partial stock, stock reserved by a sales order (not free) and open
// purchase orders with promised dates → the exact kit-able quantity, the limiting component and the
// day its shortage is covered; the sales order variant and its data scope; production tasks sharing
// stock in start order; bad input; permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, uniqueCode, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

let t: TestApp;
let sun: AuthedClient; // 计划员
let li: AuthedClient; // 李销售 (own data scope)
const unit: Record<string, string> = {};
const item: Record<string, string> = {};
const code: Record<string, string> = {};
let orderId: string;
let orderNo: string;

async function newItem(key: string, fields: Record<string, unknown>) {
  code[key] = uniqueCode(`KT-${key}`);
  const res = await sun('post', '/api/v1/items').send({ code: code[key], name: `齐套 ${key}`, kind: 'semiFinished', sourcing: 'make', baseUnitId: unit.PCS, scrapRate: '0', ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  item[key] = res.body.id;
}

async function createBom(parent: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const res = await sun('post', '/api/v1/boms').send({ parentItemId: item[parent], validFrom: '2026-01-01', lines, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function confirmedPo(wang: AuthedClient, supplierId: string, lines: Record<string, unknown>[]) {
  const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId, lines });
  expect(po.status, JSON.stringify(po.body)).toBe(201);
  const ok = await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`);
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  return po.body.number as string;
}

let poRod1: string;
let poRod2: string;
let poNut: string;

beforeAll(async () => {
  t = await createTestApp();
  [sun, li] = await Promise.all([as(t, 'sun.jh'), as(t, 'li.xs')]);
  for (const u of (await sun('get', '/api/v1/units?pageSize=200')).body.items) unit[u.code] = u.id;
  await newItem('FG', { kind: 'finished', salePrice: '0.05' });
  await newItem('SUB', {});
  await newItem('BLK', {});
  await newItem('ROD', { kind: 'raw', sourcing: 'buy', baseUnitId: unit.KG, purchaseUnitId: unit.T, conversions: [{ unitId: unit.T, factor: '1000' }], scrapRate: '0.04' });
  await newItem('NUT', { kind: 'raw', sourcing: 'buy', salePrice: '0.01' });
  await newItem('CTN', { kind: 'raw', sourcing: 'buy' });
  // FG ← SUB × 1 + CTN 0.001; SUB ← BLK × 1 (phantom, passed through) + NUT × 2; BLK ← ROD 0.0052 吨 per 1000
  await createBom('FG', [{ componentItemId: item.SUB, quantity: '1' }, { componentItemId: item.CTN, quantity: '0.001' }]);
  await createBom('SUB', [{ componentItemId: item.BLK, quantity: '1', phantom: true }, { componentItemId: item.NUT, quantity: '2' }]);
  await createBom('BLK', [{ componentItemId: item.ROD, quantity: '0.0052', unitId: unit.T }], { batchQuantity: '1000' });

  await putStock(t, { itemCode: code.CTN!, warehouseCode: 'WH01', quantity: '10', unitCost: '1' });
  await putStock(t, { itemCode: code.ROD!, warehouseCode: 'WH01', quantity: '2', unitCost: '5' });
  await putStock(t, { itemCode: code.ROD!, warehouseCode: 'WH02', quantity: '1', unitCost: '5' });
  await putStock(t, { itemCode: code.ROD!, warehouseCode: 'WH01', quantity: '50', unitCost: '5', qualityStatus: 'pending' }); // 待检: not free
  await putStock(t, { itemCode: code.NUT!, warehouseCode: 'WH02', quantity: '1500', unitCost: '0.01' });

  // 李销售's order: 1000 FG (no stock: all to make) and 300 NUT, confirmed → reserves 300 NUT
  const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  const so = await li('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: item.FG, quantity: '1000' }, { itemId: item.NUT, quantity: '300' }] });
  expect(so.status, JSON.stringify(so.body)).toBe(201);
  orderId = so.body.id;
  orderNo = so.body.number;
  const confirmed = await li('post', `/api/v1/sales-orders/${orderId}/confirm`).send({});
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);

  const wang = await as(t, 'wang.cg');
  const supplierId = (await t.database.system.supplier.findFirstOrThrow({ where: { active: true } })).id;
  poRod1 = await confirmedPo(wang, supplierId, [{ itemId: item.ROD, unitId: unit.KG, quantity: '2', unitPrice: '5', promisedDate: '2026-12-20' }]);
  poRod2 = await confirmedPo(wang, supplierId, [{ itemId: item.ROD, unitId: unit.KG, quantity: '1', unitPrice: '5', promisedDate: '2026-12-28' }]);
  poNut = await confirmedPo(wang, supplierId, [{ itemId: item.NUT, quantity: '1000', unitPrice: '0.01', promisedDate: '2026-12-15' }]);
}, 60_000);
afterAll(async () => t?.close());

// Q = 1000 FG on 2026-12-07:
//   CTN  1000 × 0.001 = 1;                     free 10            → allows 1000
//   ROD  1000 × 5.2 / 1000 / (1 − 0.04) = 5.41666… → 5.417 kg; free 2 + 1 = 3 (the 50 待检 not counted)
//        → 3 × 1000 / 5.417 = 553.8… → 553; short 2.417: 2 on 12-20 (< 2.417), +1 on 12-28 → 12-28
//   NUT  1000 × 2 = 2000; free 1500 − 300 reserved = 1200 → 600; short 800: 1000 on 12-15 → 12-15
//   kit-able 553, limited by ROD; every shortage covered on 12-28
const expectedKitting = () => ({
  date: '2026-12-07', item: { code: code.FG }, versionNo: 1, quantity: '1000', kitable: '553', complete: false, readyDate: '2026-12-28',
  limiting: [{ code: code.ROD }],
  components: [
    {
      item: { code: code.ROD }, need: '5.417', free: '3.000', short: '2.417', kitable: '553', limiting: true,
      arrival: {
        status: 'arrives', statusLabel: '在途可补齐', date: '2026-12-28', label: '2026-12-28 到货',
        supply: [{ number: poRod1, promisedDate: '2026-12-20', quantity: '2.000' }, { number: poRod2, promisedDate: '2026-12-28', quantity: '1.000' }],
      },
    },
    {
      item: { code: code.NUT }, need: '2000', free: '1200', short: '800', kitable: '600', limiting: false,
      arrival: { status: 'arrives', date: '2026-12-15', label: '2026-12-15 到货', supply: [{ number: poNut, promisedDate: '2026-12-15', quantity: '1000' }] },
    },
    { item: { code: code.CTN }, need: '1', free: '10', short: '0', kitable: '1000', limiting: false, arrival: { status: 'covered', label: '库存足够', supply: [] } },
  ],
});

describe('齐套分析：物料 + 数量', () => {
  it('3 层 BOM（虚拟件穿透、吨换千克、损耗）对照可用库存与在途：可齐套 553，瓶颈盘条，12-28 补齐', async () => {
    const res = await sun('get', `/api/v1/kitting?itemId=${item.FG}&quantity=1000&date=2026-12-07`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject(expectedKitting());
    expect(res.body.components).toHaveLength(3); // only leaves: no SUB, no phantom BLK
  });

  it('预留的库存不算可用：螺母在库 1500、订单预留 300，可用 1200', async () => {
    const res = await sun('get', `/api/v1/kitting?itemId=${item.SUB}&quantity=700`);
    expect(res.status).toBe(200);
    // SUB 700 → NUT 1400 vs free 1200 → 1200 × 700 / 1400 = 600; ROD 700 × 5.2 / 1000 / 0.96 = 3.79166… → 3.792 vs 3 → 553.79… → 553
    expect(res.body).toMatchObject({ kitable: '553', limiting: [{ code: code.ROD }] });
    expect(res.body.components.find((c: { item: { code: string } }) => c.item.code === code.NUT)).toMatchObject({ need: '1400', free: '1200', short: '200' });
  });

  it.each([
    ['数量为 0', () => `itemId=${item.FG}&quantity=0`, '数量必须大于 0'],
    ['数量为负', () => `itemId=${item.FG}&quantity=-5`, '数量'],
    ['数量超出单位精度', () => `itemId=${item.FG}&quantity=1.5`, '数量最多 0 位小数（'],
    ['没有数量', () => `itemId=${item.FG}`, '数量'],
    ['物料不存在', () => `itemId=00000000-0000-4000-8000-000000000000&quantity=1`, '物料不存在'],
    ['物料没有 BOM', () => `itemId=${item.NUT}&quantity=1`, '没有有效的 BOM 版本'],
    ['日期早于 BOM 生效', () => `itemId=${item.FG}&quantity=1&date=2025-12-31`, '在 2025-12-31 没有有效的 BOM 版本'],
  ])('%s → 400，说清楚原因', async (_name, query, message) => {
    const res = await sun('get', `/api/v1/kitting?${query()}`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.message).toContain(message);
  });

  it('没有齐套分析权限（质检员）→ 403 说出缺的操作', async () => {
    const zhou = await as(t, 'zhou.zj');
    const res = await zhou('get', `/api/v1/kitting?itemId=${item.FG}&quantity=1`);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('没有查看齐套分析的权限');
  });
});

describe('齐套分析：销售订单', () => {
  it('自制行按待生产数量分析（与上面同一结果），外购行说明原因；李销售看自己的订单', async () => {
    const res = await li('get', `/api/v1/kitting/sales-orders/${orderId}?date=2026-12-07`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      order: { id: orderId, number: orderNo, state: 'confirmed' },
      lines: [
        { lineNo: 1, item: { code: code.FG }, openQuantity: '1000', kitting: expectedKitting(), note: null },
        // 300 ordered, 300 reserved → nothing to make
        { lineNo: 2, item: { code: code.NUT }, openQuantity: '0', kitting: null, note: '已发货或已预留，没有待生产的数量' },
      ],
    });
  });

  it('别的销售员问李销售的订单 → 404（数据范围外与不存在同样回答）；不存在的订单 → 404', async () => {
    const wu = await as(t, 'wu.xs');
    const other = await wu('get', `/api/v1/kitting/sales-orders/${orderId}`);
    expect(other.status).toBe(404);
    const missing = await li('get', '/api/v1/kitting/sales-orders/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(other.body.error.message);
  });

  it('有齐套权限但不能看销售订单（采购员）→ 403', async () => {
    const wang = await as(t, 'wang.cg');
    const res = await wang('get', `/api/v1/kitting/sales-orders/${orderId}`);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('没有查看销售订单的权限');
  });
});

describe('齐套分析：半成品自身的库存先用', () => {
  it('半成品 SUB 可用 400：只有余下 600 展开到末级 → 可齐套 953（瓶颈盘条），盘条缺口 0.25 在 12-20 补齐', async () => {
    await putStock(t, { itemCode: code.SUB!, warehouseCode: 'WH01', quantity: '400', unitCost: '0.02' });
    // Q = 1000 FG: SUB 400 from stock, 600 to make → NUT 1200 (free 1200), ROD 600 × 5.2 / 1000 / 0.96 = 3.25 kg (free 3)
    // k FG: ROD for k − 400 → (k − 400) × 5.2 / 960 rounded up to 0.001 ≤ 3 → k − 400 ≤ 553 (553 → 2.996, 554 → 3.001): 953
    //       NUT 2 × (k − 400) ≤ 1200 → 1000;  CTN k × 0.001 ≤ 10 → 1000
    const res = await sun('get', `/api/v1/kitting?itemId=${item.FG}&quantity=1000&date=2026-12-07`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      kitable: '953', complete: false, limiting: [{ code: code.ROD }], readyDate: '2026-12-20',
      fromStock: [{ item: { code: code.SUB }, quantity: '400' }],
    });
    const byCode = Object.fromEntries(res.body.components.map((c: { item: { code: string } }) => [c.item.code, c]));
    expect(byCode[code.ROD!]).toMatchObject({ need: '3.250', free: '3.000', short: '0.250', kitable: '953', arrival: { date: '2026-12-20', supply: [{ number: poRod1 }] } });
    expect(byCode[code.NUT!]).toMatchObject({ need: '1200', free: '1200', short: '0', kitable: '1000' });
    expect(byCode[code.CTN!]).toMatchObject({ need: '1', short: '0', kitable: '1000' });

    // the sales order's line sees the same, and the chat card says which stock it counted on
    const order = await li('get', `/api/v1/kitting/sales-orders/${orderId}?date=2026-12-07`);
    expect(order.body.lines[0].kitting).toMatchObject({ kitable: '953', fromStock: [{ item: { code: code.SUB }, quantity: '400' }] });
  });
});

describe('齐套分析：生产任务单', () => {
  // TP ← TA × 2 + TB × 1 (配套) + TC × 1 (倒冲: issued at receipt, not part of the kit)
  // TA: 30 free = one and a half tasks of 10; TB: 100; TC: none. POs of TA: 8 on 12-20, 5 on 12-25.
  const task: Record<string, { id: string; number: string }> = {};
  let poA1: string;
  let poA2: string;
  const newTask = async (plannedStart: string) => {
    const wh = Object.fromEntries((await sun('get', '/api/v1/warehouses?pageSize=200')).body.items.map((w: { code: string; id: string }) => [w.code, w.id]));
    const res = await sun('post', '/api/v1/production-tasks').send({
      itemId: item.TP, quantity: '10', materialWarehouseId: wh.WH01, warehouseId: wh.WH02, plannedStart, plannedFinish: '2026-12-31',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; number: string };
  };
  const query = (...ids: string[]) => `/api/v1/kitting/production-tasks?productionTaskIds=${ids.join(',')}`;

  beforeAll(async () => {
    await newItem('TP', { kind: 'finished' });
    for (const k of ['TA', 'TB', 'TC']) await newItem(k, { kind: 'raw', sourcing: 'buy' });
    await createBom('TP', [
      { componentItemId: item.TA, quantity: '2' }, { componentItemId: item.TB, quantity: '1' }, { componentItemId: item.TC, quantity: '1', issueMethod: 'backflush' },
    ]);
    await putStock(t, { itemCode: code.TA!, warehouseCode: 'WH01', quantity: '30', unitCost: '1' });
    await putStock(t, { itemCode: code.TB!, warehouseCode: 'WH01', quantity: '100', unitCost: '1' });
    // created first (the lower number) but starting later: it comes second
    task.late = await newTask('2026-12-11');
    task.early = await newTask('2026-12-10');
    expect((await sun('post', `/api/v1/production-tasks/${task.late.id}/release`)).status).toBe(200);
    const wang = await as(t, 'wang.cg');
    const supplierId = (await t.database.system.supplier.findFirstOrThrow({ where: { active: true } })).id;
    poA1 = await confirmedPo(wang, supplierId, [{ itemId: item.TA, quantity: '8', unitPrice: '1', promisedDate: '2026-12-20' }]);
    poA2 = await confirmedPo(wang, supplierId, [{ itemId: item.TA, quantity: '5', unitPrice: '1', promisedDate: '2026-12-25' }]);
  }, 30_000);

  it('两张任务争一种物料：先开工的全部可齐套，后开工的只剩一半，瓶颈与到货日期按手算', async () => {
    // early (12-10): TA 20 of 30, TB 10 of 100 → 10, complete
    // late (12-11): TA 20 against the 10 left → 5 (limiting), short 10: 8 on 12-20 + 5 on 12-25 → 12-25; TB 10 of 90 → 10
    const res = await as(t, 'zhao.ck').then((zhao) => zhao('get', query(task.late!.id, task.early!.id)));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.tasks.map((x: { task: { number: string } }) => x.task.number)).toEqual([task.early!.number, task.late!.number]);
    expect(res.body.tasks[0]).toMatchObject({
      task: { id: task.early!.id, state: 'planned', plannedStart: '2026-12-10' }, openQuantity: '10', note: null,
      kitting: {
        date: '2026-12-10', item: { code: code.TP }, versionNo: 1, quantity: '10', kitable: '10', complete: true, limiting: [], readyDate: null,
        components: [
          { item: { code: code.TA }, need: '20', free: '30', short: '0', kitable: '10', limiting: false, arrival: { status: 'covered' } },
          { item: { code: code.TB }, need: '10', free: '100', short: '0', kitable: '10', limiting: false },
        ],
      },
    });
    expect(res.body.tasks[1]).toMatchObject({
      task: { id: task.late!.id, state: 'released' }, openQuantity: '10',
      kitting: {
        quantity: '10', kitable: '5', complete: false, limiting: [{ code: code.TA }], readyDate: '2026-12-25',
        components: [
          {
            item: { code: code.TA }, need: '20', free: '10', short: '10', kitable: '5', limiting: true,
            arrival: {
              status: 'arrives', date: '2026-12-25', label: '2026-12-25 到货',
              supply: [{ number: poA1, promisedDate: '2026-12-20', quantity: '8' }, { number: poA2, promisedDate: '2026-12-25', quantity: '5' }],
            },
          },
          { item: { code: code.TB }, need: '10', free: '90', short: '0', kitable: '10', limiting: false },
        ],
      },
    });
    expect(res.body.tasks[1].kitting.components).toHaveLength(2); // the backflushed TC is not in the kit
    // asked alone, the later task has the whole stock
    const alone = await sun('get', query(task.late!.id));
    expect(alone.body.tasks[0].kitting).toMatchObject({ kitable: '10', complete: true });
  });

  it('输入有误 → 400 中文说明；没有齐套或生产任务单查看权限 → 403', async () => {
    const cancelled = await newTask('2026-12-12');
    expect((await sun('post', `/api/v1/production-tasks/${cancelled.id}/cancel`)).status).toBe(200);
    const cases: [string, string][] = [
      [query(task.early!.id, '00000000-0000-4000-8000-000000000000'), '生产任务单 第 2 项：不存在'],
      ['/api/v1/kitting/production-tasks?productionTaskIds=', '至少选择一张生产任务单'],
      ['/api/v1/kitting/production-tasks', '生产任务单为必填项'],
      [query('abc'), '生产任务单 第 1 项：必须是有效的 ID（UUID）'],
      [query(cancelled.id), `生产任务单 第 1 项：${cancelled.number} 当前为「已取消」，只有计划、已下达和生产中的任务做齐套分析`],
    ];
    for (const [url, message] of cases) {
      const res = await sun('get', url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.message, url).toBe(message);
    }
    const zhou = await as(t, 'zhou.zj');
    expect((await zhou('get', query(task.early!.id))).body.error.message).toBe('没有查看齐套分析的权限');
    const denied = await li('get', query(task.early!.id)); // 销售员: 齐套 yes, production tasks no
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('没有查看生产任务单的权限');
  });
});
