// One document page's loading: the document for the current id, a skeleton while loading, and why
// there is none (not visible to this user / the request failed). A newer id wins over a slower
// older answer.
import { ref, watch, type Ref } from 'vue';
import { isNotVisible } from '../api';

export type LoadProblem = 'notVisible' | 'failed';

export function useDocument<T>(id: () => string, fetchDocument: (id: string) => Promise<T>) {
  const doc = ref<T | null>(null) as Ref<T | null>;
  const loading = ref(true);
  const problem = ref<LoadProblem | null>(null);
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    problem.value = null;
    try {
      const got = await fetchDocument(id());
      if (ticket === latest) doc.value = got;
    } catch (e) {
      if (ticket !== latest) return;
      doc.value = null;
      problem.value = isNotVisible(e) ? 'notVisible' : 'failed';
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  watch(id, load, { immediate: true });
  return { doc, loading, problem, load };
}
