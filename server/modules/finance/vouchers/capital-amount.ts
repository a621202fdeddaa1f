// 人民币大写金额 of a Decimal: the text itself is shared/rmb-capital.ts (the mini-app's entry page shows it too).
import { Decimal } from 'decimal.js';
import { rmbCapital as capitalOf } from '../../../../shared/rmb-capital.ts';

export function rmbCapital(amount: Decimal.Value): string {
  return capitalOf(new Decimal(amount).toFixed());
}
