// 质检 rules, pure: a result's quantities must add up to something > 0 and at most what still waits.
import { Decimal } from 'decimal.js';

export interface ResultInput {
  passedQuantity: string;
  failedQuantity: string;
  concessionQuantity: string;
}

export interface ResultSplit {
  passed: Decimal;
  failed: Decimal;
  concession: Decimal;
  total: Decimal;
}

/** The result as decimals, or the field to blame and why (messages name the fields in Chinese). */
export function splitResult(input: ResultInput, pending: Decimal.Value, unit = ''): ResultSplit | { error: { field: string; message: string } } {
  const passed = new Decimal(input.passedQuantity);
  const failed = new Decimal(input.failedQuantity);
  const concession = new Decimal(input.concessionQuantity);
  const total = passed.plus(failed).plus(concession);
  const left = new Decimal(pending);
  if (total.lte(0)) return { error: { field: 'body.passedQuantity', message: '合格数量、不合格数量与让步接收数量合计必须大于 0' } };
  if (total.gt(left)) {
    return {
      error: {
        field: 'body.passedQuantity',
        message: `合格数量、不合格数量与让步接收数量合计 ${plain(total)}${unit} 超过待检数量 ${plain(left)}${unit}`,
      },
    };
  }
  return { passed, failed, concession, total };
}

const plain = (d: Decimal) => d.toFixed();
