// 报销明细的进项税额 — pure. A line's 税额 is the one printed on a 增值税专用发票 (entered), or for a
// 国内旅客运输 ticket naming the traveller, computed (财政部 税务总局 海关总署公告2019年第39号 第六条):
//   航空: (票价 + 燃油附加费) ÷ (1 + 9 %) × 9 %   (民航发展基金 is not in the base)
//   铁路: 票面金额 ÷ (1 + 9 %) × 9 %
//   公路、水路等: 票面金额 ÷ (1 + 3 %) × 3 %
// each to the fen (half up), the rates from the finance settings. It is deductible (借 进项税额) only
// for a 一般纳税人; a 小规模纳税人, an ordinary invoice or no invoice puts the whole amount into expense.
import { Decimal } from 'decimal.js';
import { EXPENSE_INVOICE_KIND_LABELS, PASSENGER_TICKET_KINDS, type ExpenseInvoiceKind } from '../../../shared/enums.ts';
import { passengerTicketTax as ticketTax } from '../../../shared/money.ts';

export interface PassengerVatRates {
  airRail: Decimal.Value;
  roadWater: Decimal.Value;
}

const fen = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

export const isPassengerTicket = (kind: ExpenseInvoiceKind) => PASSENGER_TICKET_KINDS.includes(kind);

/** The input VAT of a passenger ticket: base ÷ (1 + rate) × rate, to the fen (shared with the mini-app's preview). */
export function passengerTicketTax(kind: ExpenseInvoiceKind, base: Decimal.Value, rates: PassengerVatRates): Decimal {
  return ticketTax(kind === 'roadWaterTicket' ? 'roadWaterTicket' : kind === 'airTicket' ? 'airTicket' : 'railTicket', base, rates);
}

export interface ExpenseLineTaxInput {
  invoiceKind: ExpenseInvoiceKind;
  /** 金额: what the employee paid, tax included */
  amount: Decimal.Value;
  /** 税额 as sent (required for a 专票; for a ticket, if sent, it must be the computed one) */
  taxAmount?: Decimal.Value | null;
  /** 航空: 票价 + 燃油附加费 (default: the amount) */
  fareAndFuel?: Decimal.Value | null;
}

export type LineTaxResult = { ok: true; taxAmount: Decimal } | { ok: false; field: 'taxAmount' | 'fareAndFuel'; message: string };

/** The 税额 a line stores, or why it is refused (the message names the Chinese labels). */
export function expenseLineTax(l: ExpenseLineTaxInput, rates: PassengerVatRates): LineTaxResult {
  const amount = new Decimal(l.amount);
  const given = l.taxAmount === undefined || l.taxAmount === null || l.taxAmount === '' ? null : new Decimal(l.taxAmount);
  if (given?.isNegative()) return { ok: false, field: 'taxAmount', message: '税额不能为负数' };
  if (given?.gt(amount)) return { ok: false, field: 'taxAmount', message: `税额 ${given.toFixed(2)} 不能大于金额 ${amount.toFixed(2)}` };
  if (l.fareAndFuel !== undefined && l.fareAndFuel !== null && l.fareAndFuel !== '') {
    if (l.invoiceKind !== 'airTicket') return { ok: false, field: 'fareAndFuel', message: '只有航空客票填写票价+燃油附加费' };
    const f = new Decimal(l.fareAndFuel);
    if (f.isNegative() || f.gt(amount)) return { ok: false, field: 'fareAndFuel', message: `票价+燃油附加费应在 0 到金额 ${amount.toFixed(2)} 之间` };
  }
  if (isPassengerTicket(l.invoiceKind)) {
    const base = l.invoiceKind === 'airTicket' && l.fareAndFuel !== undefined && l.fareAndFuel !== null && l.fareAndFuel !== '' ? l.fareAndFuel : amount;
    const tax = passengerTicketTax(l.invoiceKind, base, rates);
    if (given && !given.eq(tax)) {
      return { ok: false, field: 'taxAmount', message: `${EXPENSE_INVOICE_KIND_LABELS[l.invoiceKind]}的税额按规定计算为 ${tax.toFixed(2)}，不能填 ${given.toFixed(2)}` };
    }
    return { ok: true, taxAmount: tax };
  }
  if (l.invoiceKind === 'special') {
    if (!given) return { ok: false, field: 'taxAmount', message: '增值税专用发票请填写税额' };
    return { ok: true, taxAmount: fen(given) };
  }
  if (l.invoiceKind === 'none' && given && !given.isZero()) return { ok: false, field: 'taxAmount', message: '无发票的明细不能填写税额' };
  // 普通发票: its tax may be recorded, never deducted
  return { ok: true, taxAmount: given ? fen(given) : new Decimal(0) };
}

/** What of a line's 税额 is deductible input VAT: 专票 and 客票 of a 一般纳税人; else 0. */
export function deductibleInputVat(
  l: { invoiceKind: ExpenseInvoiceKind; taxAmount: Decimal.Value },
  taxpayerKind: 'generalTaxpayer' | 'smallScaleTaxpayer',
): Decimal {
  if (taxpayerKind !== 'generalTaxpayer') return new Decimal(0);
  return l.invoiceKind === 'special' || isPassengerTicket(l.invoiceKind) ? new Decimal(l.taxAmount) : new Decimal(0);
}
