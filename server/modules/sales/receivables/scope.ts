// 应收的数据范围: invoices and receipts belong to the customer's salesperson (customer.owner_id), the
// same rule as the customer API: outside the actor's scope a customer or its documents answer 404.
import type { Tx } from '../../../db/transaction.ts';
import type { Actor } from '../../../platform/actor.ts';
import { notFound } from '../../../platform/errors.ts';
import { ownerScopeSql } from '../support.ts';

export interface ScopedCustomer {
  id: string;
  code: string;
  name: string;
  paymentTermDays: number;
}

/** The customer if the actor may see it (optionally locked FOR UPDATE), else 404. */
export async function customerInScope(tx: Tx, actor: Actor, customerId: string, opts: { lock?: boolean } = {}): Promise<ScopedCustomer> {
  const rows = opts.lock
    ? await tx.$queryRaw<ScopedCustomer[]>`
        SELECT id::text, code, name, payment_term_days AS "paymentTermDays" FROM customer
         WHERE id = ${customerId}::uuid AND ${ownerScopeSql(actor, 'owner_id')} FOR UPDATE`
    : await tx.$queryRaw<ScopedCustomer[]>`
        SELECT id::text, code, name, payment_term_days AS "paymentTermDays" FROM customer
         WHERE id = ${customerId}::uuid AND ${ownerScopeSql(actor, 'owner_id')}`;
  if (!rows[0]) throw notFound('客户');
  return rows[0];
}

/** Customer ids in scope as SQL on a customer_id column. */
export function customerScopeSql(actor: Actor, column: string) {
  return ownerScopeSql(actor, `(SELECT owner_id FROM customer WHERE customer.id = ${column})`);
}
