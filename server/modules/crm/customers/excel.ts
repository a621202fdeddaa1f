// 客户 Excel 导出与导入. An import adds new codes and updates existing ones (so export → edit →
// import round-trips); it checks every row first and writes nothing if any row is bad.
import type { Customer } from '../../../../shared/schemas/crm.ts';
import { CustomerCreate } from '../../../../shared/schemas/crm.ts';
import type { CustomerListQuery } from '../../../../shared/schemas/crm.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { withinScope } from '../../../platform/actor.ts';
import { recordAudits } from '../../../platform/audit.ts';
import { headersOf, ImportIssues, readSheet, writeWorkbook, type Column } from '../../../platform/excel.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { customerScope, listCustomers } from './service.ts';

type Row = Customer & { ownerUsername: string | null };

const yesNo = (b: boolean) => (b ? '是' : '否');
const primary = (c: Customer) => c.contacts.find((k) => k.isPrimary) ?? c.contacts[0];

export const customerColumns: Column<Row>[] = [
  { key: 'code', header: '客户编码', value: (c) => c.code },
  { key: 'name', header: '客户名称', width: 36, value: (c) => c.name },
  { key: 'taxNo', header: '税号', width: 22, value: (c) => c.taxNo },
  { key: 'industry', header: '行业', value: (c) => c.industry },
  { key: 'level', header: '等级', value: (c) => c.level },
  { key: 'creditLimit', header: '信用额度', value: (c) => c.creditLimit },
  { key: 'paymentTermDays', header: '账期天数', value: (c) => c.paymentTermDays },
  { key: 'currencyCode', header: '币别', value: (c) => c.currencyCode },
  { key: 'ownerUsername', header: '负责人账号', value: (c) => c.ownerUsername },
  { key: 'phone', header: '电话', value: (c) => c.phone },
  { key: 'province', header: '省份', value: (c) => c.province },
  { key: 'city', header: '城市', value: (c) => c.city },
  { key: 'district', header: '区县', value: (c) => c.district },
  { key: 'address', header: '地址', width: 40, value: (c) => c.address },
  { key: 'latitude', header: '纬度(GCJ-02)', value: (c) => c.latitude },
  { key: 'longitude', header: '经度(GCJ-02)', value: (c) => c.longitude },
  { key: 'contactName', header: '主联系人', value: (c) => primary(c)?.name },
  { key: 'contactTitle', header: '联系人职务', value: (c) => primary(c)?.title },
  { key: 'contactMobile', header: '联系人手机', value: (c) => primary(c)?.mobile },
  { key: 'active', header: '启用', value: (c) => yesNo(c.active) },
  { key: 'remark', header: '备注', width: 30, value: (c) => c.remark },
];

export async function exportCustomers(ctx: UseCaseContext, query: Omit<CustomerListQuery, 'page' | 'pageSize'>): Promise<Buffer> {
  const page = await listCustomers(ctx, { ...query, page: 1, pageSize: 10_000 });
  const usernames = await runUseCase(ctx, (tx) =>
    tx.user.findMany({ where: { id: { in: page.items.flatMap((c) => (c.owner ? [c.owner.id] : [])) } }, select: { id: true, username: true } }),
  );
  const byId = new Map(usernames.map((u) => [u.id, u.username]));
  const rows = page.items.map((c) => ({ ...c, ownerUsername: c.owner ? byId.get(c.owner.id) ?? null : null }));
  return writeWorkbook('客户', customerColumns, rows);
}

const ContactKey: Record<string, string> = { name: 'contactName', title: 'contactTitle', mobile: 'contactMobile' };

interface Refs {
  owners: Map<string, { id: string; username: string; departmentId: string | null }>;
  currencies: Set<string>;
}
type Found = { id: string; visible: boolean };

const customerImport: CodeImport<Refs, Found, CustomerCreate> = {
  entity: 'customer',
  columns: customerColumns,

  async existing({ tx, ctx }, codes) {
    const visible = new Set((await tx.customer.findMany({ where: { AND: [{ code: { in: codes } }, customerScope(ctx.actor)] }, select: { code: true } })).map((c) => c.code));
    const rows = await tx.customer.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
    return new Map(rows.map((c) => [c.code, { id: c.id, visible: visible.has(c.code) }]));
  },

  async lookup({ tx }, records) {
    const usernames = [...new Set(records.flatMap((r) => (r.values.ownerUsername ? [r.values.ownerUsername] : [])))];
    const owners = await tx.user.findMany({ where: { username: { in: usernames } }, select: { id: true, username: true, departmentId: true } });
    const currencies = await tx.currency.findMany({ select: { code: true } });
    return { owners: new Map(owners.map((u) => [u.username, u])), currencies: new Set(currencies.map((c) => c.code)) };
  },

  parse({ values: v }, refs, found, issues) {
    const r = CustomerCreate.safeParse({
      ...v,
      paymentTermDays: numberCell(v.paymentTermDays),
      active: yesNoCell(v.active, 'active', issues),
      contacts: v.contactName ? [{ name: v.contactName, title: v.contactTitle, mobile: v.contactMobile, isPrimary: true }] : [],
    });
    if (!r.success) {
      issues.zod(r.error, (path) => (path[0] === 'contacts' ? ContactKey[String(path[2])] ?? 'contactName' : String(path[0] ?? '')));
      return undefined;
    }
    return { ...r.data, ownerId: this.owner?.(v.ownerUsername, refs, issues) };
  },
  create: async () => ({ id: '', after: null }),
  update: async () => ({ before: null, after: null }),
};
