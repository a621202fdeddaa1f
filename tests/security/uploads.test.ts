// 上传先认证: an upload is read only after the sign-in and the permission are checked, so a
// stranger's 9 MB body gets its 401 while it is still being sent, and a file name with control
// characters or a malformed form never reaches the parser's 500.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, loginAs, type AuthedClient } from '../helpers/factories.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const BOUNDARY = 'yqboundary42';
let t: TestApp;
let server: http.Server;
let port = 0;
let sales: AuthedClient;
let salesToken = '';
let accountantToken = '';

beforeAll(async () => {
  t = await createTestApp();
  server = http.createServer(t.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  sales = await as(t, 'li.xs');
  salesToken = await loginAs(t, 'li.xs');
  accountantToken = await loginAs(t, 'qian.kj'); // 会计: no attachment:create
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await t?.close();
});

/** A multipart request whose headers announce `declared` bytes, of which only `sent` go out; resolves with the response (or 'no answer'). */
function partialUpload(headers: Record<string, string>, declared: number, sent: Buffer, waitMs: number): Promise<{ status: number; body: string; connection?: string } | 'no answer'> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/attachments', headers: { ...headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(declared) } });
    const timer = setTimeout(() => (req.destroy(), resolve('no answer')), waitMs);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => (clearTimeout(timer), req.destroy(), resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection })));
    });
    req.on('error', () => undefined);
    req.write(sent);
  });
}

const head = (fileName: string) =>
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: image/png\r\n\r\n`, 'latin1');

describe('上传：先认证和授权，再读取请求体', () => {
  it('未登录的 9 MB 上传：只发出前 64 KB 时就得到 401，服务器不等其余部分', async () => {
    const first = Buffer.concat([head('big.png'), Buffer.alloc(64 * 1024, 1)]);
    const answer = await partialUpload({}, 9 * 1024 * 1024, first, 3000);
    expect(answer).not.toBe('no answer');
    if (answer === 'no answer') return;
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).error.code).toBe('UNAUTHENTICATED');
    expect(answer.connection).toBe('close'); // and the rest is not read to keep the connection
  });

  it('没有上传权限（会计）同样在读取文件前 403', async () => {
    const first = Buffer.concat([head('big.png'), Buffer.alloc(64 * 1024, 1)]);
    const answer = await partialUpload({ authorization: `Bearer ${accountantToken}` }, 9 * 1024 * 1024, first, 3000);
    expect(answer).not.toBe('no answer');
    if (answer === 'no answer') return;
    expect(answer.status).toBe(403);
  });

  it('文件名含控制字符：未登录 401（不是 500）；登录后，原样的控制字符是坏表头 400，编码后的被替换为 _', async () => {
    const form = (h: Buffer) => Buffer.concat([h, PNG, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
    const raw = form(head('a\u0001b\u0007\u001bc.png'));
    const post = (body: Buffer, token?: string) => {
      const r = t.http().post('/api/v1/attachments').set('content-type', `multipart/form-data; boundary=${BOUNDARY}`);
      return (token ? r.set('Authorization', `Bearer ${token}`) : r).send(body);
    };
    expect((await post(raw)).status).toBe(401);
    const bad = await post(raw, salesToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('file');
    const encoded = form(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''a%01b%07%1Bc.png\r\nContent-Type: image/png\r\n\r\n`));
    const ok = await post(encoded, salesToken);
    expect(ok.status).toBe(201);
    expect(ok.body.fileName).toBe('a_b__c.png');
  });

  it('格式错误或不完整的 multipart 表单 → 400（不是 500），不写入任何附件', async () => {
    const before = await t.database.system.attachment.count();
    const truncated = Buffer.concat([head('cut.png'), PNG]); // no closing boundary
    const cut = await sales('post', '/api/v1/attachments').set('content-type', `multipart/form-data; boundary=${BOUNDARY}`).send(truncated);
    expect(cut.status).toBe(400);
    expect(cut.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'file', message: '表单格式错误' }] });
    const noBoundary = await sales('post', '/api/v1/attachments').set('content-type', 'multipart/form-data').send('garbage');
    expect(noBoundary.status).toBe(400);
    const twoFiles = await sales('post', '/api/v1/attachments').attach('file', PNG, 'a.png').attach('file', PNG, 'b.png');
    expect(twoFiles.status).toBe(400);
    expect(twoFiles.body.error.message).toContain('一次只能上传一个文件');
    expect(await t.database.system.attachment.count()).toBe(before);
  });
});
