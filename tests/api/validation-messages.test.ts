// What a refused request says, through the real API: Chinese, the field by its label and row
// ("第 1 行 数量"), missing told apart from wrong, one message per problem, a 403 naming the action
// in words, and an unknown list parameter refused instead of ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient, li: AuthedClient;
const id = { customer: '', item: '' };

beforeAll(async () => {
  t = await createTestApp();
  [admin, li] = await Promise.all([as(t, 'admin'), as(t, 'li.xs')]);
  id.customer = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  id.item = (await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
});
afterAll(async () => t?.close());

const order = (lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) => li('post', '/api/v1/sales-orders').send({ customerId: id.customer, lines, ...extra });

describe('校验消息：中文，按字段名称和行号', () => {
  it('第 2 行数量为 0：消息是「第 2 行 数量必须大于 0」，details 给出字段、名称和原因', async () => {
    const res = await order([{ itemId: id.item, quantity: '1' }, { itemId: id.item, quantity: '0' }]);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: '第 2 行 数量必须大于 0',
      details: [{ field: 'body.lines.1.quantity', label: '第 2 行 数量', message: '数量必须大于 0' }],
    });
  });

  it('缺少数量是「为必填项」，数量填了文字或 true 是「应为数字」', async () => {
    const missing = await order([{ itemId: id.item }]);
    expect([missing.status, missing.body.error.message]).toEqual([400, '第 1 行 数量为必填项']);
    const text = await order([{ itemId: id.item, quantity: '十个' }]);
    expect([text.status, text.body.error.message]).toEqual([400, '第 1 行 数量：应为数字']);
    const bool = await order([{ itemId: id.item, quantity: true }]);
    expect([bool.status, bool.body.error.message]).toEqual([400, '第 1 行 数量：应为数字']);
    const noCustomer = await li('post', '/api/v1/sales-orders').send({ lines: [{ itemId: id.item, quantity: '1' }] });
    expect(noCustomer.body.error.message).toBe('客户为必填项');
    const badCustomer = await order([{ itemId: id.item, quantity: '1' }], { customerId: 'C0002' });
    expect(badCustomer.body.error.message).toBe('客户：必须是有效的 ID（UUID）');
  });

  it('一个问题一条消息：「abc」只报应为数字，不叠加小数位、范围等；几个字段各一条', async () => {
    const res = await order([{ itemId: id.item, quantity: 'abc', discountRate: 'x' }], { paymentTermDays: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'body.paymentTermDays', label: '账期（天）', message: '账期必须是整数天数' },
      { field: 'body.lines.0.quantity', label: '第 1 行 数量', message: '应为数字' },
      { field: 'body.lines.0.discountRate', label: '第 1 行 折扣率', message: '应为数字' },
    ]);
    expect(res.body.error.message).toBe('账期必须是整数天数；第 1 行 数量：应为数字；第 1 行 折扣率：应为数字');
  });

  it('服务端的校验同样用字段名称：不存在的客户是「客户不存在」，不是 body.customerId', async () => {
    const res = await order([{ itemId: id.item, quantity: '1' }], { customerId: '00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('客户不存在');
    expect(res.body.error.details).toEqual([{ field: 'body.customerId', label: '客户', message: '客户不存在' }]);
  });
});

describe('403 用文字说出操作', () => {
  it('销售员发货：没有发货和销售退货的权限，不出现 shipment:create', async () => {
    const res = await li('post', `/api/v1/sales-orders/${crypto.randomUUID()}/shipments`).send({ lines: [] });
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({ code: 'FORBIDDEN', message: '没有发货和销售退货的权限' });
  });

  it('销售员删除物料：没有删除物料的权限', async () => {
    const res = await li('delete', `/api/v1/items/${id.item}`);
    expect([res.status, res.body.error.message]).toEqual([403, '没有删除物料的权限']);
  });
});

describe('列表不认识的查询参数：拒绝并说出参数名', () => {
  it('物料列表 ?search= → 400，提示用 q；?q= 照常搜索', async () => {
    const res = await admin('get', '/api/v1/items?search=M8');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: '不支持的查询参数 search（搜索请用 q）',
      details: [{ field: 'query.search', label: 'search', message: '不支持的查询参数 search（搜索请用 q）' }],
    });
    const ok = await admin('get', '/api/v1/items?q=M8&page=1&pageSize=5&sort=code&kind=finished');
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.items.length).toBeGreaterThan(0);
  });

  it('别的参数名：大小写写错会指出正确写法，完全不认识的列出支持的参数', async () => {
    const cased = await admin('get', '/api/v1/sales-orders?pagesize=5');
    expect([cased.status, cased.body.error.message]).toEqual([400, '不支持的查询参数 pagesize（pagesize 应写作 pageSize）']);
    const unknown = await admin('get', '/api/v1/customers?colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^不支持的查询参数 colour（支持的参数：page、pageSize、q、sort、/);
  });

  it('分页参数写错：中文说明，不是 page 必须是数字', async () => {
    const res = await admin('get', '/api/v1/items?page=x&pageSize=500');
    expect(res.body.error.message).toBe('页码：应为数字；每页条数：最大 200');
  });
});
