// 凭证打印页 through the HTTP API: 记账凭证 layout with the figures and the 大写金额, user text escaped,
// permission and company boundaries; the 附单据数 typed on a manual voucher (kept, shown, printed;
// refused when not a count).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient;

beforeAll(async () => {
  t = await createTestApp();
  [qian, li] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs')]);
});
afterAll(async () => t?.close());

describe('凭证打印', () => {
  it('记账凭证格式：单位、日期、记字号、分录、合计与大写金额、制单人；摘要里的 <script> 被转义；A4 与凭证纸', async () => {
    const chart = (await qian('get', '/api/v1/accounts')).body.items as { code: string; id: string }[];
    const of = (code: string) => chart.find((a) => a.code === code)!.id;
    const made = await qian('post', '/api/v1/vouchers').send({
      date: '2026-12-05', summary: '备用金<script>alert(1)</script>',
      lines: [
        { accountId: of('1001'), debit: '1234.50', summary: '提现<script>alert(1)</script>' },
        { accountId: of('1002'), credit: '1234.50', summary: '提现 & 转出' },
      ],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const res = await qian('get', `/api/v1/vouchers/${made.body.id}/print`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("style-src 'self'");
    const html = res.text;
    const company = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).name;
    expect(html).toContain(`核算单位：${company}`);
    expect(html).toContain('2026 年 12 月 05 日');
    expect(html).toContain(`记字第 ${made.body.number.replace('记-', '')} 号`);
    expect(html).toContain('1001 库存现金');
    expect(html).toContain('<td class="amount">1,234.50</td><td class="amount"></td>');
    expect(html).toContain('合计：人民币（大写）壹仟贰佰叁拾肆元伍角整</td><td class="amount">1,234.50</td><td class="amount">1,234.50</td>');
    expect(html).toContain('附单据 0 张');
    expect(html).toContain(`制单：${made.body.createdBy.name}`);
    expect(html).not.toContain('<script>');
    expect(html).toContain('提现&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('提现 &amp; 转出');
    expect(html).toContain('<body class="paper-a4">');

    const paper = await qian('get', `/api/v1/vouchers/${made.body.id}/print?paper=voucher`);
    expect(paper.text).toContain('<body class="paper-voucher">');
    expect((await qian('get', `/api/v1/vouchers/${made.body.id}/print?paper=a5`)).status).toBe(400);
    const css = await t.http().get('/api/v1/print/voucher.css');
    expect(css.status).toBe(200);
    expect(css.text).toContain('@page voucher { size: 240mm 140mm;');
    expect(css.text).toContain('size: A4');

    // No voucher:read → 403; another company's voucher → 404.
    expect((await li('get', `/api/v1/vouchers/${made.body.id}/print`)).status).toBe(403);
    await createSecondCompany(t);
    const other = await as(t, 'other.admin', { companyCode: 'OTHERCO' });
    expect((await other('get', `/api/v1/vouchers/${made.body.id}/print`)).status).toBe(404);
  });
});

describe('附单据数', () => {
  it('手工凭证录入的附单据数保存在凭证上、打印为「附单据 3 张」；负数或小数 → 400 指明附单据数，什么都不写', async () => {
    const chart = (await qian('get', '/api/v1/accounts')).body.items as { code: string; id: string }[];
    const of = (code: string) => chart.find((a) => a.code === code)!.id;
    const body = (attachmentCount: unknown) => ({
      date: '2026-12-06', summary: '报销差旅费', attachmentCount,
      lines: [{ accountId: of('5602'), debit: '356.00' }, { accountId: of('1001'), credit: '356.00' }],
    });
    const before = await t.database.system.voucher.count();
    for (const bad of [-1, 1.5, '3']) {
      const res = await qian('post', '/api/v1/vouchers').send(body(bad));
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'body.attachmentCount', label: '附单据数' })]);
    }
    expect(await t.database.system.voucher.count()).toBe(before);

    const made = await qian('post', '/api/v1/vouchers').send(body(3));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.attachmentCount).toBe(3);
    expect((await qian('get', `/api/v1/vouchers/${made.body.id}`)).body.attachmentCount).toBe(3);
    expect((await qian('get', `/api/v1/vouchers/${made.body.id}/print`)).text).toContain('附单据 3 张');
  });
});
