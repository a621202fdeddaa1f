// 启动: what every start does to the data (server/startup.ts, called by server/main.ts) — the
// configured IM organisations bound to the demo company on a later start too, and the demo
// documents that a first start writes through the real services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerChat } from '../../bot/commands/run.ts';
import { seedDemoDocuments } from '../../prisma/seed.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { chatSettingWarnings, prepareData } from '../../server/startup.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany } from '../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

function recorder() {
  const lines: { level: 'info' | 'warn'; msg: string }[] = [];
  return { lines, log: { info: (msg: string) => lines.push({ level: 'info', msg }), warn: (msg: string) => lines.push({ level: 'warn', msg }) } };
}

describe('再次启动时绑定 IM 组织', () => {
  it('演示公司已存在（第二次启动）：配置的企业微信、飞书、钉钉组织绑定到演示公司并记日志；机器人随即认得这个企业', async () => {
    const sys = t.database.system;
    const demo = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    expect(await sys.companyPlatform.count()).toBe(0);
    const config = loadConfig({ LOG_LEVEL: 'silent', WECOM_CORP_ID: 'ww-second', LARK_TENANT_KEY: 'tenant-second', DINGTALK_CORP_ID: 'ding-second' });
    const { lines, log } = recorder();
    await prepareData(t.database, config, log);

    const rows = await sys.companyPlatform.findMany({ orderBy: { platform: 'asc' } });
    expect(rows.map((r) => [r.platform, r.orgKey, r.companyId])).toEqual([
      ['lark', 'tenant-second', demo.id], ['wecom', 'ww-second', demo.id], ['dingtalk', 'ding-second', demo.id],
    ]);
    expect(lines).toEqual([
      { level: 'info', msg: '企业微信企业（WECOM_CORP_ID） ww-second 已绑定到演示公司 浙江云桥五金配件有限公司' },
      { level: 'info', msg: '飞书租户（LARK_TENANT_KEY） tenant-second 已绑定到演示公司 浙江云桥五金配件有限公司' },
      { level: 'info', msg: '钉钉组织（DINGTALK_CORP_ID） ding-second 已绑定到演示公司 浙江云桥五金配件有限公司' },
    ]);
    // the company was there: nothing else written
    expect(await sys.stockMove.count()).toBe(0);

    const reply = await answerChat({ database: t.database, config }, {
      platform: 'wecom', messageId: 'startup-1', orgKey: 'ww-second', chatType: 'p2p', chatId: 'c', senderId: 'wang.cg', text: '帮助',
    });
    expect(reply.text).toContain('云桥机器人可以帮你查');

    // the third start: already bound, said so, nothing added
    const again = recorder();
    await prepareData(t.database, config, again.log);
    expect(again.lines.map((l) => l.msg)).toContain('企业微信企业（WECOM_CORP_ID） ww-second 已是演示公司 浙江云桥五金配件有限公司');
    expect(await sys.companyPlatform.count()).toBe(3);
  });

  it('已属于另一家公司的组织不改动，记一条警告', async () => {
    const other = await createSecondCompany(t, 'STARTCO');
    await t.database.system.companyPlatform.create({ data: { companyId: other.companyId, platform: 'wecom', orgKey: 'ww-other' } });
    const { lines, log } = recorder();
    await prepareData(t.database, loadConfig({ WECOM_CORP_ID: 'ww-other' }), log);
    expect(lines).toEqual([{ level: 'warn', msg: '企业微信企业（WECOM_CORP_ID） ww-other 已绑定到 江苏另一家机械有限公司（STARTCO），未改动' }]);
    expect((await t.database.system.companyPlatform.findFirstOrThrow({ where: { orgKey: 'ww-other' } })).companyId).toBe(other.companyId);
  });

  it('管理员解绑过的组织：下次启动不再绑回，记一条警告；没解绑过的照常绑定', async () => {
    const sys = t.database.system;
    const config = loadConfig({ WECOM_CORP_ID: 'ww-unbound', DINGTALK_CORP_ID: 'ding-kept' });
    await prepareData(t.database, config, recorder().log);
    const admin = await as(t, 'admin', { companyCode: 'YUNQIAO' });
    const bound = await sys.companyPlatform.findFirstOrThrow({ where: { orgKey: 'ww-unbound' } });
    expect((await admin('delete', `/api/v1/company/platforms/${bound.id}`)).status).toBe(200);
    await sys.companyPlatform.deleteMany({ where: { orgKey: 'ding-kept' } }); // gone without an unbind (e.g. a fresh table): bound again

    const { lines, log } = recorder();
    await prepareData(t.database, config, log);
    expect(lines).toEqual([
      { level: 'warn', msg: '企业微信企业（WECOM_CORP_ID） ww-unbound 已由管理员从演示公司 浙江云桥五金配件有限公司 解绑，未重新绑定' },
      { level: 'info', msg: '钉钉组织（DINGTALK_CORP_ID） ding-kept 已绑定到演示公司 浙江云桥五金配件有限公司' },
    ]);
    expect(await sys.companyPlatform.count({ where: { orgKey: 'ww-unbound' } })).toBe(0);
    expect(await sys.companyPlatform.count({ where: { orgKey: 'ding-kept' } })).toBe(1);
  });

  it('开启了聊天平台却没有 PUBLIC_BASE_URL：警告链接是相对地址', () => {
    expect(chatSettingWarnings({ PUBLIC_BASE_URL: undefined }, ['wecom', 'dingtalk'])).toEqual([
      '已开启企业微信、钉钉，但没有设置 PUBLIC_BASE_URL：卡片和机器人回复里的移动端链接是相对地址（/m/#/…），在聊天里点不开。请设为外网可访问的地址，如 https://erp.example.cn',
    ]);
    expect(chatSettingWarnings({ PUBLIC_BASE_URL: 'https://erp.example.cn' }, ['wecom'])).toEqual([]);
    expect(chatSettingWarnings({ PUBLIC_BASE_URL: undefined }, [])).toEqual([]);
  });
});

