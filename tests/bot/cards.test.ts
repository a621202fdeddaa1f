// Card view-models (bot/cards): pure builders, table-driven — figures, units, amounts, links, order.
import { describe, expect, it } from 'vitest';
import {
  cardToText, formatAmount, formatQuantity, miniAppUrl, orderAnswerCard, orderProgressCard, parseOrderProgressPayload,
  parseShortagePayload, shortageCard, shortageDigestCard, shortTime, stockAnswerCard, stockCandidatesText, type ShortagePayload,
  formatStockQuantity,
} from '../../bot/cards/index.ts';
import { helpText } from '../../bot/commands/help.ts';
import type { SalesOrder } from '../../shared/schemas/sales/orders.ts';
import type { StockPosition } from '../../shared/schemas/stock.ts';

const base = 'https://erp.example.cn';

describe('数量、金额、时间、链接的写法', () => {
  it.each([
    ['50000.0000', '个', '50,000 个'],
    ['1.5000', '吨', '1.5 吨'],
    ['0.0000', '个', '0 个'],
    ['1234567.1250', null, '1,234,567.125'],
    ['-20.5000', '箱', '-20.5 箱'],
    ['-0.00001', undefined, '0'],
    ['0.12345', 'kg', '0.1235 kg'],
    ['10', undefined, '10'],
    ['不是数字', '个', '不是数字'],
  ])('formatQuantity(%s, %s) → %s', (q, unit, expected) => {
    expect(formatQuantity(q, unit)).toBe(expected);
  });

  it.each([
    ['1639.45', 'CNY', '¥1,639.45'],
    ['0', 'CNY', '¥0.00'],
    ['2500', 'USD', 'USD 2,500.00'],
    ['-12.345', 'EUR', '-EUR 12.35'],
  ])('formatAmount(%s, %s) → %s', (a, c, expected) => {
    expect(formatAmount(a, c)).toBe(expected);
  });

  it.each([
    ['2026-11-22T15:03:08.123+08:00', '11-22 15:03'],
    ['2026-01-02T00:00:00+08:00', '01-02 00:00'],
    ['not a time', 'not a time'],
  ])('shortTime(%s) → %s', (iso, expected) => {
    expect(shortTime(iso)).toBe(expected);
  });

  it.each([
    [undefined, 'stock/1', '/m/#/stock/1'],
    ['https://erp.example.cn', 'stock/1', 'https://erp.example.cn/m/#/stock/1'],
    ['https://erp.example.cn/', '/sales-orders/9', 'https://erp.example.cn/m/#/sales-orders/9'],
    ['https://x.cn/yq//', 'bind?platform=wecom', 'https://x.cn/yq/m/#/bind?platform=wecom'],
  ])('miniAppUrl(%s, %s) → %s', (b, route, expected) => {
    expect(miniAppUrl(b, route)).toBe(expected);
  });
});

const shortage = (o: Partial<ShortagePayload> & Pick<ShortagePayload, 'itemId' | 'code'>): ShortagePayload => ({
  name: `物料${o.code}`, spec: null, available: '0.0000', safetyStock: '100.0000', onOrder: '0.0000', suggestedQuantity: '100.0000', ...o,
});

