// 通知路由 and 通知投递 through the API: admins choose which group gets which notice (per company,
// per customer), see what failed and send it again; others may not; every change is audited.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemoCompany } from '../../prisma/seed.ts';
import { bootstrapDatabase, connectDatabase } from '../../server/db/database.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let companyId: string;
let customerId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  customerId = (await t.database.system.customer.findFirstOrThrow({ where: { companyId }, orderBy: { code: 'asc' } })).id;
});
afterAll(() => t?.close());

const routeCount = () => t.database.system.notificationRoute.count();

describe('通知路由', () => {
  it('新增、查询、修改、删除，都记入审计日志', async () => {
    const created = await admin('post', '/api/v1/notification-routes').send({
      topic: 'order.progress', platform: 'lark', targetKind: 'group', targetId: 'oc_customer_group', customerId, toOwner: true, name: '客户订单群',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ topic: 'order.progress', topicLabel: '订单进度', platformLabel: '飞书', toOwner: true, version: 1, customer: { id: customerId } });
    const id = created.body.id as string;

    const list = await admin('get', '/api/v1/notification-routes').query({ topic: 'order.progress', q: 'oc_customer', pageSize: 5 });
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(id);

    const updated = await admin('patch', `/api/v1/notification-routes/${id}`).send({ version: 1, active: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ active: false, version: 2 });
    const stale = await admin('patch', `/api/v1/notification-routes/${id}`).send({ version: 1, name: '旧版本' });
    expect(stale.status).toBe(409);

    expect((await admin('delete', `/api/v1/notification-routes/${id}`)).status).toBe(204);
    expect((await admin('get', `/api/v1/notification-routes/${id}`)).status).toBe(404);
    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'notificationRoute', entityId: id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
  });

  it('输入有误：400 指明字段，什么也不写', async () => {
    const before = await routeCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ topic: 'stock.nothing', platform: 'wecom', targetKind: 'group', targetId: 'x' }, 'body.topic'],
      [{ topic: 'stock.shortage', platform: 'qq', targetKind: 'group', targetId: 'x' }, 'body.platform'],
      [{ topic: 'stock.shortage', platform: 'wecom', targetKind: 'room', targetId: 'x' }, 'body.targetKind'],
      [{ topic: 'stock.shortage', platform: 'wecom', targetKind: 'group', targetId: '  ' }, 'body.targetId'],
      [{ topic: 'stock.shortage', platform: 'wecom', targetKind: 'group', targetId: 'x'.repeat(201) }, 'body.targetId'],
      [{ topic: 'stock.shortage', platform: 'wecom', targetKind: 'group', targetId: 'x', customerId }, 'body.customerId'],
      [{ topic: 'stock.shortage', platform: 'wecom', targetKind: 'group', targetId: 'x', toOwner: true }, 'body.toOwner'],
      [{ topic: 'order.progress', platform: 'wecom', targetKind: 'group', targetId: 'x', customerId: '0b8f5c1e-6a57-4f0e-9a53-3c7a4d0f2b11' }, 'body.customerId'],
    ];
    for (const [body, field] of cases) {
      const res = await admin('post', '/api/v1/notification-routes').send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect(await routeCount()).toBe(before);
  });

  it('没有权限的人不能查看或修改；别家公司的路由看不到', async () => {
    const sales = await as(t, 'li.xs');
    expect((await sales('get', '/api/v1/notification-routes')).status).toBe(403);
    expect((await sales('post', '/api/v1/notification-routes').send({ topic: 'stock.shortage', platform: 'wecom', targetKind: 'group', targetId: 'x' })).status).toBe(403);
    await createSecondCompany(t);
    const other = await as(t, 'admin', { companyCode: 'OTHERCO' });
    const mine = await admin('post', '/api/v1/notification-routes').send({ topic: 'stock.shortage', platform: 'wecom', targetKind: 'group', targetId: 'robot:mine' });
    expect((await other('get', `/api/v1/notification-routes/${mine.body.id}`)).status).toBe(404);
    expect((await other('get', '/api/v1/notification-routes')).body.total).toBe(0);
  });
});

describe('通知投递', () => {
  it('列出发送失败的通知并重新发送；只有失败的可以重发', async () => {
    const failed = await t.database.system.noticeDelivery.create({
      data: { companyId, platform: 'wecom', targetKind: 'group', targetId: 'robot:purchase', text: '缺料提醒', card: { title: '缺料提醒：M8螺栓' }, idempotencyKey: `shortage:test:${Date.now()}`, status: 'failed', attempts: 8, lastError: 'HTTP 500' },
    });
    const list = await admin('get', '/api/v1/notice-deliveries').query({ status: 'failed' });
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id: failed.id.toString(), status: 'failed', statusLabel: '发送失败', topic: 'stock.shortage', title: '缺料提醒：M8螺栓', attempts: 8, lastError: 'HTTP 500' });

    const resent = await admin('post', `/api/v1/notice-deliveries/${failed.id}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await admin('post', `/api/v1/notice-deliveries/${failed.id}/resend`)).status).toBe(409);
    expect((await admin('post', '/api/v1/notice-deliveries/99999999/resend')).status).toBe(404);
    expect((await admin('post', '/api/v1/notice-deliveries/abc/resend')).status).toBe(400);
    expect(await t.database.system.auditLog.count({ where: { entity: 'noticeDelivery', entityId: failed.id.toString(), action: 'resend' } })).toBe(1);

    const sales = await as(t, 'li.xs');
    expect((await sales('get', '/api/v1/notice-deliveries')).status).toBe(403);
  });
});

describe('演示数据里的通知路由', () => {
  it('npm start 写入的演示公司：采购群收缺料提醒，两家重点客户的订单群收订单进度并私信销售员', async () => {
    // The test template leaves the demo routes out (each story sets its own); seed a blank database here.
    const name = `t_seed_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(inject('pgAdminUrl'));
    url.pathname = `/${name}`;
    try {
      await bootstrapDatabase(url.toString());
      const db = connectDatabase(url.toString());
      try {
        expect(await seedDemoCompany(db.system, { onlyIfEmpty: true, env: {} })).toBe(true);
        const routes = await db.system.notificationRoute.findMany({ orderBy: [{ topic: 'asc' }, { targetId: 'asc' }] });
        const shortage = routes.filter((r) => r.topic === 'stock.shortage');
        expect(shortage.map((r) => r.platform).sort()).toEqual(['dingtalk', 'lark', 'wechat', 'wecom']);
        const progress = routes.filter((r) => r.topic === 'order.progress');
        expect(progress.length).toBeGreaterThanOrEqual(2);
        const c0001 = await db.system.customer.findFirstOrThrow({ where: { code: 'C0001' } });
        expect(progress.filter((r) => r.customerId === c0001.id && r.toOwner)).not.toHaveLength(0);
      } finally {
        await db.close();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
