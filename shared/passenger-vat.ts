// 国内旅客运输 tickets' input VAT (财政部 税务总局 海关总署公告2019年第39号): base ÷ (1 + rate) × rate,
// half up to the fen — 航空 on 票价 + 燃油附加费, 铁路 and 公路水路 on the face amount. Dependency-free
// (exact integer arithmetic), so the mini-app's preview runs the same rule as the server without
// bundling a decimal library. The rates are the company's finance settings; these defaults
// (9 % / 3 %) are what a new company starts with and what the mini-app previews with.
export const DEFAULT_PASSENGER_VAT_RATES = { airRail: '0.09', roadWater: '0.03' } as const;

export type PassengerTicketKind = 'airTicket' | 'railTicket' | 'roadWaterTicket';

/** "553.5" → [5535n, 1n] (digits, decimal places); throws on anything but a plain decimal. */
function parse(text: string): [bigint, number] {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`不是金额：${text}`);
  const frac = m[3] ?? '';
  const digits = BigInt(`${m[2]}${frac}`);
  return [m[1] ? -digits : digits, frac.length];
}

/** The ticket's tax as a "0.00" string: base × r ÷ (1 + r), rounded half up (away from zero) to the fen. */
export function passengerTicketTaxText(kind: PassengerTicketKind, base: string, rates: { airRail: string; roadWater: string }): string {
  const [b, bScale] = parse(base);
  const [r, rScale] = parse(kind === 'roadWaterTicket' ? rates.roadWater : rates.airRail);
  const ten = (n: number) => 10n ** BigInt(n);
  // tax in fen = B·R·100 / (10^bScale · (10^rScale + R))
  const num = b * r * 100n;
  const den = ten(bScale) * (ten(rScale) + r);
  const neg = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const fen = (2n * n + d) / (2n * d);
  const signed = neg ? -fen : fen;
  const abs = signed < 0n ? -signed : signed;
  const text = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
  return signed < 0n ? `-${text}` : text;
}
