// 机器人命令 齐套: parsing (pure), and answers through the real database on WeCom and Feishu — the
// bound user's permissions (kitting:read, salesOrder:read) and data scope, as in the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand, type BotCommand } from '../../bot/commands/parse.ts';
import { answerChat, orderNotFound, type BotLog, type ChatDeps } from '../../bot/commands/run.ts';
import { KITTING_REPLIES } from '../../bot/commands/kitting.ts';
import { renderLarkCard } from '../../bot/channels/lark/render.ts';
import type { InboundMessage } from '../../server/platform/channels.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, uniqueCode } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

describe('齐套 命令解析', () => {
  it.each<[string, BotCommand]>([
    ['齐套 SO-20261122-0001', { kind: 'kittingOrder', number: 'SO-20261122-0001' }],
    ['@云桥 齐套：so-20261122-0001。', { kind: 'kittingOrder', number: 'SO-20261122-0001' }],
    ['齐套分析 ＳＯ－２０２６１１２２－０００１', { kind: 'kittingOrder', number: 'SO-20261122-0001' }],
    ['齐套 M8螺栓 1000', { kind: 'kitting', keyword: 'M8螺栓', quantity: '1000' }],
    ['查齐套 M8螺栓 1,000个', { kind: 'kitting', keyword: 'M8螺栓', quantity: '1000' }],
    ['齐套 外六角  M8 500.5', { kind: 'kitting', keyword: '外六角 M8', quantity: '500.5' }],
    ['@云桥 齐套 FG-BLT-M8X30　２０００', { kind: 'kitting', keyword: 'FG-BLT-M8X30', quantity: '2000' }],
    ['齐套 MO-20261208-0001', { kind: 'kittingTasks', numbers: ['MO-20261208-0001'] }],
    ['齐套 mo-20261208-0002、MO－20261208－0001, MO-20261208-0002', { kind: 'kittingTasks', numbers: ['MO-20261208-0002', 'MO-20261208-0001'] }],
  ])('%j → %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['齐套', '请告诉我订单号或生产任务单号，或物料和数量'],
    [`齐套 ${Array.from({ length: 21 }, (_, i) => `MO-20261208-${String(i + 1).padStart(4, '0')}`).join(' ')}`, '一次最多分析 20 张生产任务单'],
    ['齐套 M8螺栓', '请告诉我「M8螺栓」要生产多少'],
    ['齐套 M8螺栓 0', '数量必须大于 0'],
    ['齐套 M8螺栓 1.23456', '最多 4 位小数'],
    [`齐套 ${'螺'.repeat(51)} 5`, '太长'],
  ])('%j → 帮助，原因含 %j', (text, reason) => {
    const c = parseCommand(text);
    expect(c.kind).toBe('help');
    expect(c.kind === 'help' && c.reason).toContain(reason);
  });
});

