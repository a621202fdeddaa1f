import type { RouteLocationRaw, Router } from 'vue-router';

/**
 * Back when there is an in-app page to go back to; otherwise (opened from a chat card straight
 * into this page) to `fallback`.
 */
export function goBackOr(router: Router, fallback: RouteLocationRaw): void {
  const state = window.history.state as { back?: unknown } | null;
  if (state?.back) router.back();
  else void router.replace(fallback);
}

/**
 * Only same-app paths are accepted as ?redirect= targets. (Here, not in router.ts: the login page
 * needs it, and router.ts loads the login page.)
 */
export function safeRedirect(value: unknown): string {
  const s = Array.isArray(value) ? value[0] : value;
  return typeof s === 'string' && s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/login') ? s : '/';
}
