// Approvals tests in the business's words: orders at a given discount, submitting them, the
// approval of an order, what the outbox got, and the state of an order's stock.
import { expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

export type Who = 'admin' | 'boss' | 'zhang.jl' | 'li.xs' | 'wu.xs' | 'zhao.ck';

export interface ApprovalWorld {
  t: TestApp;
  c: Record<Who, AuthedClient>;
  user: Record<Who, string>;
  customerId: string;
  m8: string;
  wh02: string;
}

export async function approvalWorld(opts: { stock?: boolean } = {}): Promise<ApprovalWorld> {
  const t = await createTestApp();
  const sys = t.database.system;
  const names: Who[] = ['admin', 'boss', 'zhang.jl', 'li.xs', 'wu.xs', 'zhao.ck'];
  const clients = await Promise.all(names.map((n) => as(t, n)));
  const users = await sys.user.findMany({ where: { username: { in: names } } });
  const world: ApprovalWorld = {
    t,
    c: Object.fromEntries(names.map((n, i) => [n, clients[i]!])) as Record<Who, AuthedClient>,
    user: Object.fromEntries(users.map((u) => [u.username, u.id])) as Record<Who, string>,
    customerId: (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id, // 李销售的客户, 额度 800,000
    m8: (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id, // sales unit 箱 = 1000 个
    wh02: (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH02' } })).id,
  };
  // The company's price of M8: ¥0.1 a 个 = ¥100 a box (orders' discounts are taken off it).
  await sys.item.update({ where: { id: world.m8 }, data: { salePrice: '0.1' } });
  if (opts.stock !== false) await putStock(t, { itemCode: 'FG-BLT-M8X30', quantity: '1000000', unitCost: '0.030000' });
  return world;
}

/** A draft order of `boxes` 箱 M8 at the company's price (¥100 a box) less the given discount (so the order's discount is exactly it). */
export async function orderAt(w: ApprovalWorld, who: AuthedClient, discountRate: string, boxes = '10'): Promise<{ id: string; version: number; lineId: string }> {
  const res = await who('post', '/api/v1/sales-orders').send({ customerId: w.customerId, lines: [{ itemId: w.m8, quantity: boxes, discountRate }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, version: res.body.version, lineId: res.body.lines[0].id };
}

export async function submit(who: AuthedClient, orderId: string) {
  const res = await who('post', `/api/v1/sales-orders/${orderId}/submit`).send({});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { state: string; version: number; lines: { reservedQuantity: string }[] };
}

/** The newest approval of an order (system view). */
export async function approvalOf(w: ApprovalWorld, orderId: string) {
  return w.t.database.system.approval.findFirstOrThrow({ where: { documentId: orderId }, orderBy: { createdAt: 'desc' } });
}

export async function mark(w: ApprovalWorld): Promise<bigint> {
  return (await w.t.database.system.outboxEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n;
}

export async function eventsSince(w: ApprovalWorld, m: bigint, prefix = 'approval.') {
  const rows = await w.t.database.system.outboxEvent.findMany({ where: { id: { gt: m }, type: { startsWith: prefix } }, orderBy: { id: 'asc' } });
  return rows.map((r) => ({ type: r.type, payload: r.payload as Record<string, unknown> }));
}

export async function actionsOf(w: ApprovalWorld, approvalId: string): Promise<string[]> {
  return (await w.t.database.system.approvalAction.findMany({ where: { approvalId }, orderBy: { id: 'asc' } })).map((a) => a.action);
}

export async function orderState(w: ApprovalWorld, orderId: string) {
  const o = await w.t.database.system.salesOrder.findUniqueOrThrow({ where: { id: orderId } });
  const reserved = await w.t.database.system.reservation.findMany({ where: { demandId: { in: (await w.t.database.system.salesOrderLine.findMany({ where: { orderId } })).map((l) => l.id) } } });
  return { state: o.state, version: o.version, reserved: reserved.reduce((a, r) => a + Number(r.quantity), 0), reservations: reserved.filter((r) => Number(r.quantity) > 0).length };
}

export async function timelineOf(w: ApprovalWorld, orderId: string) {
  return (await w.t.database.system.timelineEntry.findMany({ where: { orderId }, orderBy: { id: 'asc' } })).map((e) => ({ kind: e.kind, message: e.message }));
}

/** Replaces the current 销售折扣 flow (as admin) with these steps; returns the new version. */
export async function setDiscountFlow(w: ApprovalWorld, steps: unknown[], extra: Record<string, unknown> = {}) {
  const list = await w.c.admin('get', '/api/v1/approval-flows?businessType=salesDiscount');
  const current = list.body.items[0];
  const res = await w.c.admin('patch', `/api/v1/approval-flows/${current.id}`).send({ steps, version: current.version, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: string; version: number };
}
