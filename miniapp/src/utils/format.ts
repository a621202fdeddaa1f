// Display helpers (pure; unit-testable).

export const DASH = '—';

export function orDash(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  const s = String(value).trim();
  return s ? s : DASH;
}

const CURRENCY_SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', HKD: 'HK$', JPY: 'JP¥' };

/** "1234567.5" + "CNY" → "¥1,234,567.50" — string based, no float rounding. */
export function formatMoney(amount: string | null | undefined, currencyCode?: string | null): string {
  if (amount === null || amount === undefined || amount.trim() === '') return DASH;
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) return amount;
  const [, sign = '', intPart = '0', frac = ''] = m;
  const grouped = intPart.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const decimals = currencyCode === 'JPY' ? '' : `.${(frac + '00').slice(0, 2)}`;
  const symbol = currencyCode ? (CURRENCY_SYMBOLS[currencyCode] ?? `${currencyCode} `) : '';
  return `${sign}${symbol}${grouped}${decimals}`;
}

/** 上海市 + 上海市 + 浦东新区 → "上海市 浦东新区" */
export function formatRegion(...parts: (string | null | undefined)[]): string {
  const out: string[] = [];
  for (const p of parts) {
    const s = p?.trim();
    if (s && out[out.length - 1] !== s) out.push(s);
  }
  return out.length ? out.join(' ') : DASH;
}

/** tel: URL with only dialable characters. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+#*,;]/g, '')}`;
}

export type TagType = 'danger' | 'warning' | 'primary' | 'success' | 'default';

export function levelTagType(level: string | null | undefined): TagType {
  switch (level) {
    case 'A':
      return 'danger';
    case 'B':
      return 'warning';
    case 'C':
      return 'primary';
    default:
      return 'default';
  }
}

const DATA_SCOPES: Record<string, string> = { own: '仅本人', department: '本部门', all: '全公司' };

export function dataScopeLabel(scope: string | null | undefined): string {
  return scope ? (DATA_SCOPES[scope] ?? scope) : DASH;
}

export function greeting(date: Date = new Date()): string {
  const h = date.getHours();
  if (h < 6) return '夜深了';
  if (h < 11) return '早上好';
  if (h < 13) return '中午好';
  if (h < 18) return '下午好';
  return '晚上好';
}

// ---- decimals (the API sends them as strings; no floats anywhere) ----

interface Fixed {
  /** the value × 10^scale */
  units: bigint;
  scale: number;
}

function parseDecimal(value: string | null | undefined): Fixed | null {
  if (value === null || value === undefined) return null;
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!m || (!m[2] && !m[3])) return null;
  const [, sign, intPart = '', frac = ''] = m;
  const units = BigInt(`${intPart || '0'}${frac}`);
  return { units: sign === '-' ? -units : units, scale: frac.length };
}

function fixedToString({ units, scale }: Fixed): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  const s = frac ? `${int}.${frac}` : int;
  return negative && s !== '0' ? `-${s}` : s;
}

/** "30000.0000" → "30000"; "0.5000" → "0.5"; "-1.20" → "-1.2" (null when not a decimal). */
export function trimDecimal(value: string | null | undefined): string | null {
  const d = parseDecimal(value);
  return d ? fixedToString(d) : null;
}

export function isZeroDecimal(value: string | null | undefined): boolean {
  const d = parseDecimal(value);
  return !d || d.units === 0n;
}

export function isPositiveDecimal(value: string | null | undefined): boolean {
  const d = parseDecimal(value);
  return !!d && d.units > 0n;
}

/** a − b exactly, trimmed ("100.0000" − "40.0000" → "60"); null when either is not a decimal. */
export function subtractDecimal(a: string, b: string): string | null {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return null;
  const scale = Math.max(x.scale, y.scale);
  const units = x.units * 10n ** BigInt(scale - x.scale) - y.units * 10n ** BigInt(scale - y.scale);
  return fixedToString({ units, scale });
}

