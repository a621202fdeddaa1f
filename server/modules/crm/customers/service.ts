// 客户: use cases, each one transaction, scoped to the company and the actor's data scope.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Customer, CustomerCreate, CustomerListQuery, CustomerUpdate } from '../../../../shared/schemas/crm.ts';
import { ownerScope, withinScope, type Actor } from '../../../platform/actor.ts';
import { accessByPermission, type AttachableDocument } from '../../attachments/index.ts';
import { recordChange } from '../../../platform/audit.ts';
import { forbidden, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { assertCurrencyExists, assertUserExists } from '../../../platform/references.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { contactRows, replaceContacts, toContactDto } from '../contacts.ts';
import { isoShanghai } from '../../../../shared/time.ts';

const include = {
  owner: { select: { id: true, name: true } },
  contacts: { orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] },
} satisfies Prisma.CustomerInclude;
type CustomerRow = Prisma.CustomerGetPayload<{ include: typeof include }>;

export function toCustomerDto(c: CustomerRow): Customer {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    taxNo: c.taxNo,
    industry: c.industry,
    level: c.level,
    creditLimit: c.creditLimit.toFixed(2),
    paymentTermDays: c.paymentTermDays,
    currencyCode: c.currencyCode,
    owner: c.owner,
    phone: c.phone,
    province: c.province,
    city: c.city,
    district: c.district,
    address: c.address,
    latitude: c.latitude?.toFixed(6) ?? null,
    longitude: c.longitude?.toFixed(6) ?? null,
    remark: c.remark,
    active: c.active,
    contacts: c.contacts.map(toContactDto),
    nextContactOn: c.nextContactOn?.toISOString().slice(0, 10) ?? null,
    createdAt: isoShanghai(c.createdAt),
    updatedAt: isoShanghai(c.updatedAt),
    version: c.version,
  };
}

/** Customers this actor may see: the data scope applies to the customer's owner. */
export function customerScope(actor: Actor): Prisma.CustomerWhereInput {
  return ownerScope(actor) as Prisma.CustomerWhereInput;
}

export async function listCustomers(ctx: UseCaseContext, query: CustomerListQuery): Promise<Page<Customer>> {
  return runUseCase(ctx, (tx) => {
    const where: Prisma.CustomerWhereInput = {
      AND: [
        customerScope(ctx.actor),
        keywordWhere(query.q, ['code', 'name', 'taxNo', 'city', 'phone']),
        {
          level: query.level,
          ownerId: query.ownerId,
          province: query.province,
          city: query.city,
          industry: query.industry,
          active: query.active,
        },
      ],
    };
    const orderBy = orderByOf(query.sort, 'code') as Prisma.CustomerOrderByWithRelationInput[];
    return findPage(query, (w) => tx.customer.findMany({ where, orderBy, include, ...w }), () => tx.customer.count({ where }), toCustomerDto);
  });
}

/** 客户附件 (门头照片, 营业执照 …): seen with the customer, added by whoever may edit it. */
export const customerAttachable: AttachableDocument = {
  label: '客户',
  access: (tx, actor, id) =>
    accessByPermission(actor, { read: 'customer:read', change: 'customer:update' }, async () =>
      !!(await tx.customer.findFirst({ where: { AND: [{ id }, customerScope(actor)] }, select: { id: true } }))),
};

async function findVisible(tx: Tx, actor: Actor, id: string): Promise<CustomerRow> {
  const row = await tx.customer.findFirst({ where: { AND: [{ id }, customerScope(actor)] }, include });
  if (!row) throw notFound('客户');
  return row;
}

export async function getCustomer(ctx: UseCaseContext, id: string): Promise<Customer> {
  return runUseCase(ctx, async (tx) => toCustomerDto(await findVisible(tx, ctx.actor, id)));
}

/** The owner must be someone within the actor's data scope (a salesperson owns what they create). */
async function checkOwner(tx: Tx, actor: Actor, ownerId: string): Promise<void> {
  const owner = await assertUserExists(tx, ownerId, 'body.ownerId');
  if (!withinScope(actor, owner)) throw forbidden('不能把客户分配给数据范围以外的负责人');
}

export async function createCustomer(ctx: UseCaseContext, input: CustomerCreate): Promise<Customer> {
  return runUseCase(ctx, async (tx) => {
    const { contacts, ownerId: requestedOwner, ...fields } = input;
    const ownerId = requestedOwner ?? ctx.actor.userId;
    await checkOwner(tx, ctx.actor, ownerId);
    await assertCurrencyExists(tx, input.currencyCode);
    const row = await tx.customer.create({
      data: { ...fields, companyId: ctx.actor.companyId, ownerId, contacts: { create: contactRows(ctx.actor.companyId, contacts) } },
      include,
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'customer', entityId: row.id, after: row, payload: { code: row.code, name: row.name } });
    return toCustomerDto(row);
  });
}

export async function updateCustomer(ctx: UseCaseContext, id: string, input: CustomerUpdate): Promise<Customer> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisible(tx, ctx.actor, id);
    const { contacts, version, ...fields } = input;
    if (fields.ownerId) await checkOwner(tx, ctx.actor, fields.ownerId);
    if (fields.currencyCode) await assertCurrencyExists(tx, fields.currencyCode);
    await updateVersioned(tx.customer, { where: { id }, version, data: fields, label: '客户' });
    if (contacts) await replaceContacts(tx, ctx.actor.companyId, { customerId: id }, contacts);
    const after = await findVisible(tx, ctx.actor, id).catch(() => tx.customer.findUniqueOrThrow({ where: { id }, include }));
    await recordChange(tx, ctx, { action: 'update', entity: 'customer', entityId: id, before, after, payload: { code: after.code, name: after.name } });
    return toCustomerDto(after);
  });
}

export async function deleteCustomer(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisible(tx, ctx.actor, id);
    await tx.customer.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'customer', entityId: id, before, payload: { code: before.code, name: before.name } });
  });
}
