// 拜访: plan → check-in with a phone position (converted, distance to the customer's GCJ-02 pin)
// → photo → notes → check-out; the manager's team list; data scope; bad positions and files refused.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, customerInput, type AuthedClient } from '../helpers/factories.ts';
import { convert } from '../../server/modules/crm/visits/geo.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let t: TestApp;
let li: AuthedClient;
let wu: AuthedClient;
let zhang: AuthedClient;
let qian: AuthedClient;
/** li.xs's customers with pins (GCJ-02): C0002 and C0003 */
const pins: Record<string, { id: string; lat: number; lng: number; name: string }> = {};

beforeAll(async () => {
  t = await createTestApp();
  [li, wu, zhang, qian] = await Promise.all([as(t, 'li.xs'), as(t, 'wu.xs'), as(t, 'zhang.jl'), as(t, 'qian.kj')]);
  for (const code of ['C0002', 'C0003']) {
    const c = await t.database.system.customer.findFirstOrThrow({ where: { code, owner: { username: 'li.xs' } } });
    pins[code] = { id: c.id, lat: c.latitude!.toNumber(), lng: c.longitude!.toNumber(), name: c.name };
  }
});
afterAll(async () => t?.close());

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

async function plan(client: AuthedClient, customerId: string, purpose = '回访报价'): Promise<{ id: string; version: number }> {
  const res = await client('post', '/api/v1/visits').send({ customerId, plannedAt: inAnHour(), purpose });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

function position(p: { lat: number; lng: number }, over: Record<string, unknown> = {}) {
  const sentAt = new Date();
  return { lat: p.lat, lng: p.lng, coordSystem: 'wgs84', accuracy: 15, source: 'browser', capturedAt: new Date(sentAt.getTime() - 5_000).toISOString(), sentAt: sentAt.toISOString(), ...over };
}

/** The WGS-84 point whose GCJ-02 form is the pin (what a phone's GPS reads standing on it; the conversion is unit-tested against known points). */
function wgsOf(pin: { lat: number; lng: number }) {
  return convert(pin, 'gcj02', 'wgs84');
}

describe('拜访签到', () => {
  it('在客户位置（GCJ-02）对应的 WGS-84 点签到：两种坐标都存下，距离 < 100 米，无预警；服务器时间为准；签退过短被标记', async () => {
    const c = pins.C0002!;
    const visit = await plan(li, c.id);
    const today = await li('get', '/api/v1/visits/today');
    expect(today.status).toBe(200);
    expect(today.body.map((v: { id: string }) => v.id)).toContain(visit.id);

    const before = Date.now();
    const res = await li('post', `/api/v1/visits/${visit.id}/check-in`).send({ position: position(wgsOf(c)) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ci = res.body.checkIn;
    expect(res.body.state).toBe('inProgress');
    expect(ci.distanceMeters).toBeLessThan(100);
    expect(ci.distanceMeters).toBe(0); // the conversion round trip is within millimetres
    expect(ci.distanceWarning).toBe(false);
    expect(ci.radiusMeters).toBe(500);
    expect(Number(ci.gcj02.lat)).toBeCloseTo(c.lat, 5);
    expect(Number(ci.gcj02.lng)).toBeCloseTo(c.lng, 5);
    expect(Number(ci.wgs84.lat)).toBeCloseTo(wgsOf(c).lat, 6);
    expect(ci.source).toBe('browser');
    expect(ci.sourceLabel).toBe('浏览器');
    const at = Date.parse(ci.at);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);

    // a second check-in elsewhere while this one is open is refused
    const other = await plan(li, pins.C0003!.id);
    const busy = await li('post', `/api/v1/visits/${other.id}/check-in`).send({ position: position(pins.C0003!, { coordSystem: 'gcj02' }) });
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toContain(c.name);

    const out = await li('post', `/api/v1/visits/${visit.id}/check-out`);
    expect(out.status).toBe(200);
    expect(out.body.state).toBe('done');
    expect(out.body.checkOut).toMatchObject({ durationMinutes: 0, minMinutes: 5, tooShort: true });
    expect((await li('post', `/api/v1/visits/${visit.id}/check-out`)).status).toBe(409);
    await li('post', `/api/v1/visits/${other.id}/cancel`).send({ reason: '客户临时出差' });
  });

  it('离客户约 2 公里（钉钉 GCJ-02 坐标）签到：距离 2002 米，超出 500 米半径预警；签到 12 分钟后签退不算过短', async () => {
    const c = pins.C0003!;
    const visit = await plan(li, c.id);
    // 0.018° of latitude north of the pin: 6371008.8 m × 0.018 × π/180 = 2001.5 m
    const res = await li('post', `/api/v1/visits/${visit.id}/check-in`).send({ position: position({ lat: c.lat + 0.018, lng: c.lng }, { coordSystem: 'gcj02', source: 'dingtalk' }) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.checkIn).toMatchObject({ distanceMeters: 2002, distanceWarning: true, coordSystem: 'gcj02', source: 'dingtalk', pinProposed: false });
    expect(Number(res.body.checkIn.gcj02.lat)).toBeCloseTo(c.lat + 0.018, 7);

    await t.database.system.visit.update({ where: { id: visit.id }, data: { checkInAt: new Date(Date.now() - 12 * 60_000 - 5_000) } });
    const out = await li('post', `/api/v1/visits/${visit.id}/check-out`);
    expect(out.body.checkOut).toMatchObject({ durationMinutes: 12, tooShort: false });

    // the manager's team list: by salesperson, by warning
    const liId = (await t.database.system.user.findFirstOrThrow({ where: { username: 'li.xs' } })).id;
    const team = await zhang('get', `/api/v1/visits?salespersonId=${liId}&warning=true`);
    expect(team.status).toBe(200);
    expect(team.body.items.map((v: { id: string }) => v.id)).toContain(visit.id);
    expect(team.body.items.every((v: { checkIn: { distanceWarning: boolean } | null; checkOut: { tooShort: boolean } | null }) => v.checkIn?.distanceWarning || v.checkOut?.tooShort)).toBe(true);
    const byName = await zhang('get', `/api/v1/visits?q=${encodeURIComponent(c.name.slice(0, 6))}`);
    expect(byName.body.items.map((v: { id: string }) => v.id)).toContain(visit.id);
  });

  it('公司设置：签到半径改为 2500 米后 2 公里不预警，最短时长改为 0 后不算过短；设置越界 400', async () => {
    const admin = await as(t, 'admin', { companyCode: 'YUNQIAO' });
    expect((await admin('get', '/api/v1/company')).body).toMatchObject({ visitRadiusMeters: 500, visitMinMinutes: 5 });
    const bad = await admin('patch', '/api/v1/company').send({ visitRadiusMeters: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('签到半径至少 10 米');
    expect((await admin('patch', '/api/v1/company').send({ visitRadiusMeters: 2500, visitMinMinutes: 0 })).status).toBe(200);
    try {
      const c = pins.C0003!;
      const visit = await plan(li, c.id);
      const res = await li('post', `/api/v1/visits/${visit.id}/check-in`).send({ position: position({ lat: c.lat + 0.018, lng: c.lng }, { coordSystem: 'gcj02', source: 'lark' }) });
      expect(res.body.checkIn).toMatchObject({ distanceMeters: 2002, radiusMeters: 2500, distanceWarning: false });
      const out = await li('post', `/api/v1/visits/${visit.id}/check-out`);
      expect(out.body.checkOut).toMatchObject({ durationMinutes: 0, minMinutes: 0, tooShort: false });
    } finally {
      await admin('patch', '/api/v1/company').send({ visitRadiusMeters: 500, visitMinMinutes: 5 });
    }
  });

  it('客户没有位置：距离未知，签到位置作为建议；销售员不能采用（403），经理采用后写入客户位置并留审计', async () => {
    const created = await li('post', '/api/v1/customers').send(customerInput({ latitude: null, longitude: null }));
    expect(created.status).toBe(201);
    const visit = await plan(li, created.body.id, '首次拜访');
    const here = { lat: 29.86, lng: 121.56 };
    const res = await li('post', `/api/v1/visits/${visit.id}/check-in`).send({ position: position(here) });
    expect(res.status).toBe(200);
    expect(res.body.checkIn).toMatchObject({ distanceMeters: null, distanceWarning: false, pinProposed: true, pinAppliedAt: null });
    const gcj = res.body.checkIn.gcj02;

    const denied = await li('post', `/api/v1/visits/${visit.id}/apply-pin`);
    expect(denied.status).toBe(403);
    const applied = await zhang('post', `/api/v1/visits/${visit.id}/apply-pin`);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.checkIn.pinAppliedAt).not.toBeNull();
    const customer = await li('get', `/api/v1/customers/${created.body.id}`);
    expect(customer.body.latitude).toBe(Number(gcj.lat).toFixed(6));
    expect(customer.body.longitude).toBe(Number(gcj.lng).toFixed(6));
    expect((await zhang('post', `/api/v1/visits/${visit.id}/apply-pin`)).status).toBe(409);
    const log = await t.database.system.auditLog.findMany({ where: { OR: [{ entityId: created.body.id, action: 'update' }, { entityId: visit.id, action: 'applyPin' }] } });
    expect(log.map((l) => `${l.entity}:${l.action}`).sort()).toEqual(['customer:update', 'visit:applyPin']);
    await li('post', `/api/v1/visits/${visit.id}/check-out`);
  });

  it('定位过旧（发送前 61 秒取得）或没有位置：400，拜访仍是计划中，什么也没写', async () => {
    const visit = await plan(li, pins.C0002!.id);
    const audits = await t.database.system.auditLog.count({ where: { entityId: visit.id } });
    const sentAt = new Date();
    const stale = await li('post', `/api/v1/visits/${visit.id}/check-in`).send({
      position: position(wgsOf(pins.C0002!), { capturedAt: new Date(sentAt.getTime() - 61_000).toISOString(), sentAt: sentAt.toISOString() }),
    });
    expect(stale.status).toBe(400);
    expect(stale.body.error.message).toContain('61 秒');
    expect(stale.body.error.details[0].field).toBe('body.position.capturedAt');
    const missing = await li('post', `/api/v1/visits/${visit.id}/check-in`).send({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe('body.position');
    expect(missing.body.error.message).toContain('位置');
    const badSystem = await li('post', `/api/v1/visits/${visit.id}/check-in`).send({ position: position(wgsOf(pins.C0002!), { coordSystem: 'mercator' }) });
    expect(badSystem.status).toBe(400);
    const after = await li('get', `/api/v1/visits/${visit.id}`);
    expect(after.body).toMatchObject({ state: 'planned', checkIn: null, version: visit.version });
    expect(await t.database.system.auditLog.count({ where: { entityId: visit.id } })).toBe(audits);
    await li('post', `/api/v1/visits/${visit.id}/cancel`).send({ reason: '改期' });
  });
});

describe('拜访照片、纪要与数据范围', () => {
  let visitId: string;
  beforeAll(async () => {
    visitId = (await plan(li, pins.C0002!.id, '送样')).id;
    const res = await li('post', `/api/v1/visits/${visitId}/check-in`).send({ position: position(wgsOf(pins.C0002!)) });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await li('post', `/api/v1/visits/${visitId}/check-out`);
  });

  it('照片：20 MB 拒绝（413）、不是图片拒绝（415），都不落库；图片带服务器生成的水印文字，只有数据范围内的人能看', async () => {
    const count = () => t.database.system.attachment.count({ where: { entity: 'visit' } });
    const before = await count();
    const huge = Buffer.concat([PNG, Buffer.alloc(20 * 1024 * 1024)]);
    const big = await li('post', `/api/v1/visits/${visitId}/photos`).attach('file', huge, 'big.png');
    expect(big.status).toBe(413);
    expect(big.body.error.message).toBe('文件超过大小限制（最大 10 MB），请压缩后重试');
    const pdf = await li('post', `/api/v1/visits/${visitId}/photos`).attach('file', PDF, 'photo.jpg');
    expect(pdf.status).toBe(415);
    expect(pdf.body.error.message).toContain('只能上传照片');
    // nor through the generic attachments endpoint
    const generic = await li('post', '/api/v1/attachments').field('entity', 'visit').field('entityId', visitId).attach('file', PDF, 'a.pdf');
    expect(generic.status).toBe(415);
    expect(await count()).toBe(before);

    const ok = await li('post', `/api/v1/visits/${visitId}/photos`).attach('file', PNG, '门头.png');
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.overlay.person).toBe('李销售');
    expect(ok.body.overlay.place).toContain(pins.C0002!.name);
    expect(ok.body.overlay.place).toContain('距客户 0 米');
    expect(ok.body.overlay.time).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await count()).toBe(before + 1);

    expect((await li('get', `/api/v1/attachments/${ok.body.id}/content`)).status).toBe(200);
    expect((await zhang('get', `/api/v1/attachments/${ok.body.id}/content`)).status).toBe(200);
    expect((await wu('get', `/api/v1/attachments/${ok.body.id}/content`)).status).toBe(404);
    const detail = await zhang('get', `/api/v1/visits/${visitId}`);
    expect(detail.body.photos.map((p: { id: string }) => p.id)).toEqual([ok.body.id]);
  });

  it('纪要和下一步；拜访中推进商机：本客户的商机到「报价」并留下阶段记录；别的客户的商机 400，看不到的 404', async () => {
    const v = (await li('get', `/api/v1/visits/${visitId}`)).body;
    const res = await li('patch', `/api/v1/visits/${visitId}`).send({ notes: '客户对 M8 螺栓报价满意', nextStep: '下周发正式报价', version: v.version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ notes: '客户对 M8 螺栓报价满意', nextStep: '下周发正式报价', version: v.version + 1 });

    const stages = Object.fromEntries(((await li('get', '/api/v1/opportunity-stages')).body as { id: string; name: string }[]).map((x) => [x.name, x.id]));
    const open = async (customerId: string) => {
      const o = await li('post', '/api/v1/opportunities').send({ customerId, title: '拜访推进测试', amount: '8000.00', expectedCloseDate: '2031-06-30', stageId: stages['需求确认'] });
      expect(o.status, JSON.stringify(o.body)).toBe(201);
      return o.body.id as string;
    };
    const mine = await open(pins.C0002!.id);
    const other = await open(pins.C0003!.id);
    const wrong = await li('patch', `/api/v1/visits/${visitId}`).send({ opportunityId: other, opportunityStage: '报价', version: res.body.version });
    expect([wrong.status, wrong.body.error.message]).toEqual([400, '商机不属于本次拜访的客户']);
    expect((await li('patch', `/api/v1/visits/${visitId}`).send({ opportunityId: crypto.randomUUID(), opportunityStage: '报价', version: res.body.version })).status).toBe(404);
    expect((await li('patch', `/api/v1/visits/${visitId}`).send({ opportunityId: mine, opportunityStage: '不存在的阶段', version: res.body.version })).status).toBe(400);

    const moved = await li('patch', `/api/v1/visits/${visitId}`).send({ opportunityId: mine, opportunityStage: '报价', version: res.body.version });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ opportunityId: mine, opportunityStage: '报价' });
    const opp = await li('get', `/api/v1/opportunities/${mine}`);
    expect(opp.body.stage.name).toBe('报价');
    expect(opp.body.probability).toBe('0.5000');
    expect(opp.body.history.map((h: { fromStage: string | null; toStage: string }) => [h.fromStage, h.toStage])).toContainEqual(['需求确认', '报价']);

    // the customer's 360 lists the visit with its notes
    const c360 = await li('get', `/api/v1/customers/${pins.C0002!.id}/360`);
    expect(c360.status).toBe(200);
    const shown = c360.body.visits.find((x: { id: string }) => x.id === visitId);
    expect(shown).toMatchObject({ notes: '客户对 M8 螺栓报价满意', opportunityStage: '报价' });
  });

  it('别的销售员按 ID 打开、签到、签退：404；经理能看不能代签（403）；没有拜访权限：403', async () => {
    expect((await wu('get', `/api/v1/visits/${visitId}`)).status).toBe(404);
    expect((await wu('post', `/api/v1/visits/${visitId}/check-out`)).status).toBe(404);
    expect((await wu('post', `/api/v1/visits/${visitId}/photos`).attach('file', PNG, 'x.png')).status).toBe(404);
    expect((await wu('get', '/api/v1/visits')).body.items.map((v: { id: string }) => v.id)).not.toContain(visitId);
    expect((await zhang('get', `/api/v1/visits/${visitId}`)).status).toBe(200);
    // a visited customer stays (the visit refers to it)
    const del = await zhang('delete', `/api/v1/customers/${pins.C0002!.id}`);
    expect(del.status).toBe(409);
    // (the customer has visits and, since the test above, an opportunity: either key refuses first)
    expect(del.body.error.message).toMatch(/^该记录正被(拜访|商机)引用，不能删除$/);
    expect((await zhang('post', `/api/v1/visits/${visitId}/check-out`)).status).toBe(403);
    expect((await qian('get', '/api/v1/visits')).status).toBe(403);
    expect((await qian('post', '/api/v1/visits').send({ customerId: pins.C0002!.id, plannedAt: inAnHour() })).status).toBe(403);
    // another salesperson's customer cannot be planned
    const wuCustomer = await t.database.system.customer.findFirstOrThrow({ where: { owner: { username: 'wu.xs' } } });
    const foreign = await li('post', '/api/v1/visits').send({ customerId: wuCustomer.id, plannedAt: inAnHour() });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details[0].field).toBe('body.customerId');
  });

  it('计划日已过仍未签到的计划读到时成为已错过，不在今日计划里', async () => {
    const sys = t.database.system;
    const li0 = await sys.user.findFirstOrThrow({ where: { username: 'li.xs' } });
    const old = await sys.visit.create({
      data: { companyId: li0.companyId, salespersonId: li0.id, customerId: pins.C0003!.id, plannedAt: new Date(Date.now() - 2 * 86_400_000), createdById: li0.id },
    });
    const today = await li('get', '/api/v1/visits/today');
    expect(today.body.map((v: { id: string }) => v.id)).not.toContain(old.id);
    const res = await li('get', `/api/v1/visits/${old.id}`);
    expect(res.body).toMatchObject({ state: 'missed', stateLabel: '已错过', closeReason: '计划日已过，未签到' });
    expect((await li('post', `/api/v1/visits/${old.id}/check-in`).send({ position: position(pins.C0003!) })).status).toBe(409);
  });
});
