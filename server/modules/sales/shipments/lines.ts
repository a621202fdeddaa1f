// The lines of a shipment or a return: each names an order line and a quantity in that line's
// unit. Checked all at once (unknown lines, the unit's precision, batches, and how much is still
// open on each line) before anything is written.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { SalesOrderLine } from '../../../generated/prisma/client.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { AppError, issuesMessage } from '../../../platform/errors.ts';
import { decimalsOf, qtyText } from '../support.ts';

export interface DocumentLineInput {
  orderLineId: string;
  quantity: string;
  batchNo?: string;
}

export interface CheckedLine<I extends DocumentLineInput = DocumentLineInput> {
  input: I;
  orderLine: SalesOrderLine;
  /** in the order line's unit */
  quantity: string;
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
  const items = await tx.item.findMany({ where: { id: { in: [...new Set(orderLines.map((l) => l.itemId))] } }, select: { id: true, name: true, baseUnitId: true, batchTracked: true } });
  const itemById = new Map(items.map((i) => [i.id, i]));
  const units = await tx.unit.findMany({ where: { id: { in: [...new Set([...orderLines.map((l) => l.unitId), ...items.map((i) => i.baseUnitId)])] } }, select: { id: true, name: true, precision: true } });
  const unitById = new Map(units.map((u) => [u.id, u]));

  const issues: FieldIssue[] = [];
  const checked: CheckedLine<I>[] = [];
  input.forEach((l, n) => {
    const ol = byId.get(l.orderLineId);
    if (!ol) return void issues.push({ field: `body.lines.${n}.orderLineId`, message: '订单行不存在（不属于该订单）' });
    const item = itemById.get(ol.itemId);
    const unit = unitById.get(ol.unitId);
    if (unit && decimalsOf(l.quantity) > unit.precision) {
      return void issues.push({ field: `body.lines.${n}.quantity`, message: unit.precision === 0 ? `计量单位「${unit.name}」的数量必须是整数` : `计量单位「${unit.name}」最多 ${unit.precision} 位小数` });
    }
    const batchNo = (l.batchNo ?? '').trim();
    if (item?.batchTracked && !batchNo) return void issues.push({ field: `body.lines.${n}.batchNo`, message: `物料「${item.name}」按批次管理，必须填写批次（炉号）` });
    if (item && !item.batchTracked && batchNo) return void issues.push({ field: `body.lines.${n}.batchNo`, message: `物料「${item.name}」不按批次管理，不能填写批次` });
    const baseQuantity = new Decimal(l.quantity).mul(ol.factor.toString()).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
    if (baseQuantity.lte(0)) return void issues.push({ field: `body.lines.${n}.quantity`, message: '换算为基本单位后数量为 0' });
    const unitName = unit?.name ?? '';
    checked.push({ input: l, orderLine: ol, quantity: l.quantity, baseQuantity: baseQuantity.toFixed(4), batchNo, unitName, text: `${qtyText(l.quantity)} ${unitName} ${item?.name ?? ''}`.trim() });
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
      const roomText = `${qtyText(room.div(factor))} ${c.unitName}${base && base.id !== c.orderLine.unitId ? `（${qtyText(room)} ${base.name}）` : ''}`;
      over.push({ field: `body.lines.${n}.quantity`, message: `${rule.tooMuch(c.orderLine, roomText)}${item ? ` ${item.name}` : ''}` });
    }
  });
  if (over.length) throw fail(over, 'CONFLICT');
  return checked;
}
