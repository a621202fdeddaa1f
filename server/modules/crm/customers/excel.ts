// 客户 Excel 导出与导入. An import adds new codes and updates existing ones (so export → edit →
// import round-trips); it checks every row first and writes nothing if any row is bad.
import type { Customer } from '../../../../shared/schemas/crm.ts';
import { CustomerCreate } from '../../../../shared/schemas/crm.ts';
import type { CustomerListQuery } from '../../../../shared/schemas/crm.ts';
import { withinScope, type Actor } from '../../../platform/actor.ts';
import { writeWorkbook, type Column } from '../../../platform/excel.ts';
import { importByCode, numberCell, yesNo, yesNoCell, type CodeImport, type ImportOutcome } from '../../../platform/import.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { customerScope, listCustomers } from './service.ts';

type Row = Customer & { ownerUsername: string | null };

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
  actor: Actor;
  owners: Map<string, { id: string; departmentId: string | null }>;
  currencies: Set<string>;
}
/** A stored customer under a sheet code, and whether it is within the actor's data scope. */
type Found = { id: string; visible: boolean };

const customerImport: CodeImport<Refs, Found, CustomerCreate & { ownerId: string }> = {
  entity: 'customer',
  columns: customerColumns,

  async existing({ tx, ctx }, codes) {
    const rows = await tx.customer.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
    const visible = new Set((await tx.customer.findMany({ where: { AND: [{ code: { in: codes } }, customerScope(ctx.actor)] }, select: { code: true } })).map((c) => c.code));
    return new Map(rows.map((c) => [c.code, { id: c.id, visible: visible.has(c.code) }]));
  },

  async lookup({ tx, ctx }, records) {
    const usernames = [...new Set(records.flatMap((r) => (r.values.ownerUsername ? [r.values.ownerUsername] : [])))];
    const owners = new Map<string, { id: string; departmentId: string | null }>(
      (await tx.user.findMany({ where: { username: { in: usernames } }, select: { id: true, username: true, departmentId: true } })).map((u) => [u.username, u]),
    );
    owners.set('', { id: ctx.actor.userId, departmentId: ctx.actor.departmentId });
    const currencies = new Set((await tx.currency.findMany({ select: { code: true } })).map((c) => c.code));
    return { actor: ctx.actor, owners, currencies };
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
    // An empty 负责人账号 means the importing user.
    const owner = refs.owners.get(v.ownerUsername ?? '');
    if (!owner) issues.add('ownerUsername', `用户 ${v.ownerUsername} 不存在`);
    else if (!withinScope(refs.actor, owner)) issues.add('ownerUsername', '负责人不在你的数据范围内');
    if (!refs.currencies.has(r.data.currencyCode)) issues.add('currencyCode', `币别 ${r.data.currencyCode} 不存在`);
    if (found && !found.visible) issues.add('code', '该编码已被你无权查看的客户使用');
    return owner ? { ...r.data, ownerId: owner.id } : undefined;
  },

  async create({ tx, ctx }, input) {
    const { contacts, ...fields } = input;
    const companyId = ctx.actor.companyId;
    const row = await tx.customer.create({
      data: { ...fields, companyId, contacts: { create: contacts.map((k) => ({ companyId, name: k.name, title: k.title ?? null, mobile: k.mobile ?? null, isPrimary: true })) } },
    });
    return { id: row.id, after: row };
  },

  async update({ tx, ctx }, found, input) {
    const { contacts, ...fields } = input;
    const before = await tx.customer.findUniqueOrThrow({ where: { id: found.id }, include: { contacts: true } });
    const after = await tx.customer.update({ where: { id: found.id }, data: { ...fields, version: { increment: 1 } } });
    const contact = contacts[0];
    if (contact) {
      const current = before.contacts.find((k) => k.isPrimary) ?? before.contacts[0];
      const values = { name: contact.name, title: contact.title ?? null, mobile: contact.mobile ?? null, isPrimary: true };
      if (current) await tx.contact.update({ where: { id: current.id }, data: values });
      else await tx.contact.create({ data: { ...values, companyId: ctx.actor.companyId, customerId: found.id } });
    }
    return { before, after };
  },
};

export function importCustomers(ctx: UseCaseContext, file: Buffer): Promise<ImportOutcome> {
  return importByCode(ctx, file, customerImport);
}
