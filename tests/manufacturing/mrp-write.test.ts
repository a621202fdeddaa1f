// How a run writes its suggestions (COPY batches through a temporary table while the engine computes, mrp/service.ts netAndWrite), through the
// HTTP API on PostgreSQL: text in the pegging with the characters COPY's text format gives a meaning
// to (tab, newline, backslash) and quotes comes back exactly as it was; quantities, dates and the
// BOM version as computed by hand; a second run replaces the first one's suggestions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, uniqueCode, type AuthedClient } from '../helpers/factories.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';

let t: TestApp;
let sun: AuthedClient;
let admin: AuthedClient;

const day = (offset: number) => {
  const d = new Date(`${todayInShanghai()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  t = await createTestApp();
  sun = await as(t, 'sun.jh');
  admin = await as(t, 'admin');
});
afterAll(async () => t?.close());

describe('物料需求计算写入建议', () => {
  it('需求追溯里的制表符、换行、反斜杠与引号原样保存；数量、日期与 BOM 版本按手算；再运行替换上次的建议', async () => {
    const tag = uniqueCode('MRPW');
    const units = new Map<string, string>((await sun('get', '/api/v1/units?pageSize=200')).body.items.map((u: { code: string; id: string }) => [u.code, u.id]));
    const newItem = async (key: string, fields: Record<string, unknown>) => {
      const res = await sun('post', '/api/v1/items').send({ code: `${tag}-${key}`, name: `写入测试 ${key}`, baseUnitId: units.get('PCS'), ...fields });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const parent = await newItem('P', { kind: 'finished', sourcing: 'make', leadTimeDays: 2 });
    const part = await newItem('C', { kind: 'raw', sourcing: 'buy', leadTimeDays: 3 });
    const bom = await sun('post', '/api/v1/boms').send({ parentItemId: parent, validFrom: '2026-01-01', lines: [{ componentItemId: part, quantity: '3' }] });
    expect(bom.status, JSON.stringify(bom.body)).toBe(201);
    // a code the API would refuse, as an import could leave it: the child's pegging names its parent by code
    const oddCode = `${tag}\t"P"\\x\ny'`;
    await t.database.system.item.update({ where: { id: parent }, data: { code: oddCode } });

    const companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
    const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { companyId, code: 'C0001' } })).id;
    const draft = await admin('post', '/api/v1/sales-orders').send({ customerId, requestedDate: day(30), lines: [{ itemId: parent, unitId: units.get('PCS'), quantity: '7' }] });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const order = await admin('post', `/api/v1/sales-orders/${draft.body.id}/confirm`).send({});
    expect(order.status, JSON.stringify(order.body)).toBe(200);

    const mine = async (runId: string) => {
      const res = await sun('get', `/api/v1/mrp/suggestions?runId=${runId}&pageSize=200`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.items as { item: { id: string }; kind: string; quantity: string; orderDate: string; dueDate: string; bomVersionId: string | null; pegging: unknown[] }[])
        .filter((s) => s.item.id === parent || s.item.id === part)
        .sort((a, b) => a.kind.localeCompare(b.kind));
    };
    const first = await sun('post', '/api/v1/mrp/runs');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // P: 7 due day 30, released day 28; C: 7 × 3 = 21 due day 28, released day 25
    const expected = [
      { kind: 'production', quantity: '7.0000', orderDate: day(28), dueDate: day(30), bomVersionId: bom.body.versions[0].id,
        pegging: [{ demandKind: 'salesOrder', ref: `${order.body.number}/1`, parentSuggestionId: null, quantity: '7.0000' }] },
      { kind: 'purchase', quantity: '21.0000', orderDate: day(25), dueDate: day(28), bomVersionId: null,
        pegging: [{ demandKind: 'suggestion', ref: oddCode, parentSuggestionId: expect.any(String), quantity: '21.0000' }] },
    ];
    const written = await mine(first.body.id);
    expect(written).toMatchObject(expected);

    const second = await sun('post', '/api/v1/mrp/runs');
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(await mine(second.body.id)).toMatchObject(expected);
    expect(await mine(first.body.id)).toEqual([]);
  });
});
