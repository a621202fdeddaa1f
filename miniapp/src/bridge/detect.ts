// Which client the mini-app runs in (from the user agent), and which URL that client checks a
// JS-SDK signature against. Small and synchronous: it is part of the initial bundle.
import type { BridgePlatform } from './types';

/** WeCom says wxwork/<version>, DingTalk DingTalk/<version>, Feishu Lark/<version> (+ Feishu in the channel). */
export function detectPlatform(ua: string): BridgePlatform {
  if (/\bwxwork\//i.test(ua)) return 'wecom';
  if (/\bDingTalk\b/i.test(ua)) return 'dingtalk';
  if (/\b(Lark|Feishu)\//i.test(ua) || /\bLarkLocale\b/.test(ua)) return 'lark';
  return 'browser';
}

export function isIOS(ua: string): boolean {
  return /\b(iPhone|iPad|iPod)\b/i.test(ua);
}

/**
 * The page URL the platform will verify (without the #fragment): on iOS WeCom the URL the page was
 * entered with (its WKWebView keeps that one, as iOS WeChat does, even after history.replaceState
 * removed ?code&state), everywhere else the current one.
 */
export function signatureUrl(env: { platform: BridgePlatform; ua: string; href: string; entryHref?: string }): string {
  const url = env.platform === 'wecom' && isIOS(env.ua) && env.entryHref ? env.entryHref : env.href;
  return url.split('#')[0]!;
}
