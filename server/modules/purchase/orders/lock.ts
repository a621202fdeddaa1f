// Every state change of a purchase order starts by locking its row (SELECT … FOR UPDATE): receipts,
// returns, cancel and close on one order run one after the other, the ledger calls come after.
import type { Tx } from '../../../db/transaction.ts';
import type { Actor } from '../../../platform/actor.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { DOCUMENT_STATE_LABELS, type DocumentState } from '../../../../shared/schemas/purchasing.ts';
import { scopedUserIds } from './refs.ts';

export interface LockedOrder {
  id: string;
  number: string;
  state: DocumentState;
  supplierId: string;
  buyerId: string;
  warehouseId: string;
  currencyCode: string;
  exchangeRate: string;
  version: number;
}

export async function lockOrder(tx: Tx, actor: Actor, id: string): Promise<LockedOrder> {
  const [row] = await tx.$queryRaw<LockedOrder[]>`
    SELECT id::text AS id, number, state::text AS state, supplier_id::text AS "supplierId", buyer_id::text AS "buyerId",
           warehouse_id::text AS "warehouseId", currency_code AS "currencyCode", exchange_rate::text AS "exchangeRate", version
      FROM purchase_order WHERE id = ${id}::uuid FOR UPDATE`;
  if (!row) throw notFound('采购订单');
  const allowed = await scopedUserIds(tx, actor);
  if (allowed && !allowed.includes(row.buyerId)) throw notFound('采购订单');
  return row;
}

/** 409 saying what the order's state forbids, e.g. "采购订单 PO-… 为「草稿」，不能入库". */
export function stateConflict(order: { number: string; state: DocumentState }, what: string): AppError {
  const message = `采购订单 ${order.number} 为「${DOCUMENT_STATE_LABELS[order.state]}」，不能${what}`;
  return new AppError('CONFLICT', message, [{ field: 'params.id', message }]);
}
