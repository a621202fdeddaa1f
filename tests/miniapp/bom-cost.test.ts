// @vitest-environment happy-dom
// 模拟报价 on the BOM page: nothing is asked until the planner picks a basis; then one cost-rollup
// request for the page's quantity and version date, the total and unit cost as the server sends
// them, and each leaf's price source (a fallback to standard cost marked).
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import BomDetailPage from '../../miniapp/src/pages/BomDetailPage.vue';
import type { Bom, BomCostNode, BomCostRollup } from '../../shared/schemas/manufacturing';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const pcs = { id: 'u-pcs', code: 'PCS', name: '个' };
const kg = { id: 'u-kg', code: 'KG', name: '千克' };
const item = (id: string, code: string, name: string, unit = pcs, sourcing = 'make') => ({ id, code, name, spec: null, baseUnit: unit, sourcing, sourcingLabel: sourcing === 'make' ? '自制' : '外购' });
const fg = item('i-fg', 'FG-BLT-M8X30', 'M8螺栓');
const rod = item('i-rod', 'RM-WR-35K-6.5', '盘条', kg, 'buy');
const ctn = item('i-ctn', 'PK-CTN-S', '纸箱', pcs, 'buy');
const bom: Bom = {
  id: 'bom-fg', code: 'BOM-FG', parent: fg, remark: null, currentVersionNo: 1, createdAt: '2026-11-20T10:00:00.000+08:00', updatedAt: '2026-11-20T10:00:00.000+08:00', version: 1,
  versions: [{
    id: 'v1', versionNo: 1, validFrom: '2026-01-01', validTo: null, batchQuantity: '1000.0000', remark: null, updatedAt: '2026-11-20T10:00:00.000+08:00', version: 1,
    lines: [{
      id: 'l1', lineNo: 1, component: rod, unit: kg, quantity: '13.000000', factor: '1.000000', baseQuantity: '13.000000', scrapRate: null, effectiveScrapRate: '0.0150',
      issueMethod: 'kit', issueMethodLabel: '配套领料', operation: null, phantom: false, remark: null,
    }],
  }],
};
const leaf = (i: BomCostNode['item'], quantity: string, unitPrice: string, source: BomCostNode['source'], sourceLabel: string, amount: string): BomCostNode =>
  ({ item: i, level: 1, quantity, unitPrice, source, sourceLabel, amount, phantom: false, children: [] });
const rollup: BomCostRollup = {
  date: '2026-12-07', basis: 'latestPurchase', basisLabel: '最新采购价', quantity: '1000', total: '74.23', unitCost: '0.074228', fallbacks: 1,
  root: {
    ...leaf(fg, '1000.000000', '0.074228', null, '子件汇总', '74.228325'), level: 0,
    children: [
      leaf(rod, '13.671356', '5.330000', 'standardFallback', '标准成本（无最新采购价）', '72.868325'),
      leaf(ctn, '1.000000', '1.360000', 'latestPurchase', '最新采购价', '1.360000'),
    ],
  },
};

describe('miniapp 模拟报价', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs({ ...demoUser, id: 'u-sun', name: '孙计划', roles: ['计划员'], permissions: ['bom:read'] });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('picks a basis, asks once for the page quantity and date, shows total, unit cost and each source', async () => {
    const fetchMock = stubFetch((url) => {
      if (url.pathname === '/api/v1/boms/bom-fg') return jsonResponse(200, bom);
      if (url.pathname === '/api/v1/boms/i-fg/cost-rollup') return jsonResponse(200, rollup);
      return jsonResponse(200, { date: '2026-12-07', quantity: '1000', root: { item: fg, level: 0, quantity: '1000', versionNo: 1, bomId: 'bom-fg', lineId: null, quantityPer: null, unit: null, batchQuantity: null, scrapRate: null, issueMethod: null, operation: null, phantom: false, children: [] }, totals: [] });
    });
    const app = await createTestApp('/boms/bom-fg');
    const wrapper = mount(BomDetailPage, { props: { id: 'bom-fg' }, global: app.global });
    await flushPromises();
    const costCalls = () => fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://x')).filter((u) => u.pathname.endsWith('/cost-rollup'));
    expect(costCalls()).toHaveLength(0);

    await wrapper.find('[data-basis="latestPurchase"]').trigger('click');
    await flushPromises();
    expect(costCalls()).toHaveLength(1);
    expect(Object.fromEntries(costCalls()[0]!.searchParams)).toMatchObject({ basis: 'latestPurchase', quantity: '1000' });
    const total = wrapper.find('[data-test="bom-cost-total"]').text();
    expect(total).toContain('¥74.23');
    expect(total).toContain('¥0.074228 / 个');
    expect(total).toContain('1 行');
    const lines = wrapper.find('[data-test="bom-cost-lines"]');
    expect(lines.text()).toContain('标准成本（无最新采购价）');
    expect(lines.findAll('.is-fallback')).toHaveLength(1);
    expect(lines.text()).toContain('¥1.36');
  });
});
