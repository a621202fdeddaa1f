// 物料清单 (BOM) through the HTTP API on PostgreSQL: create and read, the list's current version (its
// date and line count), a 5-level explosion computed by hand (scrap at each level, a line in 吨 for a
// 千克 item per 1000 parents, the line's 用量 on each node), where-used, cycles refused
// with the path named, bad input answered 4xx with nothing written, overlapping versions refused,
// permissions, another company's isolation, and two concurrent edits of one version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, uniqueCode, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let sun: AuthedClient; // 计划员: bom:read + bom:write, item:create
const unit: Record<string, string> = {};
const item: Record<string, string> = {};
const code: Record<string, string> = {};
const bom: Record<string, string> = {};

async function newItem(key: string, fields: Record<string, unknown>) {
  code[key] = uniqueCode(`BT-${key}`);
  const res = await sun('post', '/api/v1/items').send({ code: code[key], name: `测试 ${key}`, kind: 'semiFinished', sourcing: 'make', baseUnitId: unit.PCS, ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  item[key] = res.body.id;
  return res.body;
}

const line = (key: string, quantity: string, extra: Record<string, unknown> = {}) => ({ componentItemId: item[key], quantity, ...extra });

async function createBom(parent: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const res = await sun('post', '/api/v1/boms').send({ parentItemId: item[parent], validFrom: '2026-01-01', lines, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  bom[parent] = res.body.id;
  return res.body;
}

const counts = async () => {
  const sys = t.database.system;
  return { boms: await sys.bom.count(), versions: await sys.bomVersion.count(), lines: await sys.bomLine.count() };
};

beforeAll(async () => {
  t = await createTestApp();
  sun = await as(t, 'sun.jh');
  for (const u of (await sun('get', '/api/v1/units?pageSize=200')).body.items) unit[u.code] = u.id;
  // 镀锌件 → 成品 (boxed), 热处理件 → 镀锌件, 坯料 → 热处理件, 盘条 → 坯料; a washer shares the rod.
  const fg = await newItem('FG', { kind: 'finished', scrapRate: '0', moq: '5000', orderMultiple: '1000' });
  expect(fg).toMatchObject({ moq: '5000.0000', orderMultiple: '1000.0000' });
  await newItem('ZN', { scrapRate: '0.01' });
  await newItem('HT', { scrapRate: '0.03' });
  await newItem('BLK', { scrapRate: '0' });
  await newItem('ROD', { kind: 'raw', sourcing: 'buy', baseUnitId: unit.KG, purchaseUnitId: unit.T, conversions: [{ unitId: unit.T, factor: '1000' }], scrapRate: '0.015' });
  await newItem('CTN', { kind: 'raw', sourcing: 'buy', scrapRate: '0.05' });
  await newItem('WSH', { kind: 'finished', scrapRate: '0' });
  await createBom('FG', [line('ZN', '1', { operation: '包装' }), line('CTN', '0.001', { scrapRate: '0' })], { code: uniqueCode('BOM') });
  await createBom('ZN', [line('HT', '1', { scrapRate: '0.02', operation: '镀锌' })]);
  await createBom('HT', [line('BLK', '1', { phantom: true, issueMethod: 'backflush' })]);
  // 千件用量: 0.0052 吨 of rod per 1000 blanks = 5.2 千克 per 千个
  await createBom('BLK', [line('ROD', '0.0052', { unitId: unit.T })], { batchQuantity: '1000' });
  await createBom('WSH', [line('ROD', '0.004')]);
});
afterAll(async () => t?.close());

describe('BOM 新建与查看', () => {
  it('详情带版本、明细、物料与单位名称、换算率；列表按母件编码搜索；写入审计', async () => {
    const res = await sun('get', `/api/v1/boms/${bom.BLK}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      parent: { code: code.BLK, baseUnit: { code: 'PCS', name: '个' } },
      currentVersionNo: 1,
      versions: [{
        versionNo: 1, validFrom: '2026-01-01', validTo: null, batchQuantity: '1000.0000', version: 1,
        lines: [{
          lineNo: 1, component: { code: code.ROD, baseUnit: { name: '千克' } }, unit: { code: 'T', name: '吨' }, quantity: '0.005200', factor: '1000.000000',
          baseQuantity: '5.200000', scrapRate: null, effectiveScrapRate: '0.0150', issueMethod: 'kit', issueMethodLabel: '配套领料', phantom: false,
        }],
      }],
    });
    const ht = (await sun('get', `/api/v1/boms/${bom.HT}`)).body;
    expect(ht.versions[0].lines[0]).toMatchObject({ phantom: true, issueMethod: 'backflush', issueMethodLabel: '倒冲' });
    const list = await sun('get', `/api/v1/boms?q=${code.FG}`);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: bom.FG, versionCount: 1, currentVersionNo: 1, parent: { code: code.FG } }] });
    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'bom', entityId: bom.FG } });
    expect(audit.map((a) => a.action)).toEqual(['create']);
  });

  it('列表带今天有效版本的生效日期与行数：V2 未来才生效时仍是 V1 的；没有有效版本时为空与 0', async () => {
    await newItem('KIT', {});
    await newItem('LATE', {});
    // V1 from 2026-01-01 with 2 lines; V2 from 2099 with 1 line (today, whatever day the test runs, is V1's)
    await createBom('KIT', [line('CTN', '2'), line('LATE', '1')], { validTo: '2098-12-31' });
    const v2 = await sun('post', `/api/v1/boms/${bom.KIT}/versions`).send({ validFrom: '2099-01-01', lines: [line('CTN', '3')] });
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
    await createBom('LATE', [line('CTN', '1')], { validFrom: '2099-01-01' });
    const summary = async (key: string) => {
      const res = await sun('get', `/api/v1/boms?q=${code[key]}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
      const { versionCount, currentVersionNo, currentValidFrom, currentLineCount } = res.body.items[0];
      return { versionCount, currentVersionNo, currentValidFrom, currentLineCount };
    };
    expect(await summary('KIT')).toEqual({ versionCount: 2, currentVersionNo: 1, currentValidFrom: '2026-01-01', currentLineCount: 2 });
    expect(await summary('LATE')).toEqual({ versionCount: 1, currentVersionNo: null, currentValidFrom: null, currentLineCount: 0 });
    expect(await summary('BLK')).toEqual({ versionCount: 1, currentVersionNo: 1, currentValidFrom: '2026-01-01', currentLineCount: 1 });
  });
});

describe('多层展开', () => {
  it('1000 个成品 → 每层含损耗、按单位精度向上取整，吨换算成千克（手算）', async () => {
    const res = await sun('get', `/api/v1/boms/explode?itemId=${item.FG}&quantity=1000&date=2026-06-01`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    type N = { item: { code: string }; level: number; quantity: string; phantom: boolean; children: N[] };
    const flat = (n: N): [string, number, string][] => [[n.item.code, n.level, n.quantity], ...n.children.flatMap(flat)];
    // ZN: 1000 / (1 − 0.01) = 1010.10 → 1011;  CTN: 1000 × 0.001 / (1 − 0, line overrides 0.05) = 1
    // HT: 1011 / (1 − 0.02, line overrides 0.03) = 1031.63 → 1032;  BLK: 1032 / (1 − 0) = 1032
    // ROD: 1032 × 0.0052 T × 1000 KG/T / 1000 / (1 − 0.015) = 5.3664 / 0.985 = 5.44812… → 5.449 千克
    expect(flat(res.body.root)).toEqual([
      [code.FG, 0, '1000'], [code.ZN, 1, '1011'], [code.HT, 2, '1032'], [code.BLK, 3, '1032'], [code.ROD, 4, '5.449'], [code.CTN, 1, '1'],
    ]);
    expect(res.body.root.children[0].children[0].children[0]).toMatchObject({ phantom: true, issueMethod: 'backflush' });
    // 用量 as entered on the parent's line: 0.0052 吨 per 1000 blanks; 1 个 per 1 镀锌件; the root has no line
    const lineOf = async (key: string) => (await sun('get', `/api/v1/boms/${bom[key]}`)).body.versions[0].lines[0].id;
    const per = ({ bomId, lineId, quantityPer, unit: u, batchQuantity }: Record<string, unknown>) => ({ bomId, lineId, quantityPer, unit: u, batchQuantity });
    expect(per(res.body.root)).toEqual({ bomId: bom.FG, lineId: null, quantityPer: null, unit: null, batchQuantity: null });
    expect(per(res.body.root.children[0].children[0])).toEqual({
      bomId: bom.HT, lineId: await lineOf('ZN'), quantityPer: '1.000000', unit: { id: unit.PCS, code: 'PCS', name: '个' }, batchQuantity: '1.0000',
    });
    expect(per(res.body.root.children[0].children[0].children[0].children[0])).toEqual({
      bomId: null, lineId: await lineOf('BLK'), quantityPer: '0.005200', unit: { id: unit.T, code: 'T', name: '吨' }, batchQuantity: '1000.0000',
    });
    expect(res.body.totals.map((x: { item: { code: string }; quantity: string }) => [x.item.code, x.quantity])).toEqual([
      [code.ZN, '1011'], [code.HT, '1032'], [code.BLK, '1032'], [code.ROD, '5.449'], [code.CTN, '1'],
    ]);
  });

  it('版本按日期：V1 截止后 V2 生效，展开用当天有效的版本；与已有版本重叠的有效期被拒绝并指明版本', async () => {
    const before = await counts();
    const overlap = await sun('post', `/api/v1/boms/${bom.WSH}/versions`).send({ validFrom: '2027-01-01', lines: [line('ROD', '0.005')] });
    expect(overlap.status).toBe(409);
    expect(overlap.body.error.message).toContain('V1（2026-01-01 起长期有效）重叠');
    expect(await counts()).toEqual(before);
    const v1 = (await sun('get', `/api/v1/boms/${bom.WSH}`)).body.versions[0];
    const closed = await sun('patch', `/api/v1/boms/${bom.WSH}/versions/${v1.id}`).send({ version: v1.version, validTo: '2026-12-31' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const v2 = await sun('post', `/api/v1/boms/${bom.WSH}/versions`).send({ validFrom: '2027-01-01', lines: [line('ROD', '5', { unitId: unit.KG })], batchQuantity: '1000' });
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
    expect(v2.body.versions.map((v: { versionNo: number; validTo: string | null }) => [v.versionNo, v.validTo])).toEqual([[1, '2026-12-31'], [2, null]]);
    // 2026: 100 × 0.004 / 0.985 = 0.40609 → 0.407; 2027: 100 × 5 / 1000 / 0.985 = 0.50761 → 0.508
    const q = (date: string) => sun('get', `/api/v1/boms/explode?itemId=${item.WSH}&quantity=100&date=${date}`);
    expect((await q('2026-12-31')).body.root.children[0].quantity).toBe('0.407');
    expect((await q('2027-01-01')).body.root.children[0].quantity).toBe('0.508');
    expect((await q('2025-12-31')).status).toBe(400);
  });
});

describe('演示数据', () => {
  it('M8 螺栓 4 层展开（手算）；小号纸箱被螺栓、螺母、垫圈共用；螺母攻牙件是虚拟件', async () => {
    const sys = t.database.system;
    const id = async (c: string) => (await sys.item.findFirstOrThrow({ where: { code: c } })).id;
    const res = await sun('get', `/api/v1/boms/explode?itemId=${await id('FG-BLT-M8X30')}&quantity=1000&date=2026-12-07`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    type N = { item: { code: string }; quantity: string; children: N[] };
    const flat = (n: N): [string, string][] => [[n.item.code, n.quantity], ...n.children.flatMap(flat)];
    // 镀锌件 1000 / 0.995 = 1005.03 → 1006; 调质件 1006 / 0.985 = 1021.3 → 1022; 坯 1022 / 0.985 = 1037.6 → 1038;
    // 盘条 1038 × 0.013 吨 × 1000 / 1000 / 0.985 = 13.494 / 0.985 = 13.6995 → 13.700 千克; 纸箱 1000 × 0.001 = 1
    expect(flat(res.body.root)).toEqual([
      ['FG-BLT-M8X30', '1000'], ['SF-ZN-M8X30', '1006'], ['SF-HT-M8X30', '1022'], ['SF-BLK-M8X30', '1038'], ['RM-WR-35K-6.5', '13.700'], ['PK-CTN-S', '1'],
    ]);
    // the wire rod's line: 0.013 吨 per 1,000 blanks
    expect(res.body.root.children[0].children[0].children[0].children[0]).toMatchObject({
      item: { code: 'RM-WR-35K-6.5' }, quantityPer: '0.013000', unit: { code: 'T', name: '吨' }, batchQuantity: '1000.0000', bomId: null,
    });
    const carton = await sun('get', `/api/v1/boms/where-used?itemId=${await id('PK-CTN-S')}`);
    expect(carton.body.usages.map((u: { parent: { code: string } }) => u.parent.code).sort()).toEqual(['FG-BLT-M8X30', 'FG-NUT-M8', 'FG-WSH-FW-M8']);
    const nut = await sun('get', `/api/v1/boms/explode?itemId=${await id('FG-NUT-M8')}&quantity=2000`);
    expect(nut.body.root.children[0].children[0]).toMatchObject({ item: { code: 'SF-TAP-NUT-M8' }, phantom: true });
    expect(await sys.item.findFirstOrThrow({ where: { code: 'RM-WR-35K-6.5' } })).toMatchObject({ leadTimeDays: 10 });
  });
});

describe('反查（where-used）', () => {
  it('盘条：直接上级坯料和垫圈，间接上级热处理件、镀锌件、成品', async () => {
    const res = await sun('get', `/api/v1/boms/where-used?itemId=${item.ROD}&date=2026-06-01`);
    expect(res.status).toBe(200);
    expect(res.body.usages.map((u: { level: number; parent: { code: string }; component: { code: string } }) => [u.level, u.parent.code, u.component.code]).sort()).toEqual(
      [[1, code.BLK, code.ROD], [1, code.WSH, code.ROD], [2, code.HT, code.BLK], [3, code.ZN, code.HT], [4, code.FG, code.ZN]].sort(),
    );
    expect(res.body.usages.find((u: { parent: { code: string } }) => u.parent.code === code.BLK)).toMatchObject({ quantity: '0.005200', unit: { code: 'T' } });
  });
});

describe('循环与错误输入', () => {
  it('会形成循环的明细被拒绝（409），消息写出路径，什么都不写', async () => {
    const before = await counts();
    const blk = (await sun('get', `/api/v1/boms/${bom.BLK}`)).body.versions[0];
    const res = await sun('patch', `/api/v1/boms/${bom.BLK}/versions/${blk.id}`).send({ version: blk.version, lines: [line('ROD', '5.2', { unitId: unit.KG }), line('FG', '1')] });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(`BOM 循环：${code.BLK} → ${code.FG} → ${code.ZN} → ${code.HT} → ${code.BLK}`);
    expect(res.body.error.details[0]).toMatchObject({ field: 'body.lines.1.componentItemId' });
    const created = await sun('post', '/api/v1/boms').send({ parentItemId: item.ROD, lines: [line('CTN', '1'), line('ZN', '2')] });
    expect(created.status).toBe(409);
    expect(created.body.error.details[0]).toMatchObject({ field: 'body.lines.1.componentItemId' });
    expect(created.body.error.message).toBe(`BOM 循环：${code.ROD} → ${code.ZN} → ${code.HT} → ${code.BLK} → ${code.ROD}`);
    expect(await counts()).toEqual(before);
    expect((await sun('get', `/api/v1/boms/${bom.BLK}`)).body.versions[0]).toMatchObject({ version: blk.version, lines: [{ component: { code: code.ROD } }] });
  });

  it('用量 ≤ 0、损耗率 ≥ 100%、无换算率的单位、子件是母件本身、未知物料 → 4xx 指明字段的中文名，什么都不写', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string, string, string][] = [
      [line('ROD', '0'), 'body.lines.0.quantity', '第 1 行 数量', '用量必须大于 0'],
      [line('ROD', '-1'), 'body.lines.0.quantity', '第 1 行 数量', '不能小于 0'],
      [line('ROD', '1', { scrapRate: '1' }), 'body.lines.0.scrapRate', '第 1 行 损耗率', '损耗率必须小于 1（100%）'],
      [line('ROD', '1', { scrapRate: '1.5' }), 'body.lines.0.scrapRate', '第 1 行 损耗率', '损耗率必须小于 1（100%）'],
      [line('CTN', '1', { unitId: unit.BOX }), 'body.lines.0.unitId', '第 1 行 计量单位', `物料 ${code.CTN} 没有「箱」到「个」的换算率，请先在物料中维护（不按 1:1 计算）`],
      [line('ZN', '1'), 'body.lines.0.componentItemId', '第 1 行 子件', `子件不能是母件本身（${code.ZN}）`],
      [{ componentItemId: '00000000-0000-4000-8000-000000000000', quantity: '1' }, 'body.lines.0.componentItemId', '第 1 行 子件', '物料不存在'],
    ];
    for (const [bad, field, label, message] of cases) {
      // a new version of ZN's BOM (input is checked before its dates, so the overlap with V1 never speaks first)
      const res = await sun('post', `/api/v1/boms/${bom.ZN}/versions`).send({ validFrom: '2030-01-01', lines: [line('HT', '1'), bad].reverse() });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.details, JSON.stringify(bad)).toContainEqual(expect.objectContaining({ field, label, message }));
    }
    const noQuantity = await sun('post', '/api/v1/boms').send({ parentItemId: item.CTN, batchQuantity: '0', lines: [line('ROD', '1')] });
    expect(noQuantity.status).toBe(400);
    expect(noQuantity.body.error.details).toContainEqual(expect.objectContaining({ field: 'body.batchQuantity', label: '母件基数' }));
    const backwards = await sun('post', '/api/v1/boms').send({ parentItemId: item.CTN, validFrom: '2026-05-01', validTo: '2026-04-30', lines: [line('ROD', '1')] });
    expect(backwards.body.error.details).toContainEqual(expect.objectContaining({ field: 'body.validTo', message: '失效日期不能早于生效日期' }));
    const v1 = (await sun('get', `/api/v1/boms/${bom.ZN}`)).body.versions[0];
    const endBeforeStart = await sun('patch', `/api/v1/boms/${bom.ZN}/versions/${v1.id}`).send({ version: v1.version, validTo: '2025-12-31' });
    expect([endBeforeStart.status, endBeforeStart.body.error.details[0].field]).toEqual([400, 'body.validTo']);
    const lot = await sun('post', '/api/v1/items').send({ code: uniqueCode('BT-LOT'), name: '批量', kind: 'raw', baseUnitId: unit.PCS, orderMultiple: '0', moq: '-1' });
    expect(lot.status).toBe(400);
    expect(lot.body.error.details.map((d: { label: string }) => d.label).sort()).toEqual(['最小订货量', '订货倍数']);
    const duplicate = await sun('post', '/api/v1/boms').send({ parentItemId: item.FG, lines: [line('ROD', '1')] });
    expect(duplicate.status).toBe(409);
    expect(await counts()).toEqual(before);
  });
});

describe('旧数据：物料损耗率 100%（现已不能保存）', () => {
  it('展开、成本汇总、物料需求计算都回 400 并指明物料，不会 500', async () => {
    // saved before the item rule refused it; WSH's line has no rate of its own, so ROD's 100 % applies
    await t.database.system.item.update({ where: { id: item.ROD }, data: { scrapRate: '1' } });
    try {
      const message = `物料 ${code.ROD} 的损耗率为 100%，无法计算用量：损耗率必须小于 100%，请先修改`;
      const explode = await sun('get', `/api/v1/boms/explode?itemId=${item.WSH}&quantity=100`);
      expect([explode.status, explode.body.error.message]).toEqual([400, message]);
      const rollup = await sun('get', `/api/v1/boms/${item.WSH}/cost-rollup?basis=standard&quantity=100`);
      expect([rollup.status, rollup.body.error.message]).toEqual([400, message]);
      const run = await sun('post', '/api/v1/mrp/runs');
      expect([run.status, run.body.error.message]).toEqual([400, `物料 ${code.ROD} 的损耗率必须不小于 0% 且小于 100%`]);
    } finally {
      await t.database.system.item.update({ where: { id: item.ROD }, data: { scrapRate: '0.015' } });
    }
  });
});

describe('权限、租户隔离、并发', () => {
  it('仓管员能看不能改（403）；销售员看不到（403）；另一家公司看不到也查不到', async () => {
    const zhao = await as(t, 'zhao.ck');
    expect((await zhao('get', `/api/v1/boms/${bom.FG}`)).status).toBe(200);
    const denied = await zhao('post', '/api/v1/boms').send({ parentItemId: item.CTN, lines: [line('ROD', '1')] });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('没有维护物料清单的权限');
    expect((await (await as(t, 'li.xs'))('get', '/api/v1/boms')).status).toBe(403);
    const second = await createSecondCompany(t);
    const other = await as(t, second.adminUsername, { companyCode: 'OTHERCO' });
    expect((await other('get', `/api/v1/boms/${bom.FG}`)).status).toBe(404);
    expect((await other('get', '/api/v1/boms')).body.total).toBe(0);
    expect((await other('get', `/api/v1/boms/explode?itemId=${item.FG}`)).status).toBe(400);
    expect((await other('get', `/api/v1/boms/where-used?itemId=${item.ROD}`)).status).toBe(400);
  });

  it('同一版本的两个并发修改：一个成功，一个 409', async () => {
    const v = (await sun('get', `/api/v1/boms/${bom.FG}`)).body.versions[0];
    const edit = (q: string) => sun('patch', `/api/v1/boms/${bom.FG}/versions/${v.id}`).send({ version: v.version, lines: [line('ZN', q), line('CTN', '0.001')] });
    const results = await Promise.all([edit('1'), edit('2')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('VERSION_CONFLICT');
    const after = (await sun('get', `/api/v1/boms/${bom.FG}`)).body.versions[0];
    expect(after.version).toBe(v.version + 1);
    expect(after.lines).toHaveLength(2);
  });
});
