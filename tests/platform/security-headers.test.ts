// 安全响应头: the mini-app, the API and the API docs each send their own CSP (the mini-app may be
// framed by the chat clients only), nosniff and no-referrer; no response allows cross-origin reads
// (no CORS). That the mini-app and the docs page run under these policies without a single
// violation is checked in real Chromium by tests/e2e/miniapp.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameAncestors } from '../../server/platform/security-headers.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;

/** the CSP as { directive: sources } */
function csp(header: string | undefined): Record<string, string> {
  expect(header).toBeTruthy();
  return Object.fromEntries(header!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...v]) => [name, v.join(' ')]));
}

const FRAMERS = "'self' https://*.feishu.cn https://*.larksuite.com https://work.weixin.qq.com https://*.work.weixin.qq.com https://*.dingtalk.com";

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('安全响应头', () => {
  it('/m/：只加载本站脚本与样式，图片允许 data:/blob:，只允许飞书/企业微信/钉钉嵌入', async () => {
    for (const url of ['/m/', '/m/customers']) {
      const res = await t.http().get(url);
      expect(res.status).toBe(200);
      expect(csp(res.headers['content-security-policy'])).toEqual({
        'base-uri': "'self'",
        'form-action': "'self'",
        'object-src': "'self' blob:",
        'script-src-attr': "'none'",
        'default-src': "'self'",
        'script-src': "'self'",
        'style-src': "'self'",
        'img-src': "'self' data: blob:",
        'font-src': "'self' data:",
        'connect-src': "'self'",
        'frame-ancestors': FRAMERS,
      });
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    const html = (await t.http().get('/m/')).text;
    const asset = /src="(\/m\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await t.http().get(asset);
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(csp(js.headers['content-security-policy'])['frame-ancestors']).toBe(FRAMERS);
  });

  it('/m/ 的脚本按 Accept-Encoding 压缩传输（gzip），内容不变；不要求压缩的照旧（很小的 index.html 不压缩）', async () => {
    const plain = await t.http().get('/m/').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const asset = /src="(\/m\/assets\/[^"]+\.js)"/.exec(plain.text)![1]!;
    // the body as bytes (supertest decodes gzip before handing it back)
    const bytes = (encoding: string) => t.http().get(asset).set('Accept-Encoding', encoding).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const [raw, zipped] = [await bytes('identity'), await bytes('gzip')];
    expect(raw.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    // the same bytes as the uncompressed answer
    expect((zipped.body as Buffer).equals(raw.body as Buffer)).toBe(true);
  });

  it('/m/ 在飞书里（按 UA）才允许飞书 CDN 的脚本（H5 JS-SDK）；其他客户端不允许；按 UA 缓存', async () => {
    const FEISHU_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Lark/7.20.0 LarkLocale/zh_CN ChannelName/Feishu';
    const WECOM_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh';
    const inFeishu = await t.http().get('/m/').set('User-Agent', FEISHU_UA);
    expect(csp(inFeishu.headers['content-security-policy'])['script-src']).toBe("'self' https://lf1-cdn-tos.bytegoofy.com");
    expect(csp(inFeishu.headers['content-security-policy'])['frame-ancestors']).toBe(FRAMERS);
    for (const ua of [WECOM_UA, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36']) {
      const res = await t.http().get('/m/').set('User-Agent', ua);
      expect(csp(res.headers['content-security-policy'])['script-src']).toBe("'self'");
    }
    expect(inFeishu.headers.vary).toMatch(/User-Agent/i);
  });

  it('/api：不加载任何内容、不可被嵌入（JSON、错误与 404 同样）', async () => {
    const login = await t.http().post('/api/v1/auth/login').send({ username: 'li.xs', password: 'yunqiao123' });
    expect(login.status).toBe(200);
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${login.body.token}`);
    for (const res of [login, me, await t.http().get('/api/v1/auth/me'), await t.http().get('/api/v1/no-such-thing'), await t.http().get('/healthz')]) {
      expect(csp(res.headers['content-security-policy'])).toMatchObject({ 'default-src': "'none'", 'frame-ancestors': "'none'" });
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('/api/docs：无内联脚本，脚本与样式只来自本站', async () => {
    const page = await t.http().get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<script>/);
    expect(csp(page.headers['content-security-policy'])).toMatchObject({
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const init = await t.http().get('/api/docs/init.js');
    expect(init.status).toBe(200);
    expect(init.headers['content-type']).toMatch(/javascript/);
    expect(init.text).toContain('/api/v1/openapi.json');
  });

  it('不开放跨域：别的网站的预检与请求都得不到 Access-Control-Allow-Origin', async () => {
    const preflight = await t
      .http()
      .options('/api/v1/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type');
    const get = await t.http().get('/api/v1/auth/me').set('Origin', 'https://evil.example');
    for (const res of [preflight, get]) {
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('FRAME_ANCESTORS 可替换允许嵌入的来源（空格或逗号分隔）', () => {
    expect(frameAncestors(undefined).join(' ')).toBe(FRAMERS);
    expect(frameAncestors('https://erp.example.com, https://*.example.org')).toEqual(["'self'", 'https://erp.example.com', 'https://*.example.org']);
  });
});