describe('缺料预警卡片', () => {
  const m8 = shortage({
    itemId: 'i-m8', code: 'FG-BLT-M8X30', name: 'M8螺栓', spec: 'M8×30 外六角', unit: '个',
    available: '5000.0000', safetyStock: '20000.0000', onOrder: '3000.0000', suggestedQuantity: '12000.0000',
  });

  it('单个物料：可用、安全库存、缺口、在订、建议采购，带单位；链接到小程序库存页', () => {
    const card = shortageCard(m8, { baseUrl: base });
    expect(card).toMatchObject({ title: '缺料预警：M8螺栓', tone: 'warning', link: { text: '查看库存', url: `${base}/m/#/stock/i-m8` } });
    expect(card.fields).toEqual([
      { label: '物料编码', value: 'FG-BLT-M8X30' },
      { label: '可用', value: '5,000 个' },
      { label: '安全库存', value: '20,000 个' },
      { label: '缺口', value: '15,000 个' },
      { label: '在订', value: '3,000 个' },
      { label: '建议采购', value: '12,000 个' },
    ]);
    expect(card.lines?.[0]).toBe('规格：M8×30 外六角');
  });

  it.each([
    ['0.0000', 'danger'],
    ['-5.0000', 'danger'],
    ['0.5000', 'warning'],
  ])('可用 %s → 色调 %s', (available, tone) => {
    expect(shortageCard(shortage({ itemId: 'a', code: 'A', available })).tone).toBe(tone);
  });

  it('没有单位、没有规格时只写数字', () => {
    const card = shortageCard(shortage({ itemId: 'a', code: 'A', available: '12.5000', safetyStock: '20.0000' }));
    expect(card.fields.find((f) => f.label === '缺口')!.value).toBe('7.5');
    expect(card.lines).toEqual(['可用库存已低于安全库存，请安排采购或生产。']);
    expect(card.link!.url).toBe('/m/#/stock/a');
  });

  it('摘要：一张卡片，每个物料一行，缺口大的在前（缺口相同按编码），同一物料只算一次', () => {
    const items = [
      shortage({ itemId: '1', code: 'B', available: '90.0000' }), // gap 10
      shortage({ itemId: '2', code: 'C', available: '0.0000', safetyStock: '500.0000', unit: '个' }), // gap 500
      shortage({ itemId: '3', code: 'A', available: '90.0000' }), // gap 10
      shortage({ itemId: '1', code: 'B', available: '40.0000' }), // later figures for item 1: gap 60
    ];
    const card = shortageDigestCard(items, { baseUrl: base });
    expect(card.title).toBe('缺料预警：3 种物料低于安全库存');
    expect(card.tone).toBe('danger');
    expect(card.fields).toEqual([{ label: '物料', value: '3 种' }, { label: '已无可用库存', value: '1 种' }]);
    expect(card.lines!.map((l) => /（(\w+)）/.exec(l)![1])).toEqual(['C', 'B', 'A']);
    expect(card.lines![0]).toBe('**物料C**（C）可用 0 个 / 安全 500 个，缺 500 个，在订 0 个，建议采购 100 个');
    expect(card.link!.url).toBe(`${base}/m/#/stock?belowSafety=true`);
  });

  it('摘要：50 个物料只列前 15 行，其余一句带过', () => {
    const items = Array.from({ length: 50 }, (_, i) => shortage({ itemId: `i${i}`, code: `C${String(i).padStart(2, '0')}`, available: String(i) }));
    const card = shortageDigestCard(items);
    expect(card.lines).toHaveLength(16);
    expect(card.lines![0]).toContain('（C00）');
    expect(card.lines![14]).toContain('（C14）');
    expect(card.lines![15]).toBe('……另有 35 种物料，请在小程序查看');
    expect(card.tone).toBe('danger');
  });

  it('摘要里只有一个物料时就是单个物料的卡片', () => {
    expect(shortageDigestCard([m8], { baseUrl: base })).toEqual(shortageCard(m8, { baseUrl: base }));
  });

  it('发件箱载荷：合规的通过，不合规的得到 null', () => {
    expect(parseShortagePayload({ ...m8, unit: undefined })).toMatchObject({ itemId: 'i-m8', available: '5000.0000' });
    expect(parseShortagePayload({ itemId: 'x' })).toBeNull();
    expect(parseShortagePayload({ ...m8, available: 'lots' })).toBeNull();
    expect(parseShortagePayload(null)).toBeNull();
  });
});

