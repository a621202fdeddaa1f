// 销项税额的时点 — pure. Revenue is recognised on delivery; the VAT obligation arises at the earliest
// of the invoice, the payment received, or the contract's agreed payment date, else at shipment
// (增值税暂行条例 第十九条, 实施细则 第三十八条: 赊销和分期收款 — the day the written contract
// agrees for payment). So only a shipment whose order has an agreed payment date after the
// shipment's day, with nothing of the order paid and its goods not invoiced, books its output VAT
// as 待转销项税额 (财会〔2016〕22号); the first of (invoice issued, payment received, the agreed date
// reached) moves it to 销项税额: 借 待转销项税额 / 贷 销项税额, each shipment's amount once.
// A 小规模纳税人 has no 待转销项税额 (it keeps only 应交增值税): its shipments stay as they are.
import { Decimal } from 'decimal.js';

export interface OutputVatTimingFacts {
  taxpayerKind: 'generalTaxpayer' | 'smallScaleTaxpayer';
  /** the shipment's day, YYYY-MM-DD */
  shipDate: string;
  /** the order's 约定收款日期, YYYY-MM-DD, or null */
  agreedPaymentDate: string | null;
  /** anything of the order received before (or at) the shipment */
  paymentReceived: boolean;
}

/** True when the shipment's output VAT waits in 待转销项税额 (its obligation is later than the revenue). */
export function defersOutputVat(f: OutputVatTimingFacts): boolean {
  return f.taxpayerKind === 'generalTaxpayer' && f.agreedPaymentDate !== null && f.agreedPaymentDate > f.shipDate && !f.paymentReceived;
}

export interface PendingDeferredVat {
  id: string;
  /** 价税合计 of the shipment's deferred part */
  amountWithTax: Decimal.Value;
}

/**
 * The shipments (oldest first, as given) whose obligation an invoice or a receipt of `amount`
 * (价税合计) brings forward: each one the amount reaches, the last one reached whole (the
 * obligation arises for what was billed or paid; moving the whole shipment never makes it late).
 */
export function reachedByAmount<P extends PendingDeferredVat>(pending: readonly P[], amount: Decimal.Value): P[] {
  let left = new Decimal(amount);
  const reached: P[] = [];
  for (const p of pending) {
    if (left.lte(0)) break;
    reached.push(p);
    left = left.minus(p.amountWithTax);
  }
  return reached;
}

