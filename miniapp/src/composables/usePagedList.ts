// Infinite scroll over a paged API list (van-list + van-pull-refresh), as CustomerListPage does it:
// each reset bumps a generation and replies of an older one are dropped.
import { showFailToast } from 'vant';
import { computed, ref, shallowRef, type Ref } from 'vue';
import { ApiError, errorMessage } from '../api';
import type { Page } from '../types';

export type PageFetcher<T> = (page: number, pageSize: number, signal: AbortSignal) => Promise<Page<T>>;

export interface PagedList<T> {
  items: Ref<T[]>;
  total: Ref<number>;
  loading: Ref<boolean>;
  finished: Ref<boolean>;
  error: Ref<boolean>;
  refreshing: Ref<boolean>;
  /** the server said 403: the user may not see this list at all */
  forbidden: Ref<boolean>;
  isEmpty: Ref<boolean>;
  loadNext(): Promise<void>;
  /** page 1 again, rows on screen kept until it arrives (pull to refresh) */
  restart(): void;
  /** page 1 again with the list emptied first (new search / filter) */
  reset(): void;
}

export function usePagedList<T>(fetchPage: PageFetcher<T>, pageSize = 20): PagedList<T> {
  const items = shallowRef<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(0);
  const loading = ref(false);
  const finished = ref(false);
  const error = ref(false);
  const refreshing = ref(false);
  const forbidden = ref(false);

  let generation = 0;
  let controller: AbortController | null = null;

  const isEmpty = computed(() => finished.value && !error.value && !forbidden.value && items.value.length === 0);

  async function loadNext(): Promise<void> {
    const gen = generation;
    const nextPage = page.value + 1;
    loading.value = true;
    controller = new AbortController();
    try {
      const res = await fetchPage(nextPage, pageSize, controller.signal);
      if (gen !== generation) return;
      items.value = nextPage === 1 ? res.items : [...items.value, ...res.items];
      page.value = nextPage;
      total.value = res.total;
      forbidden.value = false;
      finished.value = res.items.length < pageSize || items.value.length >= res.total;
    } catch (e) {
      if (gen !== generation) return;
      if (e instanceof DOMException && e.name === 'AbortError') return;
      if (e instanceof ApiError && e.status === 403) {
        forbidden.value = true;
        finished.value = true;
        items.value = [];
        total.value = 0;
      } else {
        error.value = true;
        if (!(e instanceof ApiError && e.status === 401)) showFailToast(errorMessage(e));
      }
    } finally {
      if (gen === generation) {
        loading.value = false;
        refreshing.value = false;
      }
    }
  }

  function restart(): void {
    generation += 1;
    controller?.abort();
    page.value = 0;
    finished.value = false;
    error.value = false;
    void loadNext();
  }

  function reset(): void {
    items.value = [];
    total.value = 0;
    restart();
  }

  return { items, total, loading, finished, error, refreshing, forbidden, isEmpty, loadNext, restart, reset };
}
