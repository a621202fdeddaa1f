// 联系人: the rows a customer or supplier keeps for its people, shared by both.
import type { Tx } from '../../db/transaction.ts';
import type { Contact as ContactRow } from '../../generated/prisma/client.ts';
import type { Contact, ContactInput } from '../../../shared/schemas/crm.ts';
import type { z } from '../../../shared/schemas/common.ts';

type ContactInputs = z.output<typeof ContactInput>[];

/** Contact rows to create, in the given company, from validated input. */
export function contactRows(companyId: string, contacts: ContactInputs) {
  return contacts.map((k) => ({ companyId, name: k.name, title: k.title ?? null, mobile: k.mobile ?? null, email: k.email ?? null, isPrimary: k.isPrimary }));
}

export function toContactDto(k: ContactRow): z.output<typeof Contact> {
  return { id: k.id, name: k.name, title: k.title, mobile: k.mobile, email: k.email, isPrimary: k.isPrimary };
}

/** Contacts are replaced as a whole when an update names them. */
export async function replaceContacts(
  tx: Tx,
  companyId: string,
  owner: { customerId: string } | { supplierId: string },
  contacts: ContactInputs,
): Promise<void> {
  await tx.contact.deleteMany({ where: owner });
  await tx.contact.createMany({ data: contactRows(companyId, contacts).map((k) => ({ ...k, ...owner })) });
}
