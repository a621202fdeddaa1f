// One document page's loading: the document for the current id, a skeleton while loading, and why
// there is none (not visible to this user / the request failed). A newer id wins over a slower
// older answer. `load` reloads (重新加载, or after a refused action); an action's reply is put into
// `doc` directly, so the page shows the document as the server now has it without asking again.
import { showSuccessToast, showToast } from 'vant';
import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import { errorMessage, isNotVisible } from '../api';
import { useApprovalsStore } from '../stores/approvals';
import { useAuthStore } from '../stores/auth';

export type LoadProblem = 'notVisible' | 'failed';

/** What DocumentPage needs of a page's useDocument: whether to show it, a skeleton, or why not. */
export interface DocumentSource {
  doc: Ref<unknown>;
  loading: Ref<boolean>;
  problem: Ref<LoadProblem | null>;
  load: () => Promise<void>;
}

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

  /** an action under way (its button shows a spinner) */
  const acting = ref(false);

  /**
   * An action (提交审批, 提交评审 …) that answers with the document as it is now: shown at once with
   * `done`'s toast. A refusal shows the server's reason and reloads, since the page may be stale.
   */
  async function act(action: (current: T) => Promise<T>, done: (updated: T) => string): Promise<boolean> {
    const current = doc.value;
    if (!current || acting.value) return false;
    acting.value = true;
    try {
      const updated = await action(current);
      doc.value = updated;
      showSuccessToast(done(updated));
      return true;
    } catch (e) {
      showToast({ message: errorMessage(e), duration: 3000 });
      void load();
      return false;
    } finally {
      acting.value = false;
    }
  }

  watch(id, load, { immediate: true });
  return { doc, loading, problem, error, load, acting, act };
}

/**
 * 提交审批 / 提交评审 of a draft (报销单, 请假单, 合同): offered when `may` allows it; the reply shows
 * the document as it now is (待审批, or 已批准 when no step applied) and the approval lists and
 * the workbench badge refresh.
 */
export function useSubmitDraft<T extends { id: string; state: string }>(
  source: Pick<ReturnType<typeof useDocument<T>>, 'doc' | 'act' | 'acting'>,
  submit: (id: string) => Promise<T>,
  may: (doc: T) => boolean,
  said: { confirmed: string; submitted: string },
) {
  const approvals = useApprovalsStore();
  const canSubmit = computed(() => {
    const d = source.doc.value;
    return !!d && d.state === 'draft' && may(d);
  });
  async function onSubmit(): Promise<void> {
    const ok = await source.act((d) => submit(d.id), (d) => (d.state === 'confirmed' ? said.confirmed : said.submitted));
    if (ok) approvals.markChanged();
  }
  return { canSubmit, submitting: source.acting, onSubmit };
}

/** 报销单 / 请假单: the applicant submits their own draft (已批准 when no approval step applied). */
export function useSubmitOwnDraft<T extends { id: string; state: string; applicant: { id: string } }>(
  source: Pick<ReturnType<typeof useDocument<T>>, 'doc' | 'act' | 'acting'>,
  submit: (id: string) => Promise<T>,
) {
  const auth = useAuthStore();
  return useSubmitDraft(source, submit, (d) => d.applicant.id === auth.user?.id, { confirmed: '已批准', submitted: '已提交审批' });
}
