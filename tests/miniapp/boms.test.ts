// @vitest-environment happy-dom
// 物料清单 pages at phone width: the list (cards, search; one request a page), the BOM's tree (the
// server's figures on nested cards, 用量 from the explosion node, one explode request, expand /
// collapse, a sub-assembly's own BOM), where-used by level, and the 工作台 tile only for users who
// may read BOMs.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import HomePage from '../../miniapp/src/pages/HomePage.vue';
import StockDetailPage from '../../miniapp/src/pages/StockDetailPage.vue';
import BomDetailPage from '../../miniapp/src/pages/BomDetailPage.vue';
import BomListPage from '../../miniapp/src/pages/BomListPage.vue';
import BomWhereUsedPage from '../../miniapp/src/pages/BomWhereUsedPage.vue';
import { workbenchEntries } from '../../miniapp/src/utils/menu';
import type { Bom, BomExplosion, BomExplosionNode, BomSummary, BomVersion, BomWhereUsed } from '../../shared/schemas/manufacturing';
import type { StockPosition } from '../../shared/schemas/stock';
import { callUrl, createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone, type FetchMock } from './helpers';

afterAll(vantTimersDone);

const pcs = { id: 'u-pcs', code: 'PCS', name: '个' };
const kg = { id: 'u-kg', code: 'KG', name: '千克' };
const ton = { id: 'u-t', code: 'T', name: '吨' };
const item = (id: string, code: string, name: string, unit = pcs, sourcing = 'make') => ({
  id, code, name, spec: null, baseUnit: unit, sourcing, sourcingLabel: sourcing === 'make' ? '自制' : '外购',
});
const fg = { ...item('i-fg', 'FG-BLT-M8X30', 'M8螺栓'), spec: 'M8×30 外六角 8.8级 镀锌' };
const zn = item('i-zn', 'SF-ZN-M8X30', '镀锌件');
const blk = item('i-blk', 'SF-BLK-M8X30', '冷镦坯');
const rod = item('i-rod', 'RM-WR-35K-6.5', 'SWRCH35K 盘条', kg, 'buy');
const ctn = item('i-ctn', 'PK-CTN-S', '纸箱', pcs, 'buy');

type Line = BomVersion['lines'][number];
function line(n: number, component: Line['component'], quantity: string, extra: Partial<Line> = {}): Line {
  return {
    id: `l-${component.id}`, lineNo: n, component, unit: component.baseUnit, quantity, factor: '1.000000', baseQuantity: quantity,
    scrapRate: null, effectiveScrapRate: '0.0000', issueMethod: 'kit', issueMethodLabel: '配套领料', operation: null, phantom: false, remark: null,
    ...extra,
  };
}
function version(no: number, validFrom: string, validTo: string | null, lines: Line[], batchQuantity = '1.0000'): BomVersion {
  return { id: `v-${no}-${lines[0]!.id}`, versionNo: no, validFrom, validTo, batchQuantity, remark: null, lines, updatedAt: '2026-11-20T10:00:00.000+08:00', version: 1 };
}
function bom(id: string, parent: Bom['parent'], versions: BomVersion[], currentVersionNo: number | null = 1): Bom {
  return { id, code: `BOM-${parent.code}`, parent, remark: null, currentVersionNo, versions, createdAt: '2026-11-20T10:00:00.000+08:00', updatedAt: '2026-11-20T10:00:00.000+08:00', version: 1 };
}

// FG (V1 now, V2 from 2099 for 1000 at a time) → 镀锌件 → 冷镦坯 (跳层 on the 镀锌件's line) → 盘条 (0.013 吨 per 1000 blanks), and a carton.
const fgBom = bom('bom-fg', fg, [
  version(1, '2026-01-01', '2098-12-31', [
    line(1, zn, '1.000000', { operation: '包装', scrapRate: '0.0050', effectiveScrapRate: '0.0050' }),
    line(2, ctn, '0.001000', { issueMethod: 'backflush', issueMethodLabel: '倒冲', operation: '包装' }),
  ]),
  version(2, '2099-01-01', null, [line(1, zn, '1000.000000')], '1000.0000'),
]);
const znBom = bom('bom-zn', zn, [version(1, '2026-01-01', null, [line(1, blk, '1.000000', { phantom: true, scrapRate: '0.0150', effectiveScrapRate: '0.0150', operation: '镀锌' })])]);
const blkBom = bom('bom-blk', blk, [
  version(1, '2026-01-01', null, [
    line(1, rod, '0.013000', { unit: ton, factor: '1000.000000', baseQuantity: '13.000000', scrapRate: '0.0150', effectiveScrapRate: '0.0150', operation: '冷镦' }),
  ], '1000.0000'),
]);

