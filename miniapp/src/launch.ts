// Start-up when the platform's OAuth redirect brought us here (?code=…&state=<platform>), and the
// binding that follows a password login. main.ts runs completePlatformLaunch() before the router
// makes its first navigation, so the guard already sees the session.
import { closeToast, showLoadingToast, showToast } from 'vant';
import { ApiError, bindPlatform, errorMessage, signInWithPlatform } from './api';
import {
  clearPendingBind,
  parseLaunchParams,
  platformLabel,
  readPendingBind,
  savePendingBind,
  urlWithoutLaunchParams,
  type BindPlatform,
} from './platform';
import { useAuthStore } from './stores/auth';
import type { PlatformBinding } from '../../shared/schemas/auth';

export interface LaunchEnvironment {
  /** location.href */
  href: string;
  /** history.replaceState without the OAuth parameters */
  replaceUrl(url: string): void;
}

export type LaunchOutcome = 'none' | 'signedIn' | 'unbound' | 'bound' | 'failed';

function browserEnvironment(): LaunchEnvironment {
  return {
    href: window.location.href,
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
  };
}

/**
 * If the URL carries a platform login code: strip it from the address bar (it is single use, and
 * a reload must not post it again), then sign in with it. Bound → session stored. Unbound → the
 * bindToken is kept for the login page (which binds right after the password login). Already
 * logged in → the same code tells who holds the phone: a bound account becomes the session, an
 * unbound identity is bound to the current account.
 */
export async function completePlatformLaunch(env: LaunchEnvironment = browserEnvironment()): Promise<LaunchOutcome> {
  const launch = parseLaunchParams(new URL(env.href).search);
  if (!launch) return 'none';
  env.replaceUrl(urlWithoutLaunchParams(env.href));

  const auth = useAuthStore();
  const label = platformLabel(launch.platform);
  const wasLoggedIn = auth.isLoggedIn;
  if (!wasLoggedIn) showLoadingToast({ message: `正在通过${label}登录…`, forbidClick: true, duration: 0 });
  try {
    const res = await signInWithPlatform(launch.platform, launch.code);
    closeToast();
    if (res.bound) {
      auth.setSession(res.token, res.user);
      clearPendingBind();
      rememberBinding(launch.platform);
      return 'signedIn';
    }
    savePendingBind(launch.platform, res.bindToken);
    if (wasLoggedIn) return (await bindPendingIdentity()) ? 'bound' : 'failed';
    return 'unbound';
  } catch (e) {
    closeToast();
    // Logged in already: the session stays; a bad code only means no automatic switch or binding.
    if (!wasLoggedIn) {
      const message = errorMessage(e);
      // a text toast: the wide kind, for a sentence (the server's message usually names the platform)
      showToast({ message: message.includes(label) ? message : `${label}登录失败：${message}`, duration: 3000 });
    }
    return 'failed';
  }
}

/**
 * POST the pending bindToken for the logged-in user. Toasts 已绑定… or the server's message.
 * A refusal (4xx: expired, taken, other company) drops the token; a network / server failure keeps
 * it so the 绑定 page can retry.
 */
export async function bindPendingIdentity(): Promise<PlatformBinding | null> {
  const pending = readPendingBind();
  if (!pending) return null;
  return bindWith(pending.platform, pending.bindToken);
}

async function bindWith(platform: BindPlatform, bindToken: string): Promise<PlatformBinding | null> {
  try {
    const binding = await bindPlatform(platform, { bindToken });
    clearPendingBind();
    rememberBinding(binding.platform);
    showToast(`已绑定${platformLabel(platform)}账号`); // a text toast: one line, unlike the narrow icon one
    return binding;
  } catch (e) {
    if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 429) clearPendingBind();
    if (!(e instanceof ApiError && e.status === 401)) showToast({ message: `绑定失败：${errorMessage(e)}`, duration: 3000 });
    return null;
  }
}

// What this phone has bound, to show on the 绑定 page (the API has no "my bindings" endpoint).
const BOUND_KEY = 'yunqiao.m.boundPlatforms';

function boundKey(): string {
  const user = useAuthStore().user;
  return user ? `${BOUND_KEY}.${user.id}` : BOUND_KEY;
}

export function rememberBinding(platform: string): void {
  try {
    const list = new Set(knownBindings());
    list.add(platform);
    window.localStorage.setItem(boundKey(), JSON.stringify([...list]));
  } catch {
    /* ignore */
  }
}

export function knownBindings(): string[] {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(boundKey()) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}
