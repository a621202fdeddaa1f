// JS-SDK signatures, one rule per platform (pure functions; the ticket comes from the caller).
// All three sign `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` with SHA-1, raw values, no escaping;
// they differ in the timestamp unit and in what happens to the URL:
// - 企业微信 (developer.work.weixin.qq.com/document/path/90506): seconds; the page URL without
//   `#…`, query kept as is. Its published example is the unit test's first case.
// - 飞书 (open.feishu.cn 网页应用「示例代码介绍」): milliseconds (its example: 1510045655000 →
//   40a68999…, in the unit test); URL without `#…`, query kept as is.
// - 钉钉 (JS-API 权限签名算法, which says sha1; its example gives inputs but no signature; the official
//   decodeUrl sample): seconds; URL without `#…`, and the query
//   URL-decoded once (Java URLDecoder: `+` is a space), because iOS hands DingTalk the encoded URL
//   and Android the raw one; scheme, host and path are kept as given.
import crypto from 'node:crypto';

export type JssdkPlatform = 'lark' | 'wecom' | 'dingtalk';

export interface SignInput {
  ticket: string;
  nonceStr: string;
  /** in the platform's own unit (see timestampFor) */
  timestamp: number;
  /** the page URL as the client gives it */
  url: string;
}

/** The string each platform hashes. */
export function stringToSign(platform: JssdkPlatform, input: SignInput): string {
  return `jsapi_ticket=${input.ticket}&noncestr=${input.nonceStr}&timestamp=${input.timestamp}&url=${urlForSignature(platform, input.url)}`;
}

export function jssdkSignature(platform: JssdkPlatform, input: SignInput): string {
  return crypto.createHash('sha1').update(stringToSign(platform, input), 'utf8').digest('hex');
}

/** Feishu counts milliseconds; WeCom and DingTalk seconds. */
export function timestampFor(platform: JssdkPlatform, nowMs: number): number {
  return platform === 'lark' ? nowMs : Math.floor(nowMs / 1000);
}

/** The URL as the platform hashes it: never the fragment; DingTalk decodes the query once. */
export function urlForSignature(platform: JssdkPlatform, url: string): string {
  const noFragment = withoutFragment(url);
  if (platform !== 'dingtalk') return noFragment;
  const q = noFragment.indexOf('?');
  if (q < 0) return noFragment;
  return noFragment.slice(0, q + 1) + formDecode(noFragment.slice(q + 1));
}

export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/** java.net.URLDecoder.decode(s, "UTF-8"): `+` → space, %XX → bytes; a malformed escape is left as is. */
function formDecode(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** 16 characters of [A-Za-z0-9], as the platforms' samples use. */
export function nonceStr(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.randomBytes(16);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Whether `url` may be signed: an absolute URL under PUBLIC_BASE_URL + '/m/' (same scheme, host and
 * port; no user info). Without PUBLIC_BASE_URL nothing is signed: the platforms check the URL against
 * the app's trusted domain, so the server must know its own public address.
 */
export function signableUrl(url: string, publicBaseUrl: string | undefined): boolean {
  if (!publicBaseUrl) return false;
  // signed byte for byte: no spaces or control characters that URL() would quietly drop
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return false;
  let given: URL;
  let base: URL;
  try {
    given = new URL(url);
    base = new URL(publicBaseUrl);
  } catch {
    return false;
  }
  if (given.username || given.password) return false;
  if (given.protocol !== base.protocol || given.host !== base.host) return false;
  // the resolved path: `/m/../api` and `/m/%2e%2e/api` resolve outside and are refused
  return given.pathname.startsWith(`${base.pathname.replace(/\/+$/, '')}/m/`);
}
