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

export async function importCustomers(ctx: UseCaseContext, file: Buffer): Promise<{ total: number; created: number; updated: number }> {
  const records = await readSheet(file, customerColumns);
  const issues = new ImportIssues(headersOf(customerColumns));
  return runUseCase(ctx, async (tx) => {
    // 1. Each row on its own.
    const parsed: { row: number; ownerUsername?: string; input: CustomerCreate }[] = [];
    const seen = new Map<string, number>();
    for (const { row, values: v } of records) {
      const candidate = {
        ...v,
        paymentTermDays: v.paymentTermDays === undefined ? undefined : Number(v.paymentTermDays),
        active: v.active === undefined ? undefined : v.active === '是' ? true : v.active === '否' ? false : v.active,
        contacts: v.contactName ? [{ name: v.contactName, title: v.contactTitle, mobile: v.contactMobile, isPrimary: true }] : [],
      };
      const r = CustomerCreate.safeParse(candidate);
      if (!r.success) {
        for (const i of r.error.issues) {
          const key = i.path[0] === 'contacts' ? ContactKey[String(i.path[2])] ?? 'contactName' : String(i.path[0] ?? '');
          issues.add(row, key, i.message);
        }
        continue;
      }
      const dup = seen.get(r.data.code);
      if (dup) issues.add(row, 'code', `与第 ${dup} 行编码重复`);
      seen.set(r.data.code, row);
      parsed.push({ row, ownerUsername: v.ownerUsername, input: r.data });
    }

    // 2. References, all at once: owners, currencies, existing codes within the actor's scope.
    const owners = new Map(
      (await tx.user.findMany({ where: { username: { in: parsed.flatMap((p) => (p.ownerUsername ? [p.ownerUsername] : [])) } }, select: { id: true, username: true, departmentId: true } })).map((u) => [u.username, u]),
    );
    const currencies = new Set((await tx.currency.findMany({ select: { code: true } })).map((c) => c.code));
    const codes = parsed.map((p) => p.input.code);
    const existing = new Map((await tx.customer.findMany({ where: { code: { in: codes } }, select: { id: true, code: true, ownerId: true } })).map((c) => [c.code, c]));
    const visible = new Set((await tx.customer.findMany({ where: { AND: [{ code: { in: codes } }, customerScope(ctx.actor)] }, select: { code: true } })).map((c) => c.code));
    const a = ctx.actor;
    const writes: { row: number; ownerId: string; input: CustomerCreate; existingId?: string }[] = [];
    for (const p of parsed) {
      const owner = p.ownerUsername ? owners.get(p.ownerUsername) : { id: a.userId, departmentId: a.departmentId };
      if (!owner) issues.add(p.row, 'ownerUsername', `用户 ${p.ownerUsername} 不存在`);
      else if (!withinScope(a, owner)) issues.add(p.row, 'ownerUsername', '负责人不在你的数据范围内');
      if (!currencies.has(p.input.currencyCode)) issues.add(p.row, 'currencyCode', `币别 ${p.input.currencyCode} 不存在`);
      const found = existing.get(p.input.code);
      if (found && !visible.has(p.input.code)) issues.add(p.row, 'code', '该编码已被你无权查看的客户使用');
      if (owner) writes.push({ row: p.row, ownerId: owner.id, input: p.input, existingId: found?.id });
    }
    issues.throwIfAny();

    // 3. Every row is good: write them all.
    const audits: Parameters<typeof recordAudits>[2] = [];
    let created = 0;
    for (const w of writes) {
      const { contacts, ownerId: _ignored, ...fields } = w.input;
      const data = { ...fields, ownerId: w.ownerId } satisfies Prisma.CustomerUncheckedUpdateInput;
      if (w.existingId) {
        const before = await tx.customer.findUniqueOrThrow({ where: { id: w.existingId }, include: { contacts: true } });
        const after = await tx.customer.update({ where: { id: w.existingId }, data: { ...data, version: { increment: 1 } } });
        const contact = contacts[0];
        if (contact) {
          const current = before.contacts.find((k) => k.isPrimary) ?? before.contacts[0];
          const values = { name: contact.name, title: contact.title ?? null, mobile: contact.mobile ?? null, isPrimary: true };
          if (current) await tx.contact.update({ where: { id: current.id }, data: values });
          else await tx.contact.create({ data: { ...values, companyId: a.companyId, customerId: w.existingId } });
        }
        audits.push({ action: 'import', entity: 'customer', entityId: w.existingId, before, after });
      } else {
        const row = await tx.customer.create({
          data: { ...data, companyId: a.companyId, contacts: { create: contacts.map((k) => ({ companyId: a.companyId, name: k.name, title: k.title ?? null, mobile: k.mobile ?? null, isPrimary: true })) } },
        });
        created++;
        audits.push({ action: 'import', entity: 'customer', entityId: row.id, after: row });
      }
    }
    await recordAudits(tx, ctx, audits);
    await emitEvent(tx, a.companyId, { type: 'customer.imported', aggregate: 'customer', payload: { total: writes.length, created, updated: writes.length - created } });
    return { total: writes.length, created, updated: writes.length - created };
  }, { timeoutMs: 120_000 });
}
