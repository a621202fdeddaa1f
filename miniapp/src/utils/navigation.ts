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
