// 保存草稿 / 提交审批 of a new OA document (报销单, 请假单): create the draft, submit it when asked,
// then open its page. A refused submission leaves the saved draft there to submit again (its page
// opens with the reason); a 400 on create puts the server's messages under the fields.
import { showSuccessToast, showToast } from 'vant';
import { ref } from 'vue';
import { useRouter } from 'vue-router';
import { ApiError, errorMessage, fieldErrors } from '../api';
import { useApprovalsStore } from '../stores/approvals';

export function useDraftSave<T extends { id: string; state: string }>(options: {
  /** 报销单 / 请假单 */
  noun: string;
  /** the document's page: expense-claim-detail … */
  detailRoute: string;
  create: () => Promise<T>;
  /** none: the document is only saved (报价单) */
  submit?: (id: string) => Promise<T>;
  /** the toasts after 提交: no approval step applied / submitted for approval */
  said?: { confirmed: string; submitted: string };
}) {
  const said = options.said ?? { confirmed: '已批准', submitted: '已提交审批' };
  const router = useRouter();
  const approvals = useApprovalsStore();
  /** the server's messages by field path (body.lines.0.amount …) */
  const serverErrors = ref<Record<string, string>>({});
  const saving = ref<'draft' | 'submit' | null>(null);

  async function persist(andSubmit: boolean): Promise<void> {
    serverErrors.value = {};
    saving.value = andSubmit ? 'submit' : 'draft';
    let savedId: string | null = null;
    const open = (id: string) => router.replace({ name: options.detailRoute, params: { id } });
    try {
      const saved = await options.create();
      savedId = saved.id;
      if (andSubmit && options.submit) {
        const submitted = await options.submit(saved.id);
        approvals.markChanged();
        showSuccessToast(submitted.state === 'confirmed' ? said.confirmed : said.submitted);
      } else {
        showSuccessToast('已保存草稿');
      }
      await open(saved.id);
    } catch (e) {
      if (savedId) {
        showToast({ message: `${options.noun}已保存为草稿，提交失败：${errorMessage(e)}`, duration: 3000 });
        await open(savedId);
        return;
      }
      if (e instanceof ApiError && e.status === 400) serverErrors.value = fieldErrors(e);
      showToast({ message: errorMessage(e), duration: 3000 });
    } finally {
      saving.value = null;
    }
  }

  return { serverErrors, saving, persist };
}
