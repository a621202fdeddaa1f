// Business text (customer and item names, remarks, reasons) inside the platforms' markdown. A
// customer named `[点此付款](http://evil.example/pay)` must stay text: no live link, no remote
// image (`![t](…)`), no <at>/<font> tag, no autolinked URL. Card view-models mark bold with `**`
// (server/platform/channels.ts: markdown-light) and nothing else, so `**` pairs are kept and every other
// markdown-active character is neutralised, per platform. Pure functions.

/** Splits on the `**` bold markers, escapes each piece, and puts the markers back. */
function keepBold(text: string, escape: (piece: string) => string): string {
  return text.split('**').map(escape).join('**');
}

/** `scheme://` would be autolinked: the colon is escaped so only our own links are live. */
const URL_SCHEME = /([A-Za-z][A-Za-z0-9+.-]*):(?=\/\/)/g;

const LARK_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '[': '&#91;', ']': '&#93;' };

/**
 * Feishu `lark_md`: brackets (links, images) as HTML entities, the escape the Feishu card docs give
 * for special characters; tags (`<at id=all>`, `<font>`, `<http://…>`) as &lt; &gt;; URL schemes
 * broken by `&#58;`. Emphasis characters are left alone: they only change how text looks.
 */
export function escapeLarkMd(text: string): string {
  return keepBold(text, (p) => p.replace(URL_SCHEME, '$1&#58;').replace(/[<>[\]]/g, (c) => LARK_ENTITIES[c]!));
}

const FULL_WIDTH: Record<string, string> = { '<': '＜', '>': '＞', '[': '［', ']': '］' };

/**
 * DingTalk and WeCom markdown decode neither HTML entities nor (reliably) backslash escapes: link
 * and tag characters become their full-width forms, which read the same to people; the `:` of
 * `scheme://` becomes `：` so nothing is autolinked; a line that would start a heading, quote or list
 * gets a zero-width space in front (business text never changes the card's layout).
 */
export function escapePlainMarkdown(text: string): string {
  return keepBold(text, (p) =>
    p
      .replace(URL_SCHEME, '$1：')
      .replace(/[<>[\]]/g, (c) => FULL_WIDTH[c]!)
      .replace(/^(\s*)(#|[-+]\s|\d+\.\s)/gm, '$1\u200b$2'));
}

/**
 * Whether a card link may be rendered: only into our own mini-app, i.e. under PUBLIC_BASE_URL
 * (or, without one, a same-site path such as `/m/#/…`). Anything else is dropped.
 */
export function cardLinkAllowed(url: string, publicBaseUrl: string | undefined): boolean {
  if (!publicBaseUrl) return url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\');
  const base = publicBaseUrl.replace(/\/+$/, '');
  return url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`) || url.startsWith(`${base}#`);
}

/** What every card renderer is told: PUBLIC_BASE_URL, the only place a card may link to. */
export interface CardRenderOptions {
  publicBaseUrl?: string;
}

/** The card's link when it may be rendered, else undefined. */
export function allowedLink<L extends { url: string }>(link: L | undefined, opts: CardRenderOptions): L | undefined {
  return link && cardLinkAllowed(link.url, opts.publicBaseUrl) ? link : undefined;
}
