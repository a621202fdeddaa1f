// 人民币大写金额 (as written on vouchers and cheques): 1,234.50 → 壹仟贰佰叁拾肆元伍角整. Pure.
import { Decimal } from 'decimal.js';

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const PLACES = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿', '万亿'];

/** One group of up to four digits (1..9999), zeros between digits read once, trailing zeros dropped. */
function groupText(group: string): string {
  let out = '';
  let zero = false;
  const digits = group.padStart(4, '0');
  for (let i = 0; i < 4; i++) {
    const d = Number(digits[i]);
    if (d === 0) {
      zero = out !== '';
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d]! + PLACES[3 - i]!;
  }
  return out;
}

/** The integer part in 大写 without 元 ('' for 0). */
function integerText(whole: string): string {
  const groups: string[] = [];
  for (let end = whole.length; end > 0; end -= 4) groups.unshift(whole.slice(Math.max(0, end - 4), end));
  let out = '';
  let gap = false;
  groups.forEach((g, i) => {
    const value = Number(g);
    if (value === 0) {
      gap = out !== '';
      return;
    }
    // 零 where a group starts with zeros (or a whole group was zero) after a higher part
    if (out && (gap || value < 1000)) out += '零';
    gap = false;
    out += groupText(g) + GROUPS[groups.length - 1 - i]!;
  });
  return out;
}

/**
 * The amount (rounded half-up to the fen) in 人民币大写: 元, then 角 and 分; 整 when there are no 分;
 * 零 for a zero 角 between 元 and 分 (壹元零伍分); negative amounts (red vouchers) start with 负.
 */
export function rmbCapital(amount: Decimal.Value): string {
  const value = new Decimal(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  if (value.isZero()) return '零元整';
  const [whole, cents] = value.abs().toFixed(2).split('.') as [string, string];
  const jiao = Number(cents[0]);
  const fen = Number(cents[1]);
  const yuan = integerText(whole.replace(/^0+/, ''));
  let out = yuan ? `${yuan}元` : '';
  if (jiao) out += `${DIGITS[jiao]}角`;
  else if (fen && yuan) out += '零';
  if (fen) out += `${DIGITS[fen]}分`;
  else out += '整';
  return (value.isNegative() ? '负' : '') + out;
}
