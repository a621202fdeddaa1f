// 对账单 card: exact figures, the 查看 link to the statement page with its dates, and the customer's
// name (user text) never turning into a link or a mention on any channel.
import { describe, expect, it } from 'vitest';
import { customerStatementCard } from '../../bot/cards/customer-statement.ts';
import { renderLarkCard } from '../../bot/channels/lark/render.ts';
import { renderWecomMarkdown } from '../../bot/channels/wecom/render.ts';
import { renderRobotMarkdownText } from '../../bot/channels/dingtalk/render.ts';

const card = customerStatementCard(
  { customerId: 'c1', customerName: '<at id=all>[点我](https://evil.example)', from: '2026-10-01', to: '2026-10-31', opening: '1130', invoiced: '565', received: '800', closing: '-895.5' },
  { baseUrl: 'https://yq.example.cn' },
);

describe('对账单卡片', () => {
  it('期初、本期开票、本期收款、期末按金额格式；查看链接带日期', () => {
    expect(card.fields).toEqual([
      { label: '期初', value: '¥1,130.00' },
      { label: '本期开票', value: '¥565.00' },
      { label: '本期收款', value: '¥800.00' },
      { label: '期末', value: '-¥895.50' },
    ]);
    expect(card.link).toEqual({ text: '查看', url: 'https://yq.example.cn/m/#/receivables/c1?from=2026-10-01&to=2026-10-31' });
  });

  it('客户名称是用户输入：飞书标题为纯文本，企业微信与钉钉的 markdown 里不成链接也不 @ 所有人', () => {
    const lark = renderLarkCard(card, { publicBaseUrl: 'https://yq.example.cn' }) as { header: { title: { tag: string } } };
    expect(lark.header.title.tag).toBe('plain_text');
    for (const md of [renderWecomMarkdown(card), renderRobotMarkdownText(card)]) {
      expect(md).not.toContain('](https://evil');
      expect(md).not.toContain('<at');
      expect(md).toContain('＜at id=all＞［点我］(https：//evil.example)');
      expect(md).toContain('¥1,130.00');
    }
  });
});