const node = (i: Bom['parent'], level: number, quantity: string, extra: Partial<BomExplosionNode> = {}): BomExplosionNode => ({
  item: i, level, quantity, versionNo: null, bomId: null, lineId: null, quantityPer: null, unit: null, batchQuantity: null,
  scrapRate: null, issueMethod: null, operation: null, phantom: false, children: [], ...extra,
});
/** the parent's BOM line on a node, as the server sends it */
const per = (l: Line, batchQuantity = '1.0000') => ({ lineId: l.id, quantityPer: l.quantity, unit: l.unit, batchQuantity });
const [fgZn, fgCtn] = fgBom.versions[0]!.lines as [Line, Line];
// 1000 bolts, as the server works it out: 1000 / 0.995 = 1005.03 → 1006 镀锌件; 1006 / 0.985 = 1021.3 → 1022 坯;
// 1022 × 13 千克 / 1000 / 0.985 = 13.4883 → 13.489 千克 (3 decimals, up); 1000 × 0.001 → 1 纸箱.
function explosion(quantity: string): BomExplosion {
  return {
    date: '2026-12-07', quantity,
    root: node(fg, 0, quantity, {
      versionNo: 1, bomId: 'bom-fg',
      children: [
        node(zn, 1, '1006', {
          versionNo: 1, bomId: 'bom-zn', ...per(fgZn), scrapRate: '0.0050', issueMethod: 'kit', operation: '包装',
          children: [
            node(blk, 2, '1022', {
              versionNo: 1, bomId: 'bom-blk', ...per(znBom.versions[0]!.lines[0]!), scrapRate: '0.0150', issueMethod: 'kit', operation: '镀锌', phantom: true,
              children: [node(rod, 3, '13.489', { ...per(blkBom.versions[0]!.lines[0]!, '1000.0000'), scrapRate: '0.0150', issueMethod: 'kit', operation: '冷镦' })],
            }),
          ],
        }),
        node(ctn, 1, '1', { ...per(fgCtn), scrapRate: '0.0000', issueMethod: 'backflush', operation: '包装' }),
      ],
    }),
    totals: [],
  };
}

const summaryOf = (b: Bom): BomSummary => {
  const current = b.versions.find((v) => v.versionNo === b.currentVersionNo);
  return {
    id: b.id, code: b.code, parent: b.parent, remark: b.remark, versionCount: b.versions.length, currentVersionNo: b.currentVersionNo,
    currentValidFrom: current?.validFrom ?? null, currentLineCount: current?.lines.length ?? 0, updatedAt: b.updatedAt, version: b.version,
  };
};
const page = <T>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 20 });

/** The API over the fixtures: the list (q on the parent's code), each BOM, the explosion. */
function bomApi(): FetchMock {
  const all = [fgBom, znBom, blkBom];
  return stubFetch((url) => {
    const path = url.pathname;
    if (path === '/api/v1/boms') {
      const q = url.searchParams.get('q');
      return jsonResponse(200, page(all.filter((b) => !q || b.parent.code.includes(q)).map(summaryOf)));
    }
    if (path === '/api/v1/boms/explode') return jsonResponse(200, explosion(url.searchParams.get('quantity') ?? '1'));
    const found = all.find((b) => path === `/api/v1/boms/${b.id}`);
    return found ? jsonResponse(200, found) : jsonResponse(404, { error: { code: 'NOT_FOUND', message: 'BOM 不存在', details: null } });
  });
}

const planner = { ...demoUser, id: 'u-sun', name: '孙计划', roles: ['计划员'], permissions: ['bom:read', 'stock:read'] };

