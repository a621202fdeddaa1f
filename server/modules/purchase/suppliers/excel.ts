// 供应商 Excel 导出与导入. An import adds new codes and updates existing ones (so export → edit →
// import round-trips); it checks every row first and writes nothing if any row is bad. The sheet
// carries the primary contact only: an import updates (or adds) that one and keeps the others.
import type { Supplier, SupplierListQuery } from '../../../../shared/schemas/purchase.ts';
import { SupplierCreate } from '../../../../shared/schemas/purchase.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { writeWorkbook, type Column } from '../../../platform/excel.ts';
import { importByCode, numberCell, yesNo, yesNoCell, type CodeImport, type ImportOutcome } from '../../../platform/import.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { contactRows } from '../../crm/index.ts';
import { listSuppliers } from './service.ts';

const primary = (s: Supplier) => s.contacts.find((k) => k.isPrimary) ?? s.contacts[0];

export const supplierColumns: Column<Supplier>[] = [
  { key: 'code', header: '供应商编码', value: (s) => s.code },
  { key: 'name', header: '供应商名称', width: 36, value: (s) => s.name },
  { key: 'taxNo', header: '税号', width: 22, value: (s) => s.taxNo },
  { key: 'category', header: '类别', value: (s) => s.category },
  { key: 'paymentTermDays', header: '账期天数', value: (s) => s.paymentTermDays },
  { key: 'currencyCode', header: '币别', value: (s) => s.currencyCode },
  { key: 'phone', header: '电话', width: 16, value: (s) => s.phone },
  { key: 'province', header: '省份', value: (s) => s.province },
  { key: 'city', header: '城市', value: (s) => s.city },
  { key: 'address', header: '地址', width: 40, value: (s) => s.address },
  { key: 'bankName', header: '开户银行', width: 26, value: (s) => s.bankName },
  { key: 'bankAccount', header: '银行账号', width: 24, value: (s) => s.bankAccount },
  { key: 'contactName', header: '主联系人', value: (s) => primary(s)?.name },
  { key: 'contactTitle', header: '联系人职务', value: (s) => primary(s)?.title },
  { key: 'contactMobile', header: '联系人手机', width: 14, value: (s) => primary(s)?.mobile },
  { key: 'active', header: '启用', value: (s) => yesNo(s.active) },
  { key: 'remark', header: '备注', width: 30, value: (s) => s.remark },
];

export async function exportSuppliers(ctx: UseCaseContext, query: Omit<SupplierListQuery, 'page' | 'pageSize'>): Promise<Buffer> {
  const page = await listSuppliers(ctx, { ...query, page: 1, pageSize: 10_000 });
  return writeWorkbook('供应商', supplierColumns, page.items);
}

const contacts = { orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] } satisfies Prisma.Supplier$contactsArgs;
type Found = Prisma.SupplierGetPayload<{ include: { contacts: typeof contacts } }>;
interface Refs {
  currencies: Set<string>;
}

const ContactKey: Record<string, string> = { name: 'contactName', title: 'contactTitle', mobile: 'contactMobile' };

const supplierImport: CodeImport<Refs, Found, SupplierCreate> = {
  entity: 'supplier',
  columns: supplierColumns,

  async existing({ tx }, codes) {
    const rows = await tx.supplier.findMany({ where: { code: { in: codes } }, include: { contacts } });
    return new Map(rows.map((s) => [s.code, s]));
  },

  async lookup({ tx }) {
    return { currencies: new Set((await tx.currency.findMany({ select: { code: true } })).map((c) => c.code)) };
  },

  parse({ values: v }, refs, _found, issues) {
    if (!v.contactName && (v.contactTitle || v.contactMobile)) issues.add('contactName', '填写了联系人职务或手机时，主联系人必填');
    // An empty cell clears the field: the sheet is the whole supplier.
    const r = SupplierCreate.safeParse({
      code: v.code,
      name: v.name,
      taxNo: v.taxNo ?? null,
      category: v.category ?? null,
      paymentTermDays: numberCell(v.paymentTermDays),
      currencyCode: v.currencyCode,
      phone: v.phone ?? null,
      province: v.province ?? null,
      city: v.city ?? null,
      address: v.address ?? null,
      bankName: v.bankName ?? null,
      bankAccount: v.bankAccount ?? null,
      remark: v.remark ?? null,
      active: yesNoCell(v.active, 'active', issues),
      contacts: v.contactName ? [{ name: v.contactName, title: v.contactTitle ?? null, mobile: v.contactMobile ?? null, isPrimary: true }] : [],
    });
    if (!r.success) {
      issues.zod(r.error, (path) => (path[0] === 'contacts' ? ContactKey[String(path[2])] ?? 'contactName' : String(path[0] ?? '')));
      return undefined;
    }
    if (!refs.currencies.has(r.data.currencyCode)) issues.add('currencyCode', `币别 ${r.data.currencyCode} 不存在`);
    return r.data;
  },

  async create({ tx, ctx }, input) {
    const { contacts: people, ...fields } = input;
    const companyId = ctx.actor.companyId;
    const row = await tx.supplier.create({ data: { ...fields, companyId, contacts: { create: contactRows(companyId, people) } }, include: { contacts } });
    return { id: row.id, after: row };
  },

  async update({ tx, ctx }, found, input) {
    const { contacts: people, ...fields } = input;
    const contact = people[0];
    if (contact) {
      const current = found.contacts.find((k) => k.isPrimary) ?? found.contacts[0];
      const values = { name: contact.name, title: contact.title ?? null, mobile: contact.mobile ?? null, isPrimary: true };
      if (current) await tx.contact.update({ where: { id: current.id }, data: values });
      else await tx.contact.create({ data: { ...values, companyId: ctx.actor.companyId, supplierId: found.id } });
    }
    const after = await tx.supplier.update({ where: { id: found.id }, data: { ...fields, version: { increment: 1 } }, include: { contacts } });
    return { before: found, after };
  },
};

export function importSuppliers(ctx: UseCaseContext, file: Buffer): Promise<ImportOutcome> {
  return importByCode(ctx, file, supplierImport);
}
