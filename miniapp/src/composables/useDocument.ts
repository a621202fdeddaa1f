// One document page's loading: the document for the current id, a skeleton while loading, and why
// there is none (not visible to this user / the request failed). A newer id wins over a slower
// older answer. `load` reloads (重新加载, or after a refused action); an action's reply is put into
// `doc` directly, so the page shows the document as the server now has it without asking again.
import { ref, shallowRef, watch, type Ref } from 'vue';
import { isNotVisible } from '../api';

export type LoadProblem = 'notVisible' | 'failed';

export function useDocument<T>(id: () => string, fetchDocument: (id: string) => Promise<T>) {
  const doc = ref<T | null>(null) as Ref<T | null>;
  const loading = ref(true);
  const problem = ref<LoadProblem | null>(null);
  /** the failure itself, for a page that says more than "not visible" (e.g. 403: no permission at all) */
  const error = shallowRef<unknown>(null);
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    problem.value = null;
    error.value = null;
    try {
      const got = await fetchDocument(id());
      if (ticket === latest) doc.value = got;
    } catch (e) {
      if (ticket !== latest) return;
      doc.value = null;
      error.value = e;
      problem.value = isNotVisible(e) ? 'notVisible' : 'failed';
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  watch(id, load, { immediate: true });
  return { doc, loading, problem, error, load };
}