describe('齐套 回答（真实数据库）', () => {
  let t: TestApp;
  let deps: ChatDeps;
  const errors: unknown[] = [];
  const log: BotLog = { error: (obj) => errors.push(obj) };
  const code: Record<string, string> = {};
  const item: Record<string, string> = {};
  let orderId: string;
  let orderNo: string;
  let poNo: string;
  let seq = 0;
  const msg = (text: string, o: Partial<InboundMessage> = {}): InboundMessage => ({
    platform: 'wecom', messageId: `kit-${++seq}`, orgKey: 'ww-test', chatType: 'p2p', chatId: 'chat-1', senderId: 'sun.jh', text, ...o,
  });
  const ask = (text: string, o: Partial<InboundMessage> = {}) => answerChat(deps, msg(text, o));

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'https://erp.example.cn/' });
    deps = { database: t.database, config: t.config, log };
    const sys = t.database.system;
    const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    await sys.companyPlatform.createMany({
      data: [{ companyId: company.id, platform: 'wecom', orgKey: 'ww-test' }, { companyId: company.id, platform: 'lark', orgKey: 'tenant-test' }],
    });
    const sun = await as(t, 'sun.jh');
    const pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
    for (const [key, fields] of [
      ['FG', { kind: 'finished', sourcing: 'make', salePrice: '1' }],
      ['NUT', { kind: 'raw', sourcing: 'buy' }],
      ['CTN', { kind: 'raw', sourcing: 'buy' }],
    ] as const) {
      code[key] = uniqueCode(`KB-${key}`);
      const res = await sun('post', '/api/v1/items').send({ code: code[key], name: `齐套*${key}*`, baseUnitId: pcs, scrapRate: '0', ...fields });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      item[key] = res.body.id;
    }
    // FG ← NUT × 2 + CTN × 1
    const bom = await sun('post', '/api/v1/boms').send({
      parentItemId: item.FG, validFrom: '2026-01-01', lines: [{ componentItemId: item.NUT, quantity: '2' }, { componentItemId: item.CTN, quantity: '1' }],
    });
    expect(bom.status, JSON.stringify(bom.body)).toBe(201);
    await putStock(t, { itemCode: code.NUT!, warehouseCode: 'WH01', quantity: '150', unitCost: '0.1' });
    await putStock(t, { itemCode: code.CTN!, warehouseCode: 'WH01', quantity: '1000', unitCost: '0.1' });
    const wang = await as(t, 'wang.cg');
    const supplierId = (await sys.supplier.findFirstOrThrow({ where: { active: true } })).id;
    const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId, lines: [{ itemId: item.NUT, quantity: '100', unitPrice: '0.1', promisedDate: '2026-12-15' }] });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`)).status).toBe(200);
    poNo = po.body.number;
    // 李销售's order for 100 FG (no FG stock: all 100 to make)
    const li = await as(t, 'li.xs');
    const customerId = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
    const so = await li('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: item.FG, quantity: '100' }] });
    expect(so.status, JSON.stringify(so.body)).toBe(201);
    expect((await li('post', `/api/v1/sales-orders/${so.body.id}/confirm`).send({})).status).toBe(200);
    orderId = so.body.id;
    orderNo = so.body.number;
  }, 60_000);
  afterAll(async () => t?.close());

  // 100 FG: NUT need 200, free 150 → 75, short 50 ← 100 on 12-15; CTN need 100, free 1000
  const shortLine = () => `瓶颈 **齐套*NUT***（${code.NUT}）：需 200 个，可用 150 个，缺 50 个 — 2026-12-15 到货`;

  it('齐套 <编码> 100（计划员，企业微信）：可齐套 75，瓶颈螺母，12-15 到货', async () => {
    const reply = await ask(`@云桥 齐套 ${code.FG} 100`);
    expect(reply.card).toMatchObject({
      title: '齐套：齐套*FG* × 100 个',
      tone: 'warning',
      fields: [
        { label: '物料编码', value: code.FG },
        { label: '需生产', value: '100 个' },
        { label: '现在可齐套', value: '75 个' },
        { label: '瓶颈物料', value: '齐套*NUT*' },
        { label: '全部齐套', value: '2026-12-15（在途全部到货）' },
      ],
      lines: [shortLine()],
      link: { text: '查看齐套分析', url: `https://erp.example.cn/m/#/kitting?itemId=${item.FG}&quantity=100` },
    });
    expect(reply.card!.footer).toMatch(/^云桥 · 齐套分析（BOM V1，\d{4}-\d{2}-\d{2}）$/);
    expect(reply.text).toContain('现在可齐套：75 个');
    expect(reply.text).toContain(`瓶颈 齐套*NUT*（${code.NUT}）：需 200 个，可用 150 个，缺 50 个 — 2026-12-15 到货`);
    expect(poNo).toMatch(/^PO-/);
    // the same answer on Feishu (its own identity binding)
    const lark = await ask(`齐套 ${code.FG!.toLowerCase()} 100`, { platform: 'lark', orgKey: 'tenant-test', senderId: 'ou_sun.jh' });
    expect(lark.card).toEqual(reply.card);
  });

  it('库存够的数量：物料齐全', async () => {
    const reply = await ask(`齐套 ${code.FG} 75`);
    expect(reply.card).toMatchObject({ tone: 'success', lines: ['全部 2 种物料库存足够。'] });
    expect(reply.card!.fields).toContainEqual({ label: '全部齐套', value: '现在即可' });
  });

  it('没有权限（质检员）、没有相符的物料、外购物料没有 BOM', async () => {
    expect(await ask(`齐套 ${code.FG} 100`, { senderId: 'zhou.zj' })).toEqual({ text: KITTING_REPLIES.noPermission });
    expect(await ask(`齐套 ${orderNo}`, { senderId: 'zhou.zj' })).toEqual({ text: KITTING_REPLIES.noPermission });
    expect((await ask('齐套 不存在的东西 5')).text).toBe('没有找到与「不存在的东西」相符的物料，换个品名或编码试试。');
    // several matches: the candidates, and the same question again with a code
    const several = (await ask('齐套 齐套 5')).text.split('\n');
    expect(several[0]).toBe('「齐套」共匹配到 3 个物料，请用编码再问一次：');
    expect(several.at(-1)).toMatch(/^例如：齐套 KB-\S+ 5$/);
    expect((await ask(`齐套 ${code.NUT} 5`)).text).toContain(`物料 ${code.NUT} 在`);
    expect((await ask(`齐套 ${code.NUT} 5`)).text).toContain('没有有效的 BOM 版本，不能做齐套分析');
  });

  it('齐套 <订单号>：李销售在群里问自己的订单，私信给他；别的销售员与不存在的单号同样回答「没有找到」', async () => {
    const reply = await ask(`@云桥 齐套 ${orderNo}`, { senderId: 'li.xs', senderName: '李销售', chatType: 'group', chatId: 'group-sales' });
    expect(reply.privateToAsker).toBe(true);
    expect(reply.groupPointer).toBe('已私信发送给 @李销售');
    expect(reply.card).toMatchObject({
      title: `齐套：销售订单 ${orderNo}`,
      tone: 'warning',
      fields: [
        { label: '客户', value: expect.any(String) },
        { label: '状态', value: '已确认' },
        { label: '需生产的行', value: '1 / 1' },
        { label: '齐套情况', value: '有缺料' },
      ],
      lines: [`1. **齐套*FG***：待生产 100 个，现在可齐套 75 个；全部齐套 2026-12-15（在途全部到货）`, `   ${shortLine()}`],
      link: { url: `https://erp.example.cn/m/#/sales-orders/${orderId}` },
    });
    expect(await ask(`齐套 ${orderNo}`, { senderId: 'wu.xs' })).toEqual({ text: orderNotFound(orderNo) });
    expect(await ask('齐套 SO-20990101-0001', { senderId: 'sun.jh' })).toEqual({ text: orderNotFound('SO-20990101-0001') });
    // 采购员 may analyse products but reads no sales orders
    expect(await ask(`齐套 ${orderNo}`, { senderId: 'wang.cg' })).toEqual({ text: KITTING_REPLIES.noOrderPermission });
    expect(errors).toEqual([]);
  });

  it('齐套 <生产任务单号…>：按计划开工日先后共用库存与在途；任务单不存在、没有查看任务的权限都说明', async () => {
    const sun = await as(t, 'sun.jh');
    const wh = async (c: string) => (await t.database.system.warehouse.findFirstOrThrow({ where: { code: c } })).id;
    const task = async (quantity: string, plannedStart: string) => {
      const res = await sun('post', '/api/v1/production-tasks').send({
        itemId: item.FG, quantity, materialWarehouseId: await wh('WH01'), warehouseId: await wh('WH02'), plannedStart, plannedFinish: '2026-12-31',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; number: string };
    };
    // 60 FG starting 12-20 take NUT 120 of the free 150; 40 FG starting 12-22 need NUT 80: 30 free → 15 sets,
    // short 50, which the 100 on order (12-15) cover
    const first = await task('60', '2026-12-20');
    const second = await task('40', '2026-12-22');
    const reply = await ask(`@云桥 齐套 ${second.number} ${first.number}`, { chatType: 'group', chatId: 'group-plan' });
    expect(reply.privateToAsker).toBeUndefined();
    expect(reply.card).toMatchObject({
      title: '齐套：2 张生产任务单',
      tone: 'warning',
      fields: [{ label: '生产任务单', value: `${first.number}、${second.number}` }, { label: '齐套情况', value: '1 张有缺料' }],
      lines: [
        `${first.number} **齐套*FG***（开工 2026-12-20）：未配套 60 个，现在可齐套 60 个，物料齐全`,
        `${second.number} **齐套*FG***（开工 2026-12-22）：未配套 40 个，现在可齐套 15 个；全部齐套 2026-12-15（在途全部到货）`,
        `   瓶颈 **齐套*NUT***（${code.NUT}）：需 80 个，可用 30 个，缺 50 个 — 2026-12-15 到货`,
      ],
      link: { url: `https://erp.example.cn/m/#/kitting/production-tasks?ids=${first.id},${second.id}` },
    });
    expect(await ask('齐套 MO-20990101-0001')).toEqual({ text: '没有找到生产任务单 MO-20990101-0001' });
    // 李销售 reads no production tasks; 周质检 has no 齐套
    expect(await ask(`齐套 ${first.number}`, { senderId: 'li.xs' })).toEqual({ text: KITTING_REPLIES.noTaskPermission });
    expect(await ask(`齐套 ${first.number}`, { senderId: 'zhou.zj' })).toEqual({ text: KITTING_REPLIES.noPermission });
    for (const x of [first, second]) expect((await sun('post', `/api/v1/production-tasks/${x.id}/cancel`)).status).toBe(200);
    expect(errors).toEqual([]);
  });

  it('物料名里的 markdown 链接在卡片里被转义（飞书渲染后没有可点的外部链接）', async () => {
    const sun = await as(t, 'sun.jh');
    const nut = (await sun('get', `/api/v1/items/${item.NUT}`)).body;
    const renamed = await sun('patch', `/api/v1/items/${item.NUT}`).send({ name: '螺母[点我](http://evil.example)', version: nut.version });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    const reply = await ask(`齐套 ${code.FG} 100`);
    expect(reply.card!.lines![0]).toContain('**螺母[点我](http://evil.example)**');
    const rendered = JSON.stringify(renderLarkCard(reply.card!, { publicBaseUrl: 'https://erp.example.cn' }));
    expect(rendered).not.toContain('](http://evil.example)');
    expect(rendered).toContain('螺母');
  });
});
