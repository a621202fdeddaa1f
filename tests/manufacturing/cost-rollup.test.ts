// BOM 成本卷积 (模拟报价) through the HTTP API on the demo data: the demo bolt's 4-level BOM (wire rod
// in 吨 per 1000 blanks, the items' scrap at each level, the shared carton) rolled up by hand on the
// standard and latest-purchase bases, the fallback said per line, bad input and permission denial.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BomCostNode } from '../../shared/schemas/manufacturing.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let sun: AuthedClient; // 计划员: bom:read
let bolt: string;

const leaves = (n: BomCostNode): BomCostNode[] => (n.children.length ? n.children.flatMap(leaves) : [n]);

beforeAll(async () => {
  t = await createTestApp();
  sun = await as(t, 'sun.jh');
  bolt = (await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
});
afterAll(async () => t?.close());

describe('GET /boms/:itemId/cost-rollup', () => {
  it('标准成本：1,000 个螺栓 = 盘条 13/(0.995×0.985³) 千克 × ¥5.33 + 纸箱 1 个 × ¥1.20 = ¥74.07', async () => {
    const res = await sun('get', `/api/v1/boms/${bolt}/cost-rollup?basis=standard&quantity=1000&date=2026-12-01`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // wire rod: 1000 / 0.995 (镀锌件 scrap) / 0.985 (调质件) / 0.985 (冷镦坯) × 0.013 T = 13 kg per 1000 / 0.985 (its own scrap)
    // = 13.671355611… kg × 5.33 = 72.868325…; carton 1000 × 0.001 (line scrap 0) = 1 × 1.20 → 74.068325… → ¥74.07
    expect(res.body).toMatchObject({ basis: 'standard', basisLabel: '标准成本', quantity: '1000', total: '74.07', unitCost: '0.074068', fallbacks: 0 });
    const [rod, carton] = leaves(res.body.root);
    expect(rod).toMatchObject({ item: { code: 'RM-WR-35K-6.5' }, level: 4, quantity: '13.671356', unitPrice: '5.330000', source: 'standard', amount: '72.868325' });
    expect(carton).toMatchObject({ item: { code: 'PK-CTN-S' }, level: 1, quantity: '1.000000', unitPrice: '1.200000', amount: '1.200000' });
    expect(res.body.root.children[0]).toMatchObject({ item: { code: 'SF-ZN-M8X30' }, source: null, sourceLabel: '子件汇总', amount: '72.868325' });
  });

  it('最新采购价：纸箱取已审核采购订单 ¥1.36，盘条只有草稿订单、没有价格，按标准成本并注明 → ¥74.23', async () => {
    const sys = t.database.system;
    const wang = await as(t, 'wang.cg');
    const supplierId = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0008' } })).id;
    const cartonId = (await sys.item.findFirstOrThrow({ where: { code: 'PK-CTN-S' } })).id;
    const rodId = (await sys.item.findFirstOrThrow({ where: { code: 'RM-WR-35K-6.5' } })).id;
    const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId, lines: [{ itemId: cartonId, quantity: '3000', unitPrice: '1.36' }] });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`).expect(200);
    await wang('post', '/api/v1/purchase-orders').send({ supplierId, lines: [{ itemId: rodId, quantity: '1000', unitPrice: '6.02' }] }).expect(201);
    const res = await sun('get', `/api/v1/boms/${bolt}/cost-rollup?basis=latestPurchase&quantity=1000`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ total: '74.23', fallbacks: 1 });
    const [rod, carton] = leaves(res.body.root);
    expect(rod).toMatchObject({ source: 'standardFallback', sourceLabel: '标准成本（无最新采购价）', unitPrice: '5.330000' });
    expect(carton).toMatchObject({ source: 'latestPurchase', unitPrice: '1.360000' });
  });

  it('移动平均：盘条库存 ¥5.60/千克，纸箱没有库存（按标准成本）→ 13.671356 × 5.6 + 1.2 = ¥77.76', async () => {
    await addOpeningStock(t, [{ item: 'RM-WR-35K-6.5', warehouse: 'WH01', quantity: '1000', unitCost: '5.6' }]);
    const res = await sun('get', `/api/v1/boms/${bolt}/cost-rollup?basis=movingAverage&quantity=1000`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ total: '77.76', unitCost: '0.077760', fallbacks: 1 });
    const [rod, carton] = leaves(res.body.root);
    expect(rod).toMatchObject({ source: 'movingAverage', sourceLabel: '移动平均成本', unitPrice: '5.600000' });
    expect(carton).toMatchObject({ source: 'standardFallback', sourceLabel: '标准成本（无移动平均成本）' });
  });

  it('口径不对、数量为 0 → 400；没有 BOM 的物料 → 400；无 bom:read → 403', async () => {
    const bad = await sun('get', `/api/v1/boms/${bolt}/cost-rollup?basis=fifo`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('口径');
    expect((await sun('get', `/api/v1/boms/${bolt}/cost-rollup?quantity=0`)).status).toBe(400);
    const rod = await t.database.system.item.findFirstOrThrow({ where: { code: 'RM-WR-35K-6.5' } });
    const noBom = await sun('get', `/api/v1/boms/${rod.id}/cost-rollup`);
    expect(noBom.status).toBe(400);
    expect(noBom.body.error.message).toContain('没有有效的 BOM 版本');
    const li = await as(t, 'li.xs');
    expect((await li('get', `/api/v1/boms/${bolt}/cost-rollup`)).status).toBe(403);
  });
});
