// The OpenAPI document is valid 3.1, covers every declared route, and the docs page serves.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('OpenAPI', () => {
  it('/api/v1/openapi.json 通过 OpenAPI 3.1 校验', async () => {
    const res = await t.http().get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const result = await new Validator().validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('覆盖每一个已声明的路由', async () => {
    const doc = (await t.http().get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    expect(t.api.declared.length).toBeGreaterThan(20);
    const missing = t.api.declared.filter((r) => !doc.paths['/api/v1' + r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method]);
    expect(missing).toEqual([]);
  });

  it('Express 中每个 /api/v1 路由都经由 ApiRouter 声明（没有绕过文档的路由）', () => {
    const stack = (t.api.router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack;
    const mounted = stack.flatMap((l) => (l.route ? Object.keys(l.route.methods).map((m) => `${m} ${l.route!.path}`) : []));
    expect(mounted.sort()).toEqual(t.api.declared.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('/api/docs 页面可打开，静态资源可取', async () => {
    const page = await t.http().get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    const js = await t.http().get('/api/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
  });

  it('/healthz 报告数据库正常', async () => {
    const res = await t.http().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'ok', pools: { app: 'ok', system: 'ok', sql: 'ok' } });
  });

  it('未知接口 404，错误体统一', async () => {
    const res = await t.http().get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: '接口不存在' } });
  });
});