describe('首次启动写入的演示单据', () => {
  it('期初库存、采购订单、各状态的销售订单都经真实服务写入：库存账、预留、在订、缺料与审批一致', async () => {
    await seedDemoDocuments(t.database);
    const admin = await as(t, 'admin', { companyCode: 'YUNQIAO' });
    const sys = t.database.system;
    const companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
    const itemId = async (code: string) => (await sys.item.findFirstOrThrow({ where: { code, companyId } })).id;

    // M8螺栓: 期初 60,000 个; 20 箱 confirmed (reserved 20,000), 5 箱 shipped; the 10-箱 order awaiting approval reserves nothing
    const m8 = (await admin('get', `/api/v1/stock/items/${await itemId('FG-BLT-M8X30')}`)).body;
    expect(m8.total).toMatchObject({ onHand: '55000.0000', reserved: '15000.0000', available: '40000.0000' });
    // 10 箱 M12X50 = 2,000 个 against 1,200 on hand: all of it reserved, 800 short
    const m12 = (await admin('get', `/api/v1/stock/items/${await itemId('FG-BLT-M12X50')}`)).body;
    expect(m12.total).toMatchObject({ onHand: '1200.0000', reserved: '1200.0000', available: '0.0000' });
    // the confirmed PO: 8 吨 Φ8.0 on order
    const wire = (await admin('get', `/api/v1/stock/items/${await itemId('RM-WR-35K-8.0')}`)).body;
    expect(wire.total).toMatchObject({ onHand: '3200.0000', onOrder: '8000.0000' });
    // the cancelled order released what it held
    expect((await admin('get', `/api/v1/stock/items/${await itemId('FG-NUT-M10')}`)).body.total.reserved).toBe('0.0000');

    const orders = (await admin('get', '/api/v1/sales-orders?pageSize=50')).body.items as { state: string; shipmentProgress: string }[];
    expect(orders.map((o) => `${o.state}/${o.shipmentProgress}`).sort()).toEqual([
      'cancelled/none', 'confirmed/full', 'confirmed/none', 'confirmed/partial', 'draft/none', 'pendingApproval/none',
    ]);
    const pos = (await admin('get', '/api/v1/purchase-orders?pageSize=50')).body.items as { state: string }[];
    expect(pos.map((o) => o.state).sort()).toEqual(['confirmed', 'confirmed', 'draft', 'pendingApproval']);
    // 待审批: 张经理 the 15% discount, 老板 the ¥120,400 purchase order
    expect((await (await as(t, 'zhang.jl'))('get', '/api/v1/approvals/pending')).body.total).toBe(1);
    expect((await (await as(t, 'boss'))('get', '/api/v1/approvals/pending')).body.total).toBe(1);
    // 缺料: the six items left below safety stock each raised one alert for the purchasing group
    const shortages = await sys.outboxEvent.findMany({ where: { type: 'stock.shortage' } });
    expect(shortages.map((e) => (e.payload as { code: string }).code).sort()).toEqual([
      'FG-BLT-M12X50', 'FG-NUT-M10', 'FG-WSH-SW-M8', 'PK-CTN-S', 'PP-EXP-M10X100', 'RM-WR-35K-8.0',
    ]);
    // every document has its timeline
    expect(await sys.timelineEntry.count({ where: { orderType: 'salesOrder' } })).toBeGreaterThanOrEqual(6);
    // 拜访: 李销售 has a plan today at C0002 (which has a pin) and finished one yesterday at C0003, ~80 m from its pin
    const today = (await (await as(t, 'li.xs'))('get', '/api/v1/visits/today')).body as { state: string; customer: { code: string; latitude: string | null } }[];
    expect(today.map((v) => [v.state, v.customer.code, v.customer.latitude !== null])).toEqual([['planned', 'C0002', true]]);
    const done = (await (await as(t, 'zhang.jl'))('get', '/api/v1/visits?state=done')).body.items as { customer: { code: string }; checkIn: { distanceMeters: number }; checkOut: { durationMinutes: number } }[];
    expect(done.map((v) => [v.customer.code, v.checkOut.durationMinutes])).toEqual([['C0003', 45]]);
    expect(done[0]!.checkIn.distanceMeters).toBeGreaterThan(60);
    expect(done[0]!.checkIn.distanceMeters).toBeLessThan(100);
    // 质检: 500 中号纸箱 received 待检 wait in an open 检验单 for 周质检; failed goods would go to the 不良品仓 the company names
    const qc = (await (await as(t, 'zhou.zj'))('get', '/api/v1/quality-inspections?state=open')).body;
    expect(qc.items.map((i: { item: { code: string }; pendingQuantity: string; sourceType: string }) => [i.item.code, i.pendingQuantity, i.sourceType]))
      .toEqual([['PK-CTN-M', '500.0000', 'purchaseReceipt']]);
    const carton = (await admin('get', `/api/v1/stock/items/${await itemId('PK-CTN-M')}`)).body;
    expect(carton.total).toMatchObject({ onHand: '4000.0000', pending: '500.0000', available: '4000.0000' });
    // 生产: a cold-heading task in progress (659.899 kg wire rod issued from its batch, 30,000 reported and received), a released nut task short of plated nuts, a planned bolt task
    const sun = await as(t, 'sun.jh');
    const tasks = (await sun('get', '/api/v1/production-tasks?pageSize=10&sort=number')).body.items;
    expect(tasks.map((x: { item: { code: string }; state: string; receivedQuantity: string }) => [x.item.code, x.state, x.receivedQuantity])).toEqual([
      ['SF-BLK-M8X30', 'inProgress', '30000.0000'], ['FG-NUT-M8', 'released', '0.0000'], ['FG-BLT-M8X30', 'planned', '0.0000'],
    ]);
    const blanks = (await sun('get', `/api/v1/production-tasks/${tasks[0].id}`)).body;
    expect(blanks).toMatchObject({ reportedGoodQuantity: '30000.0000', reportedHours: '7.50' });
    expect(blanks.materials.map((m: { issuedQuantity: string }) => m.issuedQuantity)).toEqual(['659.8990']); // 50,000 × 13 g ÷ (1 − 1.5 % scrap of the wire rod), up to the gram
    const short = (await sun('get', '/api/v1/production-tasks/shortage-analysis?shortOnly=true')).body;
    expect(short.items.map((x: { task: { number: string } }) => x.task.number)).toEqual([tasks[1].number]);
    const rejects = await sys.warehouse.findFirstOrThrow({ where: { companyId, code: 'WH03' } });
    expect([rejects.name, (await sys.company.findUniqueOrThrow({ where: { id: companyId } })).rejectWarehouseId]).toEqual(['不良品仓', rejects.id]);
  });
});

describe('/favicon.ico', () => {
  it('浏览器每页都要的图标：一个小 SVG，不再 404', async () => {
    for (const url of ['/favicon.ico', '/favicon.svg']) {
      const res = await t.http().get(url).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(String(res.body)).toMatch(/^<svg /);
    }
  });
});
