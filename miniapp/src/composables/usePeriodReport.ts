// A report of one month (资产负债表, 利润表, 科目余额表 …): the month picked (this month to start,
// Asia/Shanghai), loaded again when it changes to a valid YYYY-MM, with the loading flag and a
// problem in words (no permission named as such).
import { ref, watch, type Ref } from 'vue';
import { ApiError, errorMessage } from '../api';

export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const thisMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

export function usePeriodReport<T>(fetchReport: (period: string) => Promise<T>, opts: { forbidden: string; period?: string; also?: Ref<unknown>[]; ready?: () => boolean }) {
  const period = ref(opts.period ?? thisMonth());
  const report = ref<T | null>(null) as Ref<T | null>;
  const problem = ref('');
  const loading = ref(false);

  async function load(): Promise<void> {
    if (!PERIOD_PATTERN.test(period.value) || (opts.ready && !opts.ready())) return;
    loading.value = true;
    problem.value = '';
    try {
      report.value = await fetchReport(period.value);
    } catch (e) {
      report.value = null;
      problem.value = e instanceof ApiError && e.status === 403 ? opts.forbidden : errorMessage(e);
    } finally {
      loading.value = false;
    }
  }
  watch([period, ...(opts.also ?? [])], () => void load(), { immediate: true });
  return { period, report, problem, loading, load };
}
