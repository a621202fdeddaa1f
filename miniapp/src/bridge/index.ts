// The bridge the pages use: getBridge() picks the implementation for the client the mini-app runs
// in (by user agent) and loads its SDK only then (dynamic import: the initial bundle stays as it
// is). Tests inject a fake with setBridge().
import { fetchJssdkConfig, type BridgeEnv } from './config';
import { detectPlatform } from './detect';
import { entryUrl } from './entry-url';
import type { Bridge } from './types';

export type { Bridge, BridgePlatform, PositionPayload } from './types';
export { BridgeError } from './types';
export type { BridgeEnv, SdkPlatform } from './config';

function browserEnv(): BridgeEnv {
  return { ua: navigator.userAgent, href: () => window.location.href, entryHref: entryUrl(), fetchConfig: fetchJssdkConfig };
}

/**
 * The implementation for this client. A platform whose SDK cannot be set up (not configured on the
 * server, signature refused, SDK failed to load) falls back to the browser's APIs, which also work
 * in the IM webviews (positions then say source 'browser', WGS-84).
 */
export async function createBridge(env: BridgeEnv): Promise<Bridge> {
  const platform = detectPlatform(env.ua);
  try {
    if (platform === 'wecom') return await (await import('./wecom')).createWecomBridge(env);
    if (platform === 'dingtalk') return await (await import('./dingtalk')).createDingTalkBridge(env);
    if (platform === 'lark') return await (await import('./lark')).createLarkBridge(env);
  } catch (e) {
    console.warn(`[bridge] ${platform} JS-SDK unavailable, using the browser's APIs`, e);
  }
  return (await import('./browser')).browserBridge();
}

let current: Promise<Bridge> | undefined;

export function getBridge(): Promise<Bridge> {
  current ??= createBridge(browserEnv()).catch((e: unknown) => {
    current = undefined;
    throw e;
  });
  return current;
}

/** Tests: use this bridge (undefined: choose again on the next getBridge()). */
export function setBridge(bridge: Bridge | undefined): void {
  current = bridge ? Promise.resolve(bridge) : undefined;
}
