// The lines of a shipment or a return: each names an order line and a quantity in any unit the
// item has (the order line's by default). What ships or comes back is counted in the item's base
// unit — on the document line and in the order line's shipped and returned quantities — because a
// unit such as 箱 (precision 0) cannot hold 5 个; the unit and quantity entered are kept beside it
// for the reply. Checked all at once (unknown lines and units, the unit's precision, an exact
// conversion, batches, and how much is still open on each line) before anything is written.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { SalesOrderLine } from '../../../generated/prisma/client.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { AppError, issuesMessage } from '../../../platform/errors.ts';
import { factorFor } from '../../inventory/index.ts';
import { decimalsOf, qtyText } from '../support.ts';

export interface DocumentLineInput {
  orderLineId: string;
  /** default: the order line's unit */
  unitId?: string;
  quantity: string;
  batchNo?: string;
}

export interface CheckedLine<I extends DocumentLineInput = DocumentLineInput> {
  input: I;
  orderLine: SalesOrderLine;
  /** in unitId, as entered */
  quantity: string;
  unitId: string;
  baseQuantity: string;
  batchNo: string;
  unitName: string;
  /** "3 箱 M8螺栓" */
  text: string;
}

const fail = (issues: FieldIssue[], code: 'VALIDATION_FAILED' | 'CONFLICT' = 'VALIDATION_FAILED') =>
  new AppError(code, issuesMessage(issues), issues);

export async function checkDocumentLines<I extends DocumentLineInput>(
  tx: Tx,
  orderId: string,
  input: I[],
  rule: { room: (l: SalesOrderLine) => Decimal; tooMuch: (l: SalesOrderLine, room: string) => string },
): Promise<CheckedLine<I>[]> {
  const orderLines = await tx.salesOrderLine.findMany({ where: { orderId, id: { in: [...new Set(input.map((l) => l.orderLineId))] } } });
  const byId = new Map(orderLines.map((l) => [l.id, l]));
  const items = await tx.item.findMany({
    where: { id: { in: [...new Set(orderLines.map((l) => l.itemId))] } },
    select: { id: true, name: true, baseUnitId: true, batchTracked: true, conversions: { select: { unitId: true, factor: true } } },
  });
  const itemById = new Map(items.map((i) => [i.id, i]));
  const unitIds = [...orderLines.map((l) => l.unitId), ...items.map((i) => i.baseUnitId), ...input.flatMap((l) => (l.unitId ? [l.unitId] : []))];
  const units = await tx.unit.findMany({ where: { id: { in: [...new Set(unitIds)] } }, select: { id: true, name: true, precision: true } });
  const unitById = new Map(units.map((u) => [u.id, u]));

  const issues: FieldIssue[] = [];
  const checked: CheckedLine<I>[] = [];
  input.forEach((l, n) => {
    const ol = byId.get(l.orderLineId);
    if (!ol) return void issues.push({ field: `body.lines.${n}.orderLineId`, message: '订单行不存在（不属于该订单）' });
    const item = itemById.get(ol.itemId);
    const unitId = l.unitId ?? ol.unitId;
    // The order line's own unit converts at the line's factor; another unit of the item at the item's.
    let factor = ol.factor.toString();
    if (unitId !== ol.unitId) {
      try {
        factor = item ? factorFor(item, unitId) : '';
      } catch {
        factor = '';
      }
      if (!factor) return void issues.push({ field: `body.lines.${n}.unitId`, message: `物料「${item?.name ?? ''}」没有该计量单位` });
    }
    const unit = unitById.get(unitId);
    if (unit && decimalsOf(l.quantity) > unit.precision) {
      return void issues.push({ field: `body.lines.${n}.quantity`, message: unit.precision === 0 ? `计量单位「${unit.name}」的数量必须是整数` : `计量单位「${unit.name}」最多 ${unit.precision} 位小数` });
    }
    const batchNo = (l.batchNo ?? '').trim();
    if (item?.batchTracked && !batchNo) return void issues.push({ field: `body.lines.${n}.batchNo`, message: `物料「${item.name}」按批次管理，必须填写批次（炉号）` });
    if (item && !item.batchTracked && batchNo) return void issues.push({ field: `body.lines.${n}.batchNo`, message: `物料「${item.name}」不按批次管理，不能填写批次` });
    const exact = new Decimal(l.quantity).mul(factor);
    const baseQuantity = exact.toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
    if (baseQuantity.lte(0)) return void issues.push({ field: `body.lines.${n}.quantity`, message: '换算为基本单位后数量为 0' });
    // Stock moves in the base unit at 4 decimals: a quantity that does not convert exactly would move another amount than asked.
    if (!baseQuantity.eq(exact)) return void issues.push({ field: `body.lines.${n}.quantity`, message: `换算为基本单位后超过 4 位小数（${exact.toString()}）` });
    const unitName = unit?.name ?? '';
    checked.push({ input: l, orderLine: ol, quantity: l.quantity, unitId, baseQuantity: baseQuantity.toFixed(4), batchNo, unitName, text: `${qtyText(l.quantity)} ${unitName} ${item?.name ?? ''}`.trim() });
  });
  if (issues.length) throw fail(issues);

  // How much is still open on each line (several request lines may draw on one order line).
  const drawn = new Map<string, Decimal>();
  const over: FieldIssue[] = [];
  checked.forEach((c, n) => {
    const total = (drawn.get(c.orderLine.id) ?? new Decimal(0)).plus(c.baseQuantity);
    drawn.set(c.orderLine.id, total);
    const room = rule.room(c.orderLine);
    if (total.gt(room)) {
      const factor = new Decimal(c.orderLine.factor.toString());
      const item = itemById.get(c.orderLine.itemId);
      const base = item ? unitById.get(item.baseUnitId) : undefined;
      const lineUnit = unitById.get(c.orderLine.unitId)?.name ?? '';
      const roomText = `${qtyText(room.div(factor))} ${lineUnit}${base && base.id !== c.orderLine.unitId ? `（${qtyText(room)} ${base.name}）` : ''}`;
      over.push({ field: `body.lines.${n}.quantity`, message: `${rule.tooMuch(c.orderLine, roomText)}${item ? ` ${item.name}` : ''}` });
    }
  });
  if (over.length) throw fail(over, 'CONFLICT');
  return checked;
}
