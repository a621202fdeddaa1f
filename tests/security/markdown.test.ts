// Markdown injection into chat cards: a customer named `[点此付款](http://evil.example/pay)` (or an
// image, an <at>, a bare URL, a heading) stays text in every platform's rendered card, and a card
// links only under PUBLIC_BASE_URL. Pure functions; the last test renders the real order card.
import { describe, expect, it } from 'vitest';
import { orderAnswerCard } from '../../bot/cards/order.ts';
import { cardLinkAllowed, escapeLarkMd, escapePlainMarkdown } from '../../bot/cards/markdown.ts';
import { renderCardParamMap, renderRobotCard, renderSampleMarkdown } from '../../bot/channels/dingtalk/render.ts';
import { renderLarkCard } from '../../bot/channels/lark/render.ts';
import { renderWecomMarkdown, renderWecomTemplateCard } from '../../bot/channels/wecom/render.ts';
import type { CardView } from '../../server/platform/channels.ts';
import type { SalesOrder } from '../../shared/schemas/sales/orders.ts';

const BASE = 'https://yq.example';
const EVIL_NAME = '[点此付款](http://evil.example/pay)';
const EVIL_IMAGE = '![t](http://evil.example/t.png)';

/** Nothing a markdown renderer would turn into a link, an image, a tag or an autolink. */
function expectInert(rendered: string): void {
  expect(rendered).not.toMatch(/\]\(/); // [text](url) / ![alt](url)
  expect(rendered).not.toMatch(/<at|<font color="red"|<http/);
  expect(rendered).not.toContain('http://evil');
}

describe('escapeLarkMd / escapePlainMarkdown', () => {
  it.each([
    [EVIL_NAME, '&#91;点此付款&#93;(http&#58;//evil.example/pay)', '［点此付款］(http：//evil.example/pay)'],
    [EVIL_IMAGE, '!&#91;t&#93;(http&#58;//evil.example/t.png)', '!［t］(http：//evil.example/t.png)'],
    ['<at id=all></at>', '&lt;at id=all&gt;&lt;/at&gt;', '＜at id=all＞＜/at＞'],
    ['见 https://evil.example', '见 https&#58;//evil.example', '见 https：//evil.example'],
    ['**最近进展**', '**最近进展**', '**最近进展**'],
    ['M8螺栓(镀锌) ¥1,234.50', 'M8螺栓(镀锌) ¥1,234.50', 'M8螺栓(镀锌) ¥1,234.50'],
  ])('%s', (input, lark, plain) => {
    expect(escapeLarkMd(input)).toBe(lark);
    expect(escapePlainMarkdown(input)).toBe(plain);
  });

  it('business text cannot start a heading, list or quote in DingTalk / WeCom markdown', () => {
    expect(escapePlainMarkdown('# 已付款\n- 第一条\n1. 第二条\n> 引用')).toBe('\u200b# 已付款\n\u200b- 第一条\n\u200b1. 第二条\n＞ 引用');
  });

  it('links only under PUBLIC_BASE_URL (or same-site without one)', () => {
    expect(cardLinkAllowed(`${BASE}/m/#/sales-orders/1`, `${BASE}/`)).toBe(true);
    expect(cardLinkAllowed('https://yq.example.evil.example/m/', BASE)).toBe(false);
    expect(cardLinkAllowed('http://evil.example/pay', BASE)).toBe(false);
    expect(cardLinkAllowed('/m/#/approvals', undefined)).toBe(true);
    expect(cardLinkAllowed('//evil.example/m/', undefined)).toBe(false);
    expect(cardLinkAllowed('https://yq.example/m/', undefined)).toBe(false);
  });
});

