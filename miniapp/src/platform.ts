// Sign-in from Feishu / WeCom / DingTalk: the platform's OAuth redirect opens the mini-app with
// ?code=…&state=<platform> in the real query (before the hash). Unbound chat accounts leave a
// binding proof (bindToken, 10 minutes) that is used right after the password login.
import { CHAT_PLATFORM_LABELS } from './utils/labels';

/** platforms whose one-time code signs in (POST /api/v1/auth/platform/:platform) */
export const SIGN_IN_PLATFORMS = ['lark', 'wecom', 'dingtalk'] as const;
export type SignInPlatform = (typeof SIGN_IN_PLATFORMS)[number];
/** platforms an account can be bound to (WeChat groups bind with the bot's bindToken only) */
export const BIND_PLATFORMS = ['lark', 'wecom', 'dingtalk', 'wechat'] as const;
export type BindPlatform = (typeof BIND_PLATFORMS)[number];

export function isSignInPlatform(value: unknown): value is SignInPlatform {
  return typeof value === 'string' && (SIGN_IN_PLATFORMS as readonly string[]).includes(value);
}

export function isBindPlatform(value: unknown): value is BindPlatform {
  return typeof value === 'string' && (BIND_PLATFORMS as readonly string[]).includes(value);
}

/** 飞书 / 企业微信 / 钉钉 / 微信 */
export function platformLabel(platform: string | null | undefined): string {
  return (platform && (CHAT_PLATFORM_LABELS as Record<string, string>)[platform]) || '聊天';
}

export interface LaunchParams {
  platform: SignInPlatform;
  code: string;
}

/** `?code=…&state=wecom` → { platform: 'wecom', code }; anything else → null. */
export function parseLaunchParams(search: string): LaunchParams | null {
  const params = new URLSearchParams(search);
  const code = params.get('code')?.trim();
  const state = params.get('state')?.trim();
  if (!code || !isSignInPlatform(state)) return null;
  return { platform: state, code };
}

/** The URL without the OAuth parameters (code, state, and WeCom's appid), hash kept. */
export function urlWithoutLaunchParams(href: string): string {
  const url = new URL(href);
  for (const key of ['code', 'state', 'appid', 'auth_code', 'authCode']) url.searchParams.delete(key);
  return `${url.pathname}${url.search}${url.hash}`;
}

// ---- the pending binding (sessionStorage: it belongs to this tab, like the bindToken's 10 minutes) ----

export const PENDING_BIND_KEY = 'yunqiao.m.pendingBind';
/** the bindToken is valid for 10 minutes; a little less here so we don't post a dead one */
export const PENDING_BIND_TTL_MS = 9.5 * 60_000;

export interface PendingBind {
  platform: BindPlatform;
  bindToken: string;
  /** Date.now() when it was saved */
  savedAt: number;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function savePendingBind(platform: BindPlatform, bindToken: string, now = Date.now()): void {
  try {
    storage()?.setItem(PENDING_BIND_KEY, JSON.stringify({ platform, bindToken, savedAt: now } satisfies PendingBind));
  } catch {
    /* storage full or disabled: the user binds again from the chat */
  }
}

export function clearPendingBind(): void {
  try {
    storage()?.removeItem(PENDING_BIND_KEY);
  } catch {
    /* ignore */
  }
}

/** The pending binding if there is one and it has not expired (an expired one is removed). */
export function readPendingBind(now = Date.now()): PendingBind | null {
  let raw: string | null = null;
  try {
    raw = storage()?.getItem(PENDING_BIND_KEY) ?? null;
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Partial<PendingBind> | null;
    if (p && isBindPlatform(p.platform) && typeof p.bindToken === 'string' && p.bindToken && typeof p.savedAt === 'number') {
      if (now - p.savedAt <= PENDING_BIND_TTL_MS && now >= p.savedAt - 60_000) return p as PendingBind;
    }
  } catch {
    /* fall through */
  }
  clearPendingBind();
  return null;
}

/** 登录后将自动绑定你的企业微信账号 */
export function bindNotice(platform: string): string {
  return `登录后将自动绑定你的${platformLabel(platform)}账号`;
}
