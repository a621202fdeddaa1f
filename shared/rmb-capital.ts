// 人民币大写金额 (as written on vouchers and cheques): 1,234.50 → 壹仟贰佰叁拾肆元伍角整. Pure and
// dependency-free (string arithmetic, no decimal.js): the server's print view and the mini-app's
// voucher entry page both load it at run time (.dependency-cruiser.cjs lists it as mini-app runtime shared).

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

/** "1234.565" → ["1234", "57"]: rounded half away from zero to the fen; null when not a decimal. */
function toFen(amount: string): { negative: boolean; whole: string; cents: string } | null {
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(amount.trim());
  if (!m || (!m[2] && !m[3])) return null;
  const frac = (m[3] ?? '').padEnd(3, '0');
  let fen = BigInt(`${m[2] || '0'}${frac.slice(0, 2)}`);
  if (Number(frac[2]) >= 5) fen += 1n;
  const digits = fen.toString().padStart(3, '0');
  return { negative: m[1] === '-' && fen !== 0n, whole: digits.slice(0, -2), cents: digits.slice(-2) };
}

/**
 * The amount (a decimal string, rounded half-up to the fen) in 人民币大写: 元, then 角 and 分; 整 when
 * there are no 分; 零 for a zero 角 between 元 and 分 (壹元零伍分); negative amounts (red vouchers)
 * start with 负. '' when the text is not a decimal.
 */
export function rmbCapital(amount: string): string {
  const value = toFen(amount);
  if (!value) return '';
  const { whole, cents } = value;
  if (/^0+$/.test(whole) && cents === '00') return '零元整';
  const jiao = Number(cents[0]);
  const fen = Number(cents[1]);
  const yuan = integerText(whole.replace(/^0+/, ''));
  let out = yuan ? `${yuan}元` : '';
  if (jiao) out += `${DIGITS[jiao]}角`;
  else if (fen && yuan) out += '零';
  if (fen) out += `${DIGITS[fen]}分`;
  else out += '整';
  return (value.negative ? '负' : '') + out;
}
