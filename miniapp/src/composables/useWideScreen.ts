// Wide screen: the H5 opened in the IM desktop client's window (1280 px) rather than on a phone or
// in its ~400 px side panel. At ≥ 1024 px lists become tables and a side navigation replaces the
// bottom tab bar.
import { readonly, ref, type Ref } from 'vue';

export const WIDE_QUERY = '(min-width: 1024px)';

const wide = ref(false);
let watching = false;

function watchWidth(): void {
  if (watching || typeof window === 'undefined' || typeof window.matchMedia !== 'function') return;
  watching = true;
  const query = window.matchMedia(WIDE_QUERY);
  wide.value = query.matches;
  query.addEventListener('change', (e) => {
    wide.value = e.matches;
  });
}

/** true while the window is at least 1024 px wide (follows resizes). */
export function useWideScreen(): Readonly<Ref<boolean>> {
  watchWidth();
  return readonly(wide);
}
