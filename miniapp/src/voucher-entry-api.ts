// 凭证录入's endpoints: save a manual voucher, and the 辅助核算 searches (客户, 供应商, 部门, 员工, 物料, 项目)
// as { id, text } choices for the entry page's cells.
import type { Page } from '../../shared/schemas/common';
import type { Customer } from '../../shared/schemas/crm';
import type { Item } from '../../shared/schemas/inventory';
import type { Colleague, Department } from '../../shared/schemas/org';
import type { Project } from '../../shared/schemas/projects';
import type { Supplier } from '../../shared/schemas/purchase';
import type { Voucher, VoucherCreate } from '../../shared/schemas/vouchers';
import { ApiError, request } from './api';
import type { DimensionKind, DimensionValue } from './utils/voucher-entry';

export function createVoucher(body: VoucherCreate): Promise<Voucher> {
  return request<Voucher>('/api/v1/vouchers', { method: 'POST', body, silent: true });
}

const choice = (id: string, code: string | null, name: string): DimensionValue => ({ id, text: code ? `${code} ${name}` : name });

/** Departments from the 通讯录 (any signed-in user may read it): for users without department:read, like the accountant. */
async function departmentsOfColleagues(q: string): Promise<DimensionValue[]> {
  const page = await request<Page<Colleague>>('/api/v1/colleagues', { query: { pageSize: 200, sort: 'name' }, silent: true });
  const seen = new Map<string, DimensionValue>();
  for (const c of page.items) if (c.department && !seen.has(c.department.id)) seen.set(c.department.id, choice(c.department.id, null, c.department.name));
  return [...seen.values()].filter((d) => !q || d.text.includes(q)).sort((a, b) => a.text.localeCompare(b.text));
}

/** Up to 20 choices whose code or name matches `q` ('' = the first ones). */
export async function searchDimension(kind: DimensionKind, q: string, signal?: AbortSignal): Promise<DimensionValue[]> {
  const query = { q: q || undefined, pageSize: 20 };
  switch (kind) {
    case 'customer':
      return (await request<Page<Customer>>('/api/v1/customers', { query, signal, silent: true })).items.map((c) => choice(c.id, c.code, c.name));
    case 'supplier':
      return (await request<Page<Supplier>>('/api/v1/suppliers', { query: { ...query, active: 'true' }, signal, silent: true })).items.map((s) => choice(s.id, s.code, s.name));
    case 'item':
      return (await request<Page<Item>>('/api/v1/items', { query, signal, silent: true })).items.map((i) => choice(i.id, i.code, i.name));
    case 'employee':
      return (await request<Page<Colleague>>('/api/v1/colleagues', { query: { ...query, sort: 'name' }, signal, silent: true })).items.map((c) => choice(c.id, null, c.name));
    case 'project':
      // 已结束 projects still take vouchers up to their end date (the server checks the date): offered, marked.
      return (await request<Page<Project>>('/api/v1/projects', { query: { ...query, sort: 'code' }, signal, silent: true })).items
        .map((p) => choice(p.id, p.code, p.status === 'closed' ? `${p.name}（已结束）` : p.name));
    case 'department':
      try {
        return (await request<Page<Department>>('/api/v1/departments', { query, signal, silent: true })).items.map((d) => choice(d.id, d.code, d.name));
      } catch (e) {
        if (e instanceof ApiError && e.status === 403) return departmentsOfColleagues(q);
        throw e;
      }
  }
}
