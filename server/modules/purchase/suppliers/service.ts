// 供应商: use cases, each one transaction, scoped to the company (no data scope: anyone with
// supplier:read sees every supplier of the company).
import { accessByPermission, type AttachableDocument } from '../../attachments/index.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Supplier, SupplierCreate, SupplierListQuery, SupplierUpdate } from '../../../../shared/schemas/purchase.ts';
import { recordChange } from '../../../platform/audit.ts';
import { notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { assertCurrencyExists } from '../../../platform/references.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { contactRows, replaceContacts, toContactDto } from '../../crm/index.ts';
import { isoShanghai } from '../../../../shared/time.ts';

const include = {
  contacts: { orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] },
} satisfies Prisma.SupplierInclude;
type SupplierRow = Prisma.SupplierGetPayload<{ include: typeof include }>;

export function toSupplierDto(s: SupplierRow): Supplier {
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    taxNo: s.taxNo,
    category: s.category,
    paymentTermDays: s.paymentTermDays,
    currencyCode: s.currencyCode,
    phone: s.phone,
    province: s.province,
    city: s.city,
    address: s.address,
    bankName: s.bankName,
    bankAccount: s.bankAccount,
    remark: s.remark,
    active: s.active,
    contacts: s.contacts.map(toContactDto),
    createdAt: isoShanghai(s.createdAt),
    updatedAt: isoShanghai(s.updatedAt),
    version: s.version,
  };
}

export async function listSuppliers(ctx: UseCaseContext, query: SupplierListQuery): Promise<Page<Supplier>> {
  return runUseCase(ctx, (tx) => {
    const where: Prisma.SupplierWhereInput = {
      AND: [
        keywordWhere(query.q, ['code', 'name', 'taxNo', 'city']),
        { category: query.category, province: query.province, active: query.active },
      ],
    };
    const orderBy = orderByOf(query.sort, 'code') as Prisma.SupplierOrderByWithRelationInput[];
    return findPage(query, (w) => tx.supplier.findMany({ where, orderBy, include, ...w }), () => tx.supplier.count({ where }), toSupplierDto);
  });
}

/** 供应商附件 (资质, 合同扫描件): suppliers have no data scope, only permissions. */
export const supplierAttachable: AttachableDocument = {
  label: '供应商',
  access: (tx, actor, id) =>
    accessByPermission(actor, { read: 'supplier:read', change: 'supplier:update' }, async () => !!(await tx.supplier.findUnique({ where: { id }, select: { id: true } }))),
};

async function findSupplier(tx: Tx, id: string): Promise<SupplierRow> {
  const row = await tx.supplier.findUnique({ where: { id }, include });
  if (!row) throw notFound('供应商');
  return row;
}

export async function getSupplier(ctx: UseCaseContext, id: string): Promise<Supplier> {
  return runUseCase(ctx, async (tx) => toSupplierDto(await findSupplier(tx, id)));
}

export async function createSupplier(ctx: UseCaseContext, input: SupplierCreate): Promise<Supplier> {
  return runUseCase(ctx, async (tx) => {
    const { contacts, ...fields } = input;
    await assertCurrencyExists(tx, input.currencyCode);
    const row = await tx.supplier.create({
      data: { ...fields, companyId: ctx.actor.companyId, contacts: { create: contactRows(ctx.actor.companyId, contacts) } },
      include,
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'supplier', entityId: row.id, after: row, payload: { code: row.code, name: row.name } });
    return toSupplierDto(row);
  });
}

export async function updateSupplier(ctx: UseCaseContext, id: string, input: SupplierUpdate): Promise<Supplier> {
  return runUseCase(ctx, async (tx) => {
    const before = await findSupplier(tx, id);
    const { contacts, version, ...fields } = input;
    if (fields.currencyCode) await assertCurrencyExists(tx, fields.currencyCode);
    await updateVersioned(tx.supplier, { where: { id }, version, data: fields, label: '供应商' });
    if (contacts) await replaceContacts(tx, ctx.actor.companyId, { supplierId: id }, contacts);
    const after = await findSupplier(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'supplier', entityId: id, before, after, payload: { code: after.code, name: after.name } });
    return toSupplierDto(after);
  });
}

export async function deleteSupplier(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findSupplier(tx, id);
    // Purchase orders, receipts and payables will reference suppliers; their issues add the
    // "正被 N 张采购订单使用" checks here. Until then contacts go with the supplier (cascade).
    await tx.supplier.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'supplier', entityId: id, before, payload: { code: before.code, name: before.name } });
  });
}
