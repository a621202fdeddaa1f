// 机器人命令: parsing (pure, table-driven) and answers through the real database — the bound
// user's permissions and data scope, exactly as in the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatQuantity } from '../../bot/cards/format.ts';
import { normaliseText, parseCommand, type BotCommand } from '../../bot/commands/parse.ts';
import { answerChat, orderNotFound, REPLIES, type BotLog, type ChatDeps } from '../../bot/commands/run.ts';
import type { InboundMessage } from '../../server/platform/channels.ts';
import type { Database } from '../../server/db/database.ts';
import { formatYuan } from '../../shared/money.ts';
import type { StockPosition } from '../../shared/schemas/stock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

describe('命令解析', () => {
  it.each<[string, BotCommand]>([
    ['库存 M8螺栓', { kind: 'stock', keyword: 'M8螺栓' }],
    ['@云桥 库存 M8螺栓', { kind: 'stock', keyword: 'M8螺栓' }],
    ['@_user_1 库存查询 M8', { kind: 'stock', keyword: 'M8' }],
    ['@云桥\u2005查库存：FG-BLT-M8X30', { kind: 'stock', keyword: 'FG-BLT-M8X30' }],
    ['\u3000库存\u3000M8螺栓\u3000', { kind: 'stock', keyword: 'M8螺栓' }],
    ['库存M8螺栓？', { kind: 'stock', keyword: 'M8螺栓' }],
    ['库存  外六角\t M8。', { kind: 'stock', keyword: '外六角 M8' }],
    ['库存 螺栓 (镀锌)', { kind: 'stock', keyword: '螺栓 (镀锌)' }],
    ['“库存 M8×30”', { kind: 'stock', keyword: 'M8×30' }],
    ['订单 SO-20261122-0001', { kind: 'order', number: 'SO-20261122-0001' }],
    ['订单 so-20261122-0001。', { kind: 'order', number: 'SO-20261122-0001' }],
    ['@云桥 订单：ＳＯ－２０２６１１２２－０００１', { kind: 'order', number: 'SO-20261122-0001' }],
    ['查订单SO-20261122-0001', { kind: 'order', number: 'SO-20261122-0001' }],
    ['待审批', { kind: 'approvals' }],
    ['@云桥 待审批！', { kind: 'approvals' }],
    ['帮助', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['？', { kind: 'help' }],
    ['/help', { kind: 'help' }],
    ['@云桥', { kind: 'help' }],
    ['', { kind: 'help' }],
  ])('%j → %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['库存', '请告诉我要查哪个物料'],
    ['@云桥 库存：', '请告诉我要查哪个物料'],
    [`库存 ${'螺'.repeat(51)}`, '太长'],
    ['订单', '请告诉我订单号'],
    ['订单 12345', '「12345」不是销售订单号'],
    ['订单 PO-20261122-0001', '不是销售订单号'],
    ['订单 SO-2026112-0001', '不是销售订单号'],
    ['你好', '没听懂「你好」'],
    ['查一下 M8 还有多少', '没听懂'],
  ])('%j → 帮助，原因含 %j', (text, reason) => {
    const c = parseCommand(text);
    expect(c.kind).toBe('help');
    expect(c.kind === 'help' && c.reason).toContain(reason);
  });

  it('不是文本也不抛异常', () => {
    for (const v of [undefined, null, 42, {}, ['库存 M8']]) expect(parseCommand(v)).toEqual({ kind: 'help' });
  });

  it.each([
    ['@云桥 @张三 库存 M8', '库存 M8'],
    ['联系 a@b.com', '联系 a@b.com'],
    ['\u200b库存\u00a0M8\u200d', '库存 M8'],
    ['！！库存 M8。。', '库存 M8'],
  ])('normaliseText(%j) → %j', (raw, expected) => {
    expect(normaliseText(raw)).toBe(expected);
  });
});

