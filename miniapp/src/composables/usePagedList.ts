// One paged API list with keyword search and sort, for every list page: infinite scroll
// (van-list + van-pull-refresh) on the phone, the same rows in a table on a wide screen.
// Each reset bumps a generation and replies of an older one are dropped.
import { showFailToast } from 'vant';
import { computed, ref, shallowRef, type Ref } from 'vue';
import type { Page } from '../../../shared/schemas/common';
import { ApiError, errorMessage } from '../api';

/** What every list endpoint takes (shared/schemas/common.ts pageQuery). */
export interface ListParams<S extends string = string> {
  page: number;
  pageSize: number;
  q?: string;
  /** "field" or "-field" (descending); one of the endpoint's sort fields */
  sort?: S;
}

export type PageFetcher<T, S extends string = string> = (params: ListParams<S>, signal: AbortSignal) => Promise<Page<T>>;

export interface PagedListOptions<S extends string = string> {
  pageSize?: number;
  /** the API sort the list starts with */
  sort?: S;
}

export interface PagedList<T, S extends string = string> {
  items: Ref<T[]>;
  total: Ref<number>;
  loading: Ref<boolean>;
  finished: Ref<boolean>;
  error: Ref<boolean>;
  refreshing: Ref<boolean>;
  /** the server said 403: the user may not see this list at all */
  forbidden: Ref<boolean>;
  isEmpty: Ref<boolean>;
  /** the search box (may be edited without searching) */
  keyword: Ref<string>;
  /** the keyword of the rows on screen */
  activeKeyword: Ref<string>;
  /** the API sort of the rows on screen */
  sort: Ref<S | undefined>;
  loadNext(): Promise<void>;
  /** page 1 again, rows on screen kept until it arrives (pull to refresh) */
  restart(): void;
  /** page 1 again with the list emptied first (new search / filter) */
  reset(): void;
  /** search for the keyword in the box */
  search(): void;
  /** empty the box; lists everything again if a keyword was on */
  clearSearch(): void;
  /** sort by another API field (page 1 again) */
  sortBy(sort: S | undefined): void;
}

export function usePagedList<T, S extends string = string>(
  fetchPage: PageFetcher<T, S>,
  options: PagedListOptions<S> = {},
): PagedList<T, S> {
  const pageSize = options.pageSize ?? 20;
  const items = shallowRef<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(0);
  const loading = ref(false);
  const finished = ref(false);
  const error = ref(false);
  const refreshing = ref(false);
  const forbidden = ref(false);
  const keyword = ref('');
  const activeKeyword = ref('');
  const sort = ref(options.sort) as Ref<S | undefined>;

  let generation = 0;
  let controller: AbortController | null = null;

  const isEmpty = computed(() => finished.value && !error.value && !forbidden.value && items.value.length === 0);

  async function loadNext(): Promise<void> {
    const gen = generation;
    const nextPage = page.value + 1;
    loading.value = true;
    controller = new AbortController();
    try {
      const params: ListParams<S> = { page: nextPage, pageSize, q: activeKeyword.value || undefined, sort: sort.value };
      const res = await fetchPage(params, controller.signal);
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

  function search(): void {
    activeKeyword.value = keyword.value.trim();
    reset();
  }

  function clearSearch(): void {
    keyword.value = '';
    if (activeKeyword.value) search();
  }

  function sortBy(next: S | undefined): void {
    sort.value = next;
    reset();
  }

  return {
    items, total, loading, finished, error, refreshing, forbidden, isEmpty, keyword, activeKeyword, sort,
    loadNext, restart, reset, search, clearSearch, sortBy,
  };
}
