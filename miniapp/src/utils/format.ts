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