describe('miniapp 物料清单', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs(planner);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('list: a card per BOM with its current version, first day and lines; search asks with q', async () => {
    const fetchMock = bomApi();
    const app = await createTestApp('/boms');
    const wrapper = mount(BomListPage, { global: app.global });
    await flushPromises();

    expect(Object.fromEntries(callUrl(fetchMock).searchParams)).toEqual({ page: '1', pageSize: '20', sort: 'code' });
    expect(fetchMock).toHaveBeenCalledTimes(1); // the page's figures come with the list: no request per BOM
    const cards = wrapper.findAll('.bom-row');
    expect(cards.map((c) => c.find('.bom-row__code').text())).toEqual(['FG-BLT-M8X30', 'SF-ZN-M8X30', 'SF-BLK-M8X30']);
    expect(cards[0]!.text()).toContain('V1');
    expect(cards[0]!.text()).toContain('M8螺栓');
    expect(cards[0]!.text()).toContain('M8×30 外六角 8.8级 镀锌');
    expect(cards[0]!.text()).toContain('2026-01-01 起 · 2 行 · 共 2 个版本'); // V1's date and lines, not V2's
    expect(cards[2]!.text()).toContain('2026-01-01 起 · 1 行');
    expect(wrapper.text()).toContain('共 3 份 BOM');

    const input = wrapper.find('.van-search input');
    await input.setValue(' SF-ZN ');
    await input.trigger('keypress', { key: 'Enter', keyCode: 13 });
    await flushPromises();
    const asked = fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://x'));
    expect(asked.map((u) => u.pathname)).toEqual(['/api/v1/boms', '/api/v1/boms']);
    expect(asked[1]!.searchParams.get('q')).toBe('SF-ZN');
    expect(wrapper.findAll('.bom-row').map((c) => c.find('.bom-row__code').text())).toEqual(['SF-ZN-M8X30']);

    await input.setValue('不存在');
    await input.trigger('keypress', { key: 'Enter', keyCode: 13 });
    await flushPromises();
    expect(wrapper.findAll('.bom-row')).toHaveLength(0);
    expect(wrapper.text()).toContain('没有找到相符的 BOM');
  });

  it('list: 403 → the permission message', async () => {
    stubFetch(() => jsonResponse(403, { error: { code: 'FORBIDDEN', message: '没有权限执行此操作', details: null } }));
    const app = await createTestApp('/boms');
    const wrapper = mount(BomListPage, { global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('你没有查看物料清单的权限，请联系管理员');
  });

  it('tree: the server figures per level, 用量 from the parent line, 跳层; nodes and levels open and close', async () => {
    const fetchMock = bomApi();
    const app = await createTestApp('/boms/bom-fg');
    const wrapper = mount(BomDetailPage, { props: { id: 'bom-fg' }, global: app.global });
    await flushPromises();

    // today's version (V1) for its batch quantity (1), then the quantity the planner types; the BOM
    // and one explosion are all it asks for (the nodes carry their lines' 用量: no BOM per sub-assembly)
    const paths = () => fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://x').pathname);
    expect(paths()).toEqual(['/api/v1/boms/bom-fg', '/api/v1/boms/explode']);
    const explode = () => fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://x')).filter((u) => u.pathname === '/api/v1/boms/explode');
    expect(explode()).toHaveLength(1);
    expect(explode()[0]!.searchParams.get('itemId')).toBe('i-fg');
    expect(explode()[0]!.searchParams.get('quantity')).toBe('1');
    expect(wrapper.find('[data-test="bom-current"]').text()).toBe('当前 V1');
    expect(wrapper.find('[data-test="bom-versions"]').text()).toContain('2026-01-01 至 2098-12-31');
    expect(wrapper.find('[data-test="bom-versions"]').text()).toContain('2099-01-01 起长期有效');

    const field = wrapper.find('[data-test="bom-quantity"] input');
    await field.setValue('1000');
    await field.trigger('change');
    await flushPromises();
    expect(explode()).toHaveLength(2);
    expect(explode()[1]!.searchParams.get('quantity')).toBe('1000');
    expect(fetchMock).toHaveBeenCalledTimes(3);

    const card = (code: string) => wrapper.find(`.bom-node[data-item="${code}"]`);
    const levels = () => wrapper.findAll('.bom-node').map((n) => `${n.attributes('data-level')}:${n.attributes('data-item')}`);
    expect(levels()).toEqual(['0:FG-BLT-M8X30', '1:SF-ZN-M8X30', '2:SF-BLK-M8X30', '3:RM-WR-35K-6.5', '1:PK-CTN-S']);
    expect(card('FG-BLT-M8X30').text()).toContain('需用1,000 个');
    expect(card('SF-ZN-M8X30').text()).toMatch(/用量1 个\s*需用1,006 个/);
    expect(card('SF-ZN-M8X30').text()).toContain('损耗 0.5%');
    expect(card('SF-ZN-M8X30').text()).toContain('配套领料');
    expect(card('SF-BLK-M8X30').text()).toContain('需用1,022 个');
    expect(card('SF-BLK-M8X30').text()).toContain('跳层');
    expect(card('SF-ZN-M8X30').text()).not.toContain('跳层');
    expect(card('RM-WR-35K-6.5').text()).toMatch(/用量0\.013 吨 \/ 1,000 个\s*需用13\.489 千克/);
    expect(card('RM-WR-35K-6.5').text()).toContain('冷镦');
    expect(card('PK-CTN-S').text()).toMatch(/用量0\.001 个\s*需用1 个/);
    expect(card('PK-CTN-S').text()).toContain('倒冲');

    // close 镀锌件: its blank and wire rod go; open it again
    await card('SF-ZN-M8X30').find('.bom-node__toggle').trigger('click');
    expect(levels()).toEqual(['0:FG-BLT-M8X30', '1:SF-ZN-M8X30', '1:PK-CTN-S']);
    expect(card('SF-ZN-M8X30').find('.bom-node__toggle').attributes('aria-expanded')).toBe('false');
    await card('SF-ZN-M8X30').find('.bom-node__toggle').trigger('click');
    expect(levels()).toHaveLength(5);

    // levels: 展开到第 1 层, 收起, 全部展开
    await wrapper.find('[data-levels="1"]').trigger('click');
    expect(levels()).toEqual(['0:FG-BLT-M8X30', '1:SF-ZN-M8X30', '1:PK-CTN-S']);
    const buttons = wrapper.findAll('[data-test="bom-levels"] button');
    await buttons.find((b) => b.text() === '收起')!.trigger('click');
    expect(levels()).toEqual(['0:FG-BLT-M8X30']);
    await buttons.find((b) => b.text() === '全部展开')!.trigger('click');
    expect(levels()).toHaveLength(5);

    // V2 (from 2099, per 1000): exploded on its first day for its batch quantity
    await wrapper.find('[data-version="2"]').trigger('click');
    await flushPromises();
    expect(Object.fromEntries(explode()[2]!.searchParams)).toEqual({ itemId: 'i-fg', quantity: '1000', date: '2099-01-01' });
    expect(wrapper.find('.doc__facts').text()).toContain('1,000 个');
  });

  it('tree: a node menu leads to where-used; where-used lists the parents level by level', async () => {
    bomApi();
    const app = await createTestApp('/boms/bom-fg');
    const wrapper = mount(BomDetailPage, { props: { id: 'bom-fg' }, global: app.global, attachTo: document.body });
    await flushPromises();
    await wrapper.find('.bom-node[data-item="RM-WR-35K-6.5"] .bom-node__more').trigger('click');
    await flushPromises();
    const actions = [...document.querySelectorAll<HTMLElement>('.van-action-sheet__item')];
    expect(actions.map((a) => a.textContent?.trim())).toEqual(['反查：用在哪些 BOM', '查看库存']);
    actions[0]!.click();
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/boms/where-used?itemId=i-rod'));
    wrapper.unmount();
    document.body.innerHTML = '';

    // a sub-assembly's menu opens its own BOM, known from the explosion node
    const again = await createTestApp('/boms/bom-fg');
    const detail = mount(BomDetailPage, { props: { id: 'bom-fg' }, global: again.global, attachTo: document.body });
    await flushPromises();
    await detail.find('.bom-node[data-item="SF-ZN-M8X30"] .bom-node__more').trigger('click');
    await flushPromises();
    const znActions = [...document.querySelectorAll<HTMLElement>('.van-action-sheet__item')];
    expect(znActions.map((a) => a.textContent?.trim())).toEqual(['反查：用在哪些 BOM', '打开它的 BOM', '查看库存']);
    znActions[1]!.click();
    await vi.waitFor(() => expect(again.router.currentRoute.value.fullPath).toBe('/boms/bom-zn'));
    detail.unmount();

    const used: BomWhereUsed = {
      item: rod,
      usages: [
        { level: 1, parent: blk, component: rod, bomId: 'bom-blk', versionNo: 1, quantity: '0.013000', unit: ton, phantom: false },
        { level: 2, parent: zn, component: blk, bomId: 'bom-zn', versionNo: 1, quantity: '1.000000', unit: pcs, phantom: true },
        { level: 3, parent: fg, component: zn, bomId: 'bom-fg', versionNo: 1, quantity: '1.000000', unit: pcs, phantom: false },
        { level: 3, parent: fg, component: zn, bomId: 'bom-fg', versionNo: 2, quantity: '1000.000000', unit: pcs, phantom: false },
      ],
    };
    const fetchMock = stubFetch(() => jsonResponse(200, used));
    const page2 = mount(BomWhereUsedPage, { props: { itemId: 'i-rod' }, global: app.global });
    await flushPromises();
    expect(Object.fromEntries(callUrl(fetchMock).searchParams)).toEqual({ itemId: 'i-rod' });
    expect(page2.find('[data-test="where-used-summary"]').text()).toBe('被 3 层上级使用，共 4 处');
    const groups = page2.findAll('.where-used__level');
    expect(groups.map((g) => g.find('.section-title').text())).toEqual(['第 1 层 · 直接上级（1）', '第 2 层（1）', '第 3 层（2）']);
    expect(groups[0]!.text()).toContain('SF-BLK-M8X30 冷镦坯');
    expect(groups[0]!.text()).toContain('0.013 吨');
    expect(groups[1]!.text()).toContain('跳层');
    expect(groups[2]!.findAll('[data-test="where-used-row"]').map((r) => r.text().includes('V2'))).toEqual([false, true]);

    // only today's versions: asked again with today's date
    await page2.find('[data-test="where-used-today"]').trigger('click');
    await flushPromises();
    expect(callUrl(fetchMock, 1).searchParams.get('date')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('miniapp 工作台：物料清单入口', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('only a user with bom:read has the tile (no tile that says 暂无权限)', async () => {
    stubFetch(() => jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 1 }));
    loginAs(demoUser); // customer:read only
    let app = await createTestApp('/');
    let wrapper = mount(HomePage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-entry="boms"]').exists()).toBe(false);
    expect(wrapper.find('[data-entry="stock"]').exists()).toBe(false); // no tile is shown without its permission
    expect(wrapper.find('[data-entry="customers"]').exists()).toBe(true);
    wrapper.unmount();

    loginAs(planner);
    app = await createTestApp('/');
    wrapper = mount(HomePage, { global: app.global });
    await flushPromises();
    await wrapper.find('[data-entry="boms"]').trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/boms'));

    expect(workbenchEntries(() => false).some((e) => e.key === 'boms')).toBe(false);
    expect(workbenchEntries((p) => p === 'bom:read').some((e) => e.key === 'boms')).toBe(true);
  });

  it('物料库存 links to where-used for a user with bom:read only', async () => {
    const zero = { onHand: '0.0000', reserved: '0.0000', available: '0.0000', pending: '0.0000', rejected: '0.0000', onOrder: '0.0000' };
    const position: StockPosition = {
      item: { id: 'i-rod', code: rod.code, name: rod.name, spec: null, unit: '千克', batchTracked: false },
      safetyStock: '0.0000', belowSafety: false, averageCost: '0.000000', value: '0.00', total: zero, warehouses: [], batches: [],
    };
    stubFetch(() => jsonResponse(200, position));
    loginAs(planner);
    let app = await createTestApp('/stock/i-rod');
    let wrapper = mount(StockDetailPage, { props: { itemId: 'i-rod' }, global: app.global });
    await flushPromises();
    await wrapper.find('[data-test="stock-where-used"]').trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/boms/where-used?itemId=i-rod'));
    wrapper.unmount();

    loginAs({ ...planner, permissions: ['stock:read'] });
    app = await createTestApp('/stock/i-rod');
    wrapper = mount(StockDetailPage, { props: { itemId: 'i-rod' }, global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('SWRCH35K 盘条');
    expect(wrapper.find('[data-test="stock-where-used"]').exists()).toBe(false);
  });
});
