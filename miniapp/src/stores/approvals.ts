// My pending approvals count (the badge on the 审批 entry) and a counter of the approval actions
// taken here, so the kept-alive 审批 list reloads when one of its rows has changed.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ApprovalListItem } from '../../../shared/schemas/approvals';
import { listApprovals } from '../api';
import { useAuthStore } from './auth';

export const useApprovalsStore = defineStore('approvals', () => {
  const auth = useAuthStore();
  /** whose count it is: another user signing in on this phone never sees the previous badge */
  const counted = ref<{ userId: string; total: number } | null>(null);
  /** null until the first answer */
  const pendingCount = computed(() => (counted.value && counted.value.userId === auth.user?.id ? counted.value.total : null));
  /** bumped after every action (同意, 驳回, 撤回, 转交 …) */
  const changes = ref(0);
  let ticket = 0;

  /**
   * Asks the server for my pending total; failures leave the badge as it was (no toast). With
   * `preview` the same request brings the first few pending approvals (the 工作台 lists them);
   * null when the request failed.
   */
  async function refreshPending(preview = 1): Promise<ApprovalListItem[] | null> {
    const mine = ++ticket;
    const userId = auth.user?.id;
    if (!userId) return null;
    try {
      const page = await listApprovals('pending', { page: 1, pageSize: preview });
      if (mine === ticket) counted.value = { userId, total: page.total };
      return page.items;
    } catch {
      /* the badge is a hint: a failure here is not worth a message */
      return null;
    }
  }

  function markChanged(): void {
    changes.value += 1;
    void refreshPending();
  }

  function reset(): void {
    ticket += 1;
    counted.value = null;
    changes.value = 0;
  }

  return { pendingCount, changes, refreshPending, markChanged, reset };
});