describe('订单进度卡片', () => {
  const step = { orderType: 'salesOrder' as const, orderId: 'o-1', number: 'SO-20261122-0001', kind: 'shipped', message: '发货 10 箱（SH-20261123-0001）', actor: '赵仓管', data: null };

  it.each([
    ['shipped', 'success', '销售订单 SO-20261122-0001 · 发货'],
    ['confirmed', 'success', '销售订单 SO-20261122-0001 · 确认'],
    ['cancelled', 'danger', '销售订单 SO-20261122-0001 · 取消'],
    ['created', 'info', '销售订单 SO-20261122-0001 · 新建'],
    ['somethingNew', 'info', '销售订单 SO-20261122-0001'],
  ])('%s → %s', (kind, tone, title) => {
    const card = orderProgressCard({ ...step, kind }, { baseUrl: base });
    expect(card).toMatchObject({ tone, title, link: { text: '查看订单', url: `${base}/m/#/sales-orders/o-1` } });
    expect(card.fields).toEqual([
      { label: '单号', value: 'SO-20261122-0001' },
      { label: '进展', value: '发货 10 箱（SH-20261123-0001）' },
      { label: '操作人', value: '赵仓管' },
    ]);
  });

  it('采购订单链接到采购订单页；没有操作人时不写', () => {
    const card = orderProgressCard({ ...step, orderType: 'purchaseOrder', number: 'PO-20261122-0003', kind: 'received', actor: null });
    expect(card.title).toBe('采购订单 PO-20261122-0003 · 入库');
    expect(card.link!.url).toBe('/m/#/purchase-orders/o-1');
    expect(card.fields.map((f) => f.label)).toEqual(['单号', '进展']);
  });

  it('发件箱载荷', () => {
    expect(parseOrderProgressPayload(step)).toMatchObject({ number: 'SO-20261122-0001' });
    expect(parseOrderProgressPayload({ ...step, orderType: 'quotation' })).toBeNull();
  });
});

const wh = (code: string, name: string) => ({ id: `w-${code}`, code, name });
const figures = (onHand: string, reserved: string, onOrder = '0.0000', pending = '0.0000', rejected = '0.0000') => ({
  onHand, reserved, available: (Number(onHand) - Number(reserved)).toFixed(4), onOrder, pending, rejected,
});
const position: StockPosition = {
  item: { id: 'i-m8', code: 'FG-BLT-M8X30', name: 'M8螺栓', spec: 'M8×30', unit: '个', batchTracked: false },
  safetyStock: '20000.0000', belowSafety: true, averageCost: '0.032200', value: '1610.00',
  total: figures('50000.0000', '35000.0000', '8000.0000', '100.0000'),
  warehouses: [
    { warehouse: wh('WH01', '原料仓'), ...figures('0.0000', '0.0000', '8000.0000'), value: '0.00' },
    { warehouse: wh('WH02', '成品仓'), ...figures('50000.0000', '35000.0000', '0.0000', '100.0000'), value: '1610.00' },
  ],
  batches: [],
};