describe('机器人回答（真实数据库）', () => {
  let t: TestApp;
  let deps: ChatDeps;
  const errors: unknown[] = [];
  const log: BotLog = { error: (obj) => errors.push(obj) };
  let m8Id: string;
  let orderId: string;
  let orderNo: string;
  let seq = 0;
  const msg = (text: string, o: Partial<InboundMessage> = {}): InboundMessage => ({
    platform: 'wecom', messageId: `msg-${++seq}`, orgKey: 'ww-test', chatType: 'p2p', chatId: 'chat-1', senderId: 'li.xs', text, ...o,
  });
  const ask = (text: string, o: Partial<InboundMessage> = {}) => answerChat(deps, msg(text, o));

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'https://erp.example.cn/' });
    deps = { database: t.database, config: t.config, log };
    const sys = t.database.system;
    const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    await sys.companyPlatform.createMany({
      data: [
        { companyId: company.id, platform: 'wecom', orgKey: 'ww-test' },
        { companyId: company.id, platform: 'lark', orgKey: 'tenant-test' },
        { companyId: company.id, platform: 'dingtalk', orgKey: 'ding-test' },
      ],
    });
    m8Id = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
    await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '50000', unitCost: '0.030000' });
    await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH01', quantity: '3000', unitCost: '0.030000' });

    // 刘销售's order (华南销售组): 5 箱 M8, confirmed (reserves 5000 个), 2 箱 shipped, ¥100 received in advance.
    const [liu, zhao] = await Promise.all([as(t, 'liu.xs'), as(t, 'zhao.ck')]);
    const customerId = (await sys.customer.findFirstOrThrow({ where: { code: 'C0027' } })).id;
    const created = await liu('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: m8Id, quantity: '5' }] });
    expect(created.status).toBe(201);
    orderId = created.body.id;
    orderNo = created.body.number;
    expect((await liu('post', `/api/v1/sales-orders/${orderId}/confirm`).send({})).status).toBe(200);
    const shipped = await zhao('post', `/api/v1/sales-orders/${orderId}/shipments`).send({ lines: [{ orderLineId: created.body.lines[0].id, quantity: '2' }] });
    expect(shipped.status).toBe(201);
    expect((await liu('post', `/api/v1/sales-orders/${orderId}/advance-receipts`).send({ amount: '100.00', method: '银行转账' })).status).toBe(201);
  });
  afterAll(async () => t?.close());

  it('库存 M8螺栓：各仓库在库/预留/可用/在订与安全库存，和 /api/v1/stock/items/:id 一致', async () => {
    const admin = await as(t, 'admin');
    const api: StockPosition = (await admin('get', `/api/v1/stock/items/${m8Id}`)).body;
    expect(api.warehouses.map((w) => w.warehouse.code)).toEqual(['WH01', 'WH02']);
    const reply = await ask('@云桥 库存 M8螺栓', { senderId: 'zhao.ck' });
    expect(reply.privateToAsker).toBeUndefined();
    // M8螺栓 sells by the 箱 (1 箱 = 1,000 个): every figure in 箱 with the 个 beside it
    const q = (v: string) => (Number(v) === 0 ? '0 个' : `${formatQuantity(Number(v) / 1000, '箱')}（${formatQuantity(v, '个')}）`);
    expect(reply.card!.title).toBe('库存：M8螺栓');
    expect(reply.card!.lines).toEqual(expect.arrayContaining(
      api.warehouses.map((w) => `**${w.warehouse.name}**：在库 ${q(w.onHand)} · 预留 ${q(w.reserved)} · 可用 ${q(w.available)} · 在订 ${q(w.onOrder)}`),
    ));
    expect(reply.card!.fields).toEqual(expect.arrayContaining([
      { label: '在库合计', value: q(api.total.onHand) },
      { label: '预留合计', value: q(api.total.reserved) },
      { label: '可用合计', value: q(api.total.available) },
      { label: '安全库存', value: q(api.safetyStock) },
    ]));
    // the figures themselves: 50000 − 2000 shipped, 3000 reserved left of 5000
    expect(reply.card!.lines).toContain('**成品仓**：在库 48 箱（48,000 个） · 预留 3 箱（3,000 个） · 可用 45 箱（45,000 个） · 在订 0 个');
    expect(reply.card!.lines).toContain('**原材料仓**：在库 3 箱（3,000 个） · 预留 0 个 · 可用 3 箱（3,000 个） · 在订 0 个');
    expect(reply.card!.link!.url).toBe(`https://erp.example.cn/m/#/stock/${m8Id}`);
    expect(reply.text).toContain('成品仓：在库 48 箱（48,000 个）');
    expect(reply.text).toContain('在库合计：51 箱（51,000 个）');
    expect(reply.text).toContain('安全库存：20 箱（20,000 个）');
  });

  it('同样的问题从飞书、钉钉问（各自的身份绑定），按编码问', async () => {
    const lark = await ask('库存 M8螺栓', { platform: 'lark', orgKey: 'tenant-test', senderId: 'ou_wang.cg' });
    const ding = await ask('查库存 fg-blt-m8x30', { platform: 'dingtalk', orgKey: 'ding-test', senderId: 'sun.jh', chatType: 'group' });
    expect(lark.card!.title).toBe('库存：M8螺栓');
    expect(ding.card).toEqual(lark.card);
    expect(ding.privateToAsker).toBeUndefined();
  });

  it('模糊的 库存 螺栓：说共匹配几个，列出前 5 个候选（带编码）', async () => {
    const sys = t.database.system;
    const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    // every active item whose code, name or spec contains 螺栓, counted by hand from the demo data
    const all = await sys.item.count({ where: { companyId: company.id, active: true, OR: [{ code: { contains: '螺栓' } }, { name: { contains: '螺栓' } }, { spec: { contains: '螺栓' } }] } });
    expect(all).toBeGreaterThan(10);
    const reply = await ask('@云桥 库存 螺栓', { senderId: 'wang.cg' });
    expect(reply.card).toBeUndefined();
    const lines = reply.text.split('\n');
    expect(lines[0]).toBe(`「螺栓」共匹配到 ${all} 个物料，列出前 5 个，请用编码再问一次：`);
    expect(lines.filter((l) => /^\d\. /.test(l))).toHaveLength(5);
  });

  it('模糊的 库存 M8 列出最多 5 个候选（带编码）', async () => {
    const reply = await ask('@云桥 库存 M8', { senderId: 'wang.cg' });
    expect(reply.card).toBeUndefined();
    const lines = reply.text.split('\n');
    expect(lines[0]).toMatch(/^「M8」共匹配到 \d+ 个物料(，列出前 5 个)?，请用编码再问一次：$/);
    const candidates = lines.filter((l) => /^\d\. /.test(l));
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    expect(candidates.length).toBeLessThanOrEqual(5);
    for (const c of candidates) expect(c).toMatch(/^\d\. [A-Z]{2}-[A-Z0-9-]+ /);
    expect(reply.text).toMatch(/FG-BLT-M8X\d+/);
  });

  it('没有相符的物料', async () => {
    expect((await ask('库存 不存在的东西', { senderId: 'wang.cg' })).text).toBe('没有找到与「不存在的东西」相符的物料，换个品名或编码试试。');
  });

  it('李销售问刘销售的订单：没有找到（和不存在的单号一模一样的回答）', async () => {
    const reply = await ask(`订单 ${orderNo}`, { senderId: 'li.xs' });
    expect(reply).toEqual({ text: orderNotFound(orderNo) });
    expect(reply.text).toBe(`没有找到订单 ${orderNo}，或你无权查看`);
    expect(await ask('订单 SO-20990101-0001', { senderId: 'li.xs' })).toEqual({ text: orderNotFound('SO-20990101-0001') });
  });

  it('张经理（本部门及下级）看得到：状态、客户、金额、已发/订购、预收款、最近进展，与 API 一致', async () => {
    const zhang = await as(t, 'zhang.jl');
    const api = (await zhang('get', `/api/v1/sales-orders/${orderId}`)).body;
    const reply = await ask(`订单 ${orderNo.toLowerCase()}`, { senderId: 'zhang.jl' });
    expect(reply.privateToAsker).toBeUndefined(); // 1:1 chat
    expect(reply.card!.title).toBe(`销售订单 ${orderNo}`);
    expect(reply.card!.fields).toEqual([
      { label: '客户', value: api.customer.name },
      { label: '状态', value: '已确认' },
      { label: '金额', value: formatYuan(api.totalWithTax) },
      { label: '发货', value: '部分发货' },
      { label: '已收预收款', value: '¥100.00' },
      { label: '销售员', value: '刘销售' },
    ]);
    expect(reply.card!.lines).toContain('1. M8螺栓：已发 2 / 5 箱');
    const lastSteps = api.timeline.slice(-3).map((e: { message: string }) => e.message);
    for (const m of lastSteps) expect(reply.card!.lines!.some((l) => l.endsWith(m))).toBe(true);
    expect(reply.card!.link!.url).toBe(`https://erp.example.cn/m/#/sales-orders/${orderId}`);
    expect(reply.text).toContain(`金额：${formatYuan(api.totalWithTax)}`);
    // the owner sees it too
    expect((await ask(`订单 ${orderNo}`, { senderId: 'liu.xs' })).card!.title).toBe(`销售订单 ${orderNo}`);
  });

  it('在群里问订单：答案只发给提问人，群里只留一句指引', async () => {
    const reply = await ask(`@云桥 订单 ${orderNo}`, { senderId: 'zhang.jl', senderName: '张经理', chatType: 'group', chatId: 'group-sales' });
    expect(reply.privateToAsker).toBe(true);
    expect(reply.groupPointer).toBe('已私信发送给 @张经理');
    expect(reply.card!.title).toBe(`销售订单 ${orderNo}`);
    // without a sender name from the platform, the user's name
    expect((await ask(`订单 ${orderNo}`, { senderId: 'zhang.jl', chatType: 'group' })).groupPointer).toBe('已私信发送给 @张经理');
    // a platform that names the sender by account: still the person's name
    expect((await ask(`订单 ${orderNo}`, { senderId: 'zhang.jl', senderName: 'zhang.jl', chatType: 'group' })).groupPointer).toBe('已私信发送给 @张经理');
    // "not found" shows nothing private: it stays in the group
    expect(await ask(`订单 ${orderNo}`, { senderId: 'li.xs', chatType: 'group' })).toEqual({ text: orderNotFound(orderNo) });
  });

  it('没有绑定的人：回复绑定链接', async () => {
    const reply = await ask('库存 M8螺栓', { senderId: 'nobody' });
    expect(reply.card).toBeUndefined();
    expect(reply.text).toContain('https://erp.example.cn/m/#/bind?platform=wecom');
    expect((await ask('帮助', { platform: 'lark', orgKey: 'tenant-test', senderId: 'ou_unknown' })).text).toContain('/m/#/bind?platform=lark');
    // a WeCom id does not count on Feishu
    expect((await ask('库存 M8螺栓', { platform: 'lark', orgKey: 'tenant-test', senderId: 'zhao.ck' })).text).toContain('bind?platform=lark');
  });

  it('不认识的企业：礼貌拒绝', async () => {
    expect(await ask('库存 M8螺栓', { orgKey: 'ww-unknown', senderId: 'zhao.ck' })).toEqual({ text: REPLIES.unknownOrganisation });
    expect(await ask('库存 M8螺栓', { platform: 'lark', orgKey: 'ww-test', senderId: 'ou_zhao.ck' })).toEqual({ text: REPLIES.unknownOrganisation });
    expect(await ask('帮助', { orgKey: '' })).toEqual({ text: REPLIES.unknownOrganisation });
  });

  it('另一家公司的同名用户什么也看不到（租户隔离）', async () => {
    const other = await createSecondCompany(t);
    const sys = t.database.system;
    await sys.companyPlatform.create({ data: { companyId: other.companyId, platform: 'wecom', orgKey: 'ww-other' } });
    const otherAdmin = await sys.user.findFirstOrThrow({ where: { companyId: other.companyId, username: other.adminUsername } });
    await sys.platformIdentity.create({ data: { companyId: other.companyId, userId: otherAdmin.id, platform: 'wecom', externalUserId: 'li.xs' } });
    expect((await ask('库存 M8螺栓', { orgKey: 'ww-other', senderId: 'li.xs' })).text).toBe('没有找到与「M8螺栓」相符的物料，换个品名或编码试试。');
    expect(await ask(`订单 ${orderNo}`, { orgKey: 'ww-other', senderId: 'li.xs' })).toEqual({ text: orderNotFound(orderNo) });
  });

  it('没有 stock:read / salesOrder:read 的人被拒绝', async () => {
    const sys = t.database.system;
    const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    const dept = await sys.department.findFirstOrThrow({ where: { companyId: company.id, code: 'D13' } });
    const role = await sys.role.create({ data: { companyId: company.id, code: 'intern', name: '实习生', permissions: ['customer:read'], dataScope: 'own' } });
    const admin = await sys.user.findFirstOrThrow({ where: { companyId: company.id, username: 'admin' } });
    await sys.user.create({
      data: {
        companyId: company.id, username: 'intern.sx', passwordHash: admin.passwordHash, name: '实习生小宋', employeeNo: 'YQ0999', departmentId: dept.id,
        roles: { create: [{ companyId: company.id, roleId: role.id }] },
        identities: { create: [{ companyId: company.id, platform: 'wecom', externalUserId: 'intern.sx' }] },
      },
    });
    expect(await ask('库存 M8螺栓', { senderId: 'intern.sx' })).toEqual({ text: '你没有查看库存的权限' });
    expect(await ask(`订单 ${orderNo}`, { senderId: 'intern.sx' })).toEqual({ text: '你没有查看销售订单的权限' });
  });

  it('停用的账号', async () => {
    await t.database.system.user.updateMany({ where: { username: 'zhou.zj' }, data: { active: false } });
    expect(await ask('库存 M8螺栓', { senderId: 'zhou.zj' })).toEqual({ text: REPLIES.inactive });
  });

  it('格式不对或不认识的命令：简短帮助，不抛异常', async () => {
    for (const [text, first] of [
      ['库存', '请告诉我要查哪个物料，例如：库存 M8螺栓。'],
      ['订单 12345', '「12345」不是销售订单号，单号形如 SO-20261122-0001。'],
      ['今天天气怎么样', '没听懂「今天天气怎么样」。'],
      ['帮助', '云桥机器人可以帮你查：'],
    ] as const) {
      const reply = await ask(text, { senderId: 'zhao.ck' });
      expect(reply.card).toBeUndefined();
      expect(reply.text.split('\n')[0]).toBe(first);
      expect(reply.text).toContain('库存 <品名或编码>');
      expect(reply.text).toContain('订单 <单号>');
    }
  });

  it('待审批：暂时没有', async () => {
    expect(await ask('@云桥 待审批', { senderId: 'zhang.jl' })).toEqual({ text: '暂无待审批事项' });
  });

  it('出错时道歉并记日志，不抛异常', async () => {
    const broken = { system: { companyPlatform: { findUnique: () => Promise.reject(new Error('数据库连不上')) } } } as unknown as Database;
    const before = errors.length;
    expect(await answerChat({ ...deps, database: broken }, msg('库存 M8螺栓'))).toEqual({ text: REPLIES.sorry });
    expect(errors.length).toBe(before + 1);
    expect(errors.at(-1)).toMatchObject({ platform: 'wecom', orgKey: 'ww-test' });
    expect(errors.slice(0, before)).toEqual([]); // nothing else failed along the way
  });
});
