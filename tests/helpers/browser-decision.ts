// Whether the browser end-to-end tests run here: pure (environment and file check passed in), so
// the tests' helper (browser.ts) and the run's closing summary (summary-reporter.ts) decide alike.

export const CHROMIUM_INSTALL = 'apt-get update && apt-get install -y chromium fonts-noto-cjk';

export type BrowserDecision =
  | { kind: 'run'; path: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'fail'; reason: string };

/** CI=true (or 1, yes): a CI service sets it; empty, 0 and false do not count. */
export function isCi(env: Record<string, string | undefined>): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false' && v !== 'no';
}

/** Whether the browser tests run, are skipped (no Chromium here) or must fail (no Chromium in CI). */
export function decideBrowser(env: Record<string, string | undefined>, exists: (path: string) => boolean): BrowserDecision {
  const candidates = [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => exists(p));
  if (found) return { kind: 'run', path: found };
  const where = candidates.join('、');
  if (isCi(env)) return { kind: 'fail', reason: `CI 上必须有 Chromium（找过 ${where}）：${CHROMIUM_INSTALL}` };
  return { kind: 'skip', reason: `未找到 Chromium（找过 ${where}），浏览器端到端测试已跳过。安装：${CHROMIUM_INSTALL}` };
}

/** The closing lines of a run whose browser tests were skipped: which ones, and how to install Chromium. */
export function skippedBrowserReport(decision: BrowserDecision, skipped: readonly { file: string; name: string }[]): string[] {
  if (decision.kind !== 'skip' || !skipped.length) return [];
  return [
    `⚠ 跳过了 ${skipped.length} 个浏览器端到端测试（未找到 Chromium）：`,
    ...skipped.map((s) => `  - ${s.file} › ${s.name}`),
    `  安装 Chromium 后重跑即可：${CHROMIUM_INSTALL}`,
  ];
}