/** Σ values exactly, trimmed; blanks count as 0, null when any other value is not a decimal. */
export function sumDecimals(values: readonly (string | null | undefined)[]): string | null {
  let total: Fixed = { units: 0n, scale: 0 };
  for (const v of values) {
    if (!v || !v.trim()) continue;
    const d = parseDecimal(v);
    if (!d) return null;
    const scale = Math.max(total.scale, d.scale);
    total = { units: total.units * 10n ** BigInt(scale - total.scale) + d.units * 10n ** BigInt(scale - d.scale), scale };
  }
  return fixedToString(total);
}

/** a ÷ b rounded half away from zero to `scale` decimals, trimmed ("30000.0000" ÷ "1000.000000" → "30"). */
export function divideDecimal(a: string, b: string, scale = 4): string | null {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y || y.units === 0n) return null;
  // x.units/10^x.scale ÷ y.units/10^y.scale, scaled by 10^(scale+1) for rounding
  let num = x.units * 10n ** BigInt(y.scale + scale + 1);
  let den = y.units * 10n ** BigInt(x.scale);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den;
  const rounded = (q + (q < 0n ? -5n : 5n)) / 10n;
  return fixedToString({ units: rounded, scale });
}

/** a × b rounded half away from zero to `scale` decimals, trimmed ("0.035" × "1000" → "35"); null when either is not a decimal. */
export function multiplyDecimal(a: string, b: string, scale = 6): string | null {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return null;
  const product = { units: x.units * y.units, scale: x.scale + y.scale };
  if (product.scale <= scale) return fixedToString(product);
  const drop = 10n ** BigInt(product.scale - scale - 1);
  const q = product.units / drop;
  return fixedToString({ units: (q + (q < 0n ? -5n : 5n)) / 10n, scale });
}

function groupThousands(intDigits: string): string {
  return intDigits.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "30000.0000" + "个" → "30,000 个"; "2.5000" + "箱" → "2.5 箱". */
export function formatQuantity(value: string | null | undefined, unit?: string | null): string {
  const s = trimDecimal(value);
  if (s === null) return value?.trim() ? value : DASH;
  const negative = s.startsWith('-');
  const [int = '0', frac] = (negative ? s.slice(1) : s).split('.');
  const text = `${negative ? '-' : ''}${groupThousands(int)}${frac ? `.${frac}` : ''}`;
  return unit ? `${text} ${unit}` : text;
}

/** Unit prices / costs (6 decimals from the API): at least 2 decimals, trailing zeros dropped: "0.032200" → "¥0.0322". */
export function formatPrice(value: string | null | undefined, currencyCode?: string | null): string {
  const s = trimDecimal(value);
  if (s === null) return formatMoney(value, currencyCode);
  const [int = '0', frac = ''] = s.replace(/^-/, '').split('.');
  if (frac.length <= 2) return formatMoney(value, currencyCode);
  const symbol = currencyCode ? (CURRENCY_SYMBOLS[currencyCode] ?? `${currencyCode} `) : '';
  return `${s.startsWith('-') ? '-' : ''}${symbol}${groupThousands(int)}.${frac}`;
}

/** "0.13" → "13%"; "0.0500" → "5%" */
export function formatRate(value: string | null | undefined): string {
  const d = parseDecimal(value);
  if (!d) return DASH;
  const percent = d.scale >= 2 ? { units: d.units, scale: d.scale - 2 } : { units: d.units * 10n ** BigInt(2 - d.scale), scale: 0 };
  return `${fixedToString(percent)}%`;
}

/**
 * "2026-11-23T10:05:00.000+08:00" → "2026-11-23 10:05": the API's timestamps are Shanghai wall
 * time, shown as written (whatever the phone's time zone); other shapes go through Date.
 */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return DASH;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(value);
  if (m && /(\+08:00|\+0800)$/.test(value)) return `${m[1]} ${m[2]}`;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * A base-unit quantity in the line's unit: shipped 30000 (个) of a line in 箱 (factor 1000) → "30".
 * Factor 1 (or unreadable) → the quantity as it is.
 */
export function baseToLineUnit(baseQuantity: string, factor: string | null | undefined): string {
  if (!factor || trimDecimal(factor) === '1') return baseQuantity;
  return divideDecimal(baseQuantity, factor) ?? baseQuantity;
}
