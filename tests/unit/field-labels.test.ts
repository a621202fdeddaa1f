// The words error messages are made of: every permission has an action in Chinese, every request
// field a Chinese label, and paths read as "第 1 行 数量".
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { describe, expect, it } from 'vitest';
import { FIELD_LABELS, fieldLabel } from '../../shared/field-labels.ts';
import { ALL_PERMISSIONS, permissionAction } from '../../shared/permissions.ts';
import { registerModules } from '../../server/modules/index.ts';
import { ApiRouter } from '../../server/platform/http.ts';
import { buildOpenApiDocument } from '../../server/platform/openapi.ts';
import type { AppServices } from '../../server/platform/services.ts';

describe('权限的中文操作名', () => {
  it('目录里每个权限都有中文操作名，没有英文，互不相同', () => {
    const names = ALL_PERMISSIONS.map(permissionAction);
    for (const [i, name] of names.entries()) expect(name, ALL_PERMISSIONS[i]).toMatch(/^[^A-Za-z:]+$/);
    expect(new Set(names).size).toBe(names.length);
    expect(permissionAction('shipment:create')).toBe('发货和销售退货');
    expect(permissionAction('salesOrder:confirm')).toBe('审核销售订单');
  });
});

describe('字段名称', () => {
  it.each([
    ['body.lines.0.quantity', '第 1 行 数量'],
    ['body.lines.11.unitPrice', '第 12 行 单价'],
    ['body.contacts.1.mobile', '联系人 第 2 项 手机号'],
    ['body.itemIds.0', '物料 第 1 项'],
    ['query.pageSize', '每页条数'],
    ['body', ''],
  ])('%s → %s', (path, label) => {
    expect(fieldLabel(path)).toBe(label);
  });

  it('每个接口的每个请求字段（路径、查询、请求体，含嵌套）都有中文名称', () => {
    const registry = new OpenAPIRegistry();
    const noop = async () => { throw new Error('not used'); };
    registerModules(new ApiRouter(registry, {} as AppServices, { authenticate: noop, openSession: noop, upload: () => (_req, _res, next) => next() }));
    const doc = buildOpenApiDocument(registry) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
      components: { schemas: Record<string, unknown> };
    };
    const fields = new Set<string>();
    const seen = new Set<unknown>();
    const walk = (s: unknown): void => {
      if (!s || typeof s !== 'object' || seen.has(s)) return;
      seen.add(s);
      const o = s as Record<string, unknown>;
      if (typeof o.$ref === 'string') return walk(doc.components.schemas[o.$ref.split('/').pop()!]);
      for (const [k, v] of Object.entries((o.properties ?? {}) as Record<string, unknown>)) {
        fields.add(k);
        walk(v);
      }
      for (const key of ['items', 'anyOf', 'oneOf', 'allOf']) [o[key]].flat().forEach(walk);
    };
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        for (const p of op.parameters ?? []) fields.add(p.name);
        walk(op.requestBody?.content?.['application/json']?.schema);
      }
    }
    expect(fields.size).toBeGreaterThan(100);
    expect([...fields].filter((f) => !FIELD_LABELS[f])).toEqual([]);
  });
});
