// My pending approvals count (the badge on the 审批 entry) and a counter of the approval actions
// taken here, so the kept-alive 审批 list reloads when one of its rows has changed.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
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

  /** Asks the server for my pending total; failures leave the badge as it was (no toast). */
  async function refreshPending(): Promise<void> {
    const mine = ++ticket;
    const userId = auth.user?.id;
    if (!userId) return;
    try {
      const page = await listApprovals('pending', { page: 1, pageSize: 1 });
      if (mine === ticket) counted.value = { userId, total: page.total };
    } catch {
      /* the badge is a hint: a failure here is not worth a message */
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