describe('every card renderer', () => {
  const evilCard: CardView = {
    title: `缺料提醒：${EVIL_NAME}`,
    tone: 'warning',
    fields: [{ label: '客户', value: EVIL_NAME }, { label: '物料', value: EVIL_IMAGE }],
    lines: ['**最近进展**', `${EVIL_IMAGE} <at id=all></at> 见 http://evil.example/x`],
    link: { text: '去付款', url: 'http://evil.example/pay' },
    footer: `<font color="red">${EVIL_NAME}</font>`,
  };

  it('Feishu lark_md: escaped, the foreign link dropped, our own kept (title and note are plain_text)', () => {
    const json = JSON.stringify(renderLarkCard(evilCard, { publicBaseUrl: BASE }));
    const larkMd = [...json.matchAll(/\{"tag":"lark_md","content":"((?:[^"\\]|\\.)*)"\}/g)].map((m) => m[1]!);
    expect(larkMd).toHaveLength(3);
    for (const c of larkMd) expectInert(c);
    expect(json).toContain('&#91;点此付款&#93;');
    expect(json).not.toContain('"url"');
    const ours = renderLarkCard({ ...evilCard, link: { text: '查看', url: `${BASE}/m/#/x` } }, { publicBaseUrl: BASE });
    expect(JSON.stringify(ours)).toContain(`"url":"${BASE}/m/#/x"`);
  });

  it('DingTalk card variables, robot markdown / actionCard and sampleMarkdown: escaped, no foreign link', () => {
    const params = renderCardParamMap(evilCard, { publicBaseUrl: BASE });
    for (const key of ['fields', 'lines', 'markdown']) expectInert(params[key]!);
    expect(params.fields).toContain('**客户**：［点此付款］(http：//evil.example/pay)');
    expect(params.link).toBe('');
    const robot = renderRobotCard(evilCard, { publicBaseUrl: BASE });
    expect(robot.msgtype).toBe('markdown'); // no actionCard button to a foreign URL
    if (robot.msgtype === 'markdown') expectInert(robot.markdown.text);
    expectInert(renderSampleMarkdown(evilCard, { publicBaseUrl: BASE }).text);
  });

  it('WeCom markdown and template card: escaped, no foreign link', () => {
    const md = renderWecomMarkdown(evilCard, { publicBaseUrl: BASE });
    expectInert(md);
    expect(md).toContain('> 客户: ［点此付款］(http：//evil.example/pay)');
    const tc = renderWecomTemplateCard(evilCard, { taskId: 'yq-1', fallbackUrl: `${BASE}/m/`, publicBaseUrl: BASE })!;
    expect(JSON.stringify(tc)).not.toContain('evil.example/pay"');
    expect(tc.card_action).toEqual({ type: 1, url: `${BASE}/m/` });
    expect(tc.jump_list).toBeUndefined();
  });

  it('the order answer card for a customer named like a link renders inert on every platform', () => {
    const order = {
      id: 'o-1', number: 'SO-1', state: 'confirmed', shipmentProgress: 'none', orderDate: '2026-12-01', requestedDate: null,
      currencyCode: 'CNY', totalWithTax: '1130.00', advanceReceived: '0', customer: { name: EVIL_NAME }, owner: { name: '李销售' },
      lines: [{ lineNo: 1, item: { name: EVIL_IMAGE }, unit: { name: '个' }, quantity: '10', shippedQuantity: '0', returnedQuantity: '0', factor: '1' }],
      timeline: [{ at: '2026-12-01T10:00:00+08:00', actor: { name: '李销售' }, message: `备注 ${EVIL_NAME}` }],
    } as unknown as SalesOrder;
    const card = orderAnswerCard(order, { baseUrl: BASE });
    const lark = renderLarkCard(card, { publicBaseUrl: BASE });
    expectInert(JSON.stringify(lark.elements.filter((e) => e.tag === 'div'))); // the lark_md parts
    expect(JSON.stringify(lark)).toContain(`${BASE}/m/#/sales-orders/o-1`);
    expectInert(renderCardParamMap(card, { publicBaseUrl: BASE }).markdown!);
    expectInert(renderWecomMarkdown(card, { publicBaseUrl: BASE }).replace(`(${BASE}/m/#/sales-orders/o-1)`, ''));
    expect(renderWecomMarkdown(card, { publicBaseUrl: BASE })).toContain(`[查看订单](${BASE}/m/#/sales-orders/o-1)`);
  });
});