describe('库存回答卡片', () => {
  it('每个仓库：在库 / 预留 / 可用 / 在订（待检有数时也写），合计与安全库存；低于安全库存时提醒', () => {
    const card = stockAnswerCard(position, { baseUrl: base });
    expect(card).toMatchObject({ title: '库存：M8螺栓', tone: 'warning', link: { url: `${base}/m/#/stock/i-m8` } });
    expect(card.fields).toEqual([
      { label: '物料编码', value: 'FG-BLT-M8X30' },
      { label: '在库合计', value: '50,000 个' },
      { label: '预留合计', value: '35,000 个' },
      { label: '可用合计', value: '15,000 个' },
      { label: '在订合计', value: '8,000 个' },
      { label: '安全库存', value: '20,000 个' },
    ]);
    expect(card.lines).toEqual([
      '规格：M8×30',
      '**原料仓**：在库 0 个 · 预留 0 个 · 可用 0 个 · 在订 8,000 个',
      '**成品仓**：在库 50,000 个 · 预留 35,000 个 · 可用 15,000 个 · 在订 0 个 · 待检 100 个',
      '**可用合计低于安全库存 20,000 个**',
    ]);
  });

  it('没有库存、没有安全库存', () => {
    const card = stockAnswerCard({ ...position, item: { ...position.item, spec: null }, safetyStock: '0.0000', belowSafety: false, warehouses: [], total: figures('0', '0') });
    expect(card.tone).toBe('info');
    expect(card.fields.at(-1)).toEqual({ label: '安全库存', value: '未设置' });
    expect(card.lines).toEqual(['各仓库都没有库存，也没有在订。']);
  });

  it('多个匹配：说共几个，列出前 5 个，带编码', () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ id: `${i}`, code: `FG-${i}`, name: `螺栓${i}`, spec: i === 0 ? 'M8×20' : null, unit: '个' }));
    expect(stockCandidatesText('M8', items).split('\n')).toEqual([
      '「M8」共匹配到 7 个物料，列出前 5 个，请用编码再问一次：',
      '1. FG-0 螺栓0（M8×20）', '2. FG-1 螺栓1', '3. FG-2 螺栓2', '4. FG-3 螺栓3', '5. FG-4 螺栓4',
      '例如：库存 FG-0',
    ]);
    // 23 in all, the first 10 found: the count is the total, the list its first 5
    expect(stockCandidatesText('M8', items, 23).split('\n')[0]).toBe('「M8」共匹配到 23 个物料，列出前 5 个，请用编码再问一次：');
    expect(stockCandidatesText('M8', items.slice(0, 2)).split('\n')).toHaveLength(4);
    expect(stockCandidatesText('M8', items.slice(0, 2)).split('\n')[0]).toBe('「M8」共匹配到 2 个物料，请用编码再问一次：');
  });

  it('有销售单位的物料：按销售单位写，括号里是基本单位', () => {
    const card = stockAnswerCard(position, { salesUnit: { name: '箱', factor: '1000.000000' } });
    expect(card.fields.slice(1)).toEqual([
      { label: '在库合计', value: '50 箱（50,000 个）' },
      { label: '预留合计', value: '35 箱（35,000 个）' },
      { label: '可用合计', value: '15 箱（15,000 个）' },
      { label: '在订合计', value: '8 箱（8,000 个）' },
      { label: '安全库存', value: '20 箱（20,000 个）' },
    ]);
    expect(card.lines).toContain('**成品仓**：在库 50 箱（50,000 个） · 预留 35 箱（35,000 个） · 可用 15 箱（15,000 个） · 在订 0 个 · 待检 0.1 箱（100 个）');
    expect(formatStockQuantity('3500.0000', '个', { name: '箱', factor: '1000.000000' })).toBe('3.5 箱（3,500 个）');
    expect(formatStockQuantity('1.0000', '个', { name: '箱', factor: '3.000000' })).toBe('0.3333 箱（1 个）');
    expect(formatStockQuantity('1500.0000', '个', null)).toBe('1,500 个');
  });
});

const order = (over: Partial<SalesOrder> = {}): SalesOrder => ({
  id: 'o-1', number: 'SO-20261122-0001', customer: { id: 'c', code: 'C0002', name: '宁波海天机械有限公司' }, owner: { id: 'u', name: '李销售' },
  warehouse: { id: 'w', code: 'WH02', name: '成品仓' }, quotation: null, currencyCode: 'CNY', exchangeRate: '1.000000', orderDate: '2026-11-22',
  requestedDate: '2026-12-01', paymentTermDays: 30, prepaymentRequired: false, state: 'confirmed', stateLabel: '已确认', shipmentProgress: 'partial',
  invoiceProgress: 'none', paymentProgress: 'none', listTotal: '1721.95', totalAmount: '1450.84', totalTax: '188.61', totalWithTax: '1639.45',
  advanceReceived: '500.00', creditOverride: false, remark: null, confirmedAt: null, createdAt: '2026-11-22T10:00:00.000+08:00',
  updatedAt: '2026-11-22T10:00:00.000+08:00', version: 3,
  lines: [
    {
      id: 'l1', lineNo: 1, item: { id: 'i1', code: 'FG-BLT-M8X30', name: 'M8螺栓', spec: null }, unit: { id: 'box', name: '箱' }, factor: '1000.000000',
      quantity: '30.0000', baseQuantity: '30000.0000', listPrice: '55', unitPrice: '52.25', discountRate: '0.05', taxRate: '0.13', amount: '0', taxAmount: '0',
      amountWithTax: '1567.50', warehouse: { id: 'w', code: 'WH02', name: '成品仓' }, requestedDate: null, shippedQuantity: '10000.0000',
      returnedQuantity: '2000.0000', reservedQuantity: '20000.0000', shortQuantity: '0.0000',
    },
  ],
  timeline: [
    { id: '1', kind: 'created', message: '新建订单', data: null, actor: { id: 'u', name: '李销售' }, at: '2026-11-22T10:00:00.000+08:00' },
    { id: '2', kind: 'confirmed', message: '确认订单', data: null, actor: { id: 'u', name: '李销售' }, at: '2026-11-22T10:05:00.000+08:00' },
    { id: '3', kind: 'shipped', message: '发货（SH-20261123-0001）', data: null, actor: { id: 'z', name: '赵仓管' }, at: '2026-11-23T09:30:00.000+08:00' },
    { id: '4', kind: 'advanceReceived', message: '预收款 ¥500.00', data: null, actor: null, at: '2026-11-23T11:00:00.000+08:00' },
  ],
  ...over,
});

