// 附件: stored in PostgreSQL with sha256; the type is judged by content; size is limited.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let t: TestApp;
let sales: AuthedClient;
/** a customer of li.xs's */
let customerId: string;

beforeAll(async () => {
  t = await createTestApp({ ATTACHMENT_MAX_BYTES: String(64 * 1024) });
  sales = await as(t, 'li.xs');
  customerId = (await t.database.system.customer.findFirstOrThrow({ where: { owner: { username: 'li.xs' } }, orderBy: { code: 'asc' } })).id;
});
afterAll(async () => t?.close());

const binary = (req: ReturnType<AuthedClient>) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

describe('附件', () => {
  it('上传图片：按内容识别类型、记录 sha256，下载内容一致', async () => {
    const res = await sales('post', '/api/v1/attachments').field('entity', 'customer').field('entityId', customerId).attach('file', PNG, '门头照片.png');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ fileName: '门头照片.png', mimeType: 'image/png', size: PNG.length, entity: 'customer', entityId: customerId });
    expect(res.body.sha256).toBe(crypto.createHash('sha256').update(PNG).digest('hex'));
    expect(res.body.uploadedBy.name).toBe('李销售');

    const down = await binary(sales('get', `/api/v1/attachments/${res.body.id}/content`));
    expect(down.status).toBe(200);
    expect(down.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(down.body as Buffer, PNG)).toBe(0);

    const list = await sales('get', `/api/v1/attachments?entity=customer&entityId=${customerId}`);
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(res.body.id);
  });

  it('类型以内容为准：名字叫 .jpg 的 PDF 记为 PDF；伪装成图片的脚本被拒绝 415', async () => {
    const pdf = await sales('post', '/api/v1/attachments').attach('file', PDF, '合同.jpg');
    expect(pdf.status).toBe(201);
    expect(pdf.body.mimeType).toBe('application/pdf');
    const before = await t.database.system.attachment.count();
    const script = await sales('post', '/api/v1/attachments').attach('file', Buffer.from('#!/bin/sh\nrm -rf /\n'), 'photo.png');
    expect(script.status).toBe(415);
    expect(script.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await t.database.system.attachment.count()).toBe(before);
  });

  it('超过大小限制 413，缺少文件 400', async () => {
    const big = Buffer.concat([PNG, crypto.randomBytes(100 * 1024)]);
    const res = await sales('post', '/api/v1/attachments').attach('file', big, 'big.png');
    expect(res.status).toBe(413);
    const none = await sales('post', '/api/v1/attachments').field('entity', 'customer');
    expect(none.status).toBe(400);
    expect(none.body.error.details[0].field).toBe('file');
  });

  it('只提供 entity 不提供 entityId 时 400', async () => {
    const res = await sales('post', '/api/v1/attachments').field('entity', 'customer').attach('file', PNG, 'a.png');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.entityId');
  });

  it('另一家公司看不到、下载不到我方附件', async () => {
    const mine = await sales('post', '/api/v1/attachments').attach('file', PNG, 'mine.png');
    const other = await createSecondCompany(t);
    const theirs = await as(t, other.adminUsername);
    expect((await theirs('get', `/api/v1/attachments/${mine.body.id}`)).status).toBe(404);
    expect((await theirs('get', `/api/v1/attachments/${mine.body.id}/content`)).status).toBe(404);
    expect((await theirs('get', '/api/v1/attachments')).body.total).toBe(0);
  });

  it('不支持的业务对象类型 400，列出可选的类型', async () => {
    const res = await sales('post', '/api/v1/attachments').field('entity', 'spaceship').field('entityId', customerId).attach('file', PNG, 'a.png');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.entity');
    expect(res.body.error.message).toContain('不支持的业务对象类型 spaceship，可选：contract、customer、expenseClaim、purchaseOrder、salesOrder、supplier、visit');
  });

  it('没有删除权限的销售员 403；管理员可删除并留下审计', async () => {
    const a = await sales('post', '/api/v1/attachments').field('entity', 'customer').field('entityId', customerId).attach('file', PNG, 'x.png');
    expect((await sales('delete', `/api/v1/attachments/${a.body.id}`)).status).toBe(403);
    const admin = await as(t, 'admin', { companyCode: 'YUNQIAO' });
    expect((await admin('delete', `/api/v1/attachments/${a.body.id}`)).status).toBe(204);
    const log = await admin('get', `/api/v1/audit-logs?entity=attachment&entityId=${a.body.id}`);
    expect(log.body.items.map((e: { action: string }) => e.action).sort()).toEqual(['create', 'delete']);
    expect(log.body.items.find((e: { action: string }) => e.action === 'delete').user.name).toBe('系统管理员');
  });
});