describe('订单回答卡片', () => {
  it('状态、客户、金额、发货、预收款；每行已发/订购（订单单位）；最近三步', () => {
    const card = orderAnswerCard(order(), { baseUrl: base });
    expect(card).toMatchObject({ title: '销售订单 SO-20261122-0001', tone: 'info', link: { text: '查看订单', url: `${base}/m/#/sales-orders/o-1` } });
    expect(card.fields).toEqual([
      { label: '客户', value: '宁波海天机械有限公司' },
      { label: '状态', value: '已确认' },
      { label: '金额', value: '¥1,639.45' },
      { label: '发货', value: '部分发货' },
      { label: '已收预收款', value: '¥500.00' },
      { label: '销售员', value: '李销售' },
    ]);
    expect(card.lines).toEqual([
      '下单 2026-11-22 · 交期 2026-12-01',
      '1. M8螺栓：已发 10 / 30 箱，已退 2 箱',
      '**最近进展**',
      '11-22 10:05 李销售 确认订单',
      '11-23 09:30 赵仓管 发货（SH-20261123-0001）',
      '11-23 11:00 预收款 ¥500.00',
    ]);
  });

  it.each([
    [{ state: 'cancelled' as const }, 'danger'],
    [{ state: 'pendingApproval' as const }, 'warning'],
    [{ shipmentProgress: 'full' as const }, 'success'],
  ])('%o → %s', (over, tone) => {
    expect(orderAnswerCard(order(over)).tone).toBe(tone);
  });

  it('外币金额写币种；明细多于 5 行只列 5 行', () => {
    const l = order().lines![0]!;
    const lines = Array.from({ length: 7 }, (_, i) => ({ ...l, id: `l${i}`, lineNo: i + 1, returnedQuantity: '0.0000' }));
    const card = orderAnswerCard(order({ currencyCode: 'USD', lines, timeline: [] }));
    expect(card.fields.find((f) => f.label === '金额')!.value).toBe('USD 1,639.45');
    expect(card.lines).toHaveLength(1 + 5 + 1);
    expect(card.lines!.at(-1)).toBe('……另有 2 行');
  });
});

describe('卡片的纯文本形式与帮助', () => {
  it('标题、字段、行（去掉粗体记号）、链接', () => {
    expect(cardToText({ title: '库存：M8', tone: 'info', fields: [{ label: '可用', value: '1 个' }], lines: ['**成品仓**：在库 1 个'], link: { text: '查看', url: '/m/#/stock/1' }, footer: '云桥' }))
      .toBe('【库存：M8】\n可用：1 个\n成品仓：在库 1 个\n查看：/m/#/stock/1\n云桥');
  });

  it('帮助列出全部命令；有原因时先说原因', () => {
    const plain = helpText();
    for (const c of ['库存 <品名或编码>', '订单 <单号>', '待审批', '帮助']) expect(plain).toContain(c);
    expect(helpText('没听懂「你好」').split('\n')[0]).toBe('没听懂「你好」。');
    expect(helpText('请告诉我订单号，例如：订单 SO-20261122-0001').split('\n')[0]).toBe('请告诉我订单号，例如：订单 SO-20261122-0001。');
  });
});
