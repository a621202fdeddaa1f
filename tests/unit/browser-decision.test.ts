// Browser tests where Chromium is missing: skipped (and listed at the end of the run, with the
// install command) on a developer's machine; a failure in CI. Environment and file system injected.
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { TestModule } from 'vitest/node';
import { CHROMIUM_INSTALL, decideBrowser, isCi, skippedBrowserReport } from '../helpers/browser-decision.ts';
import SummaryReporter from '../setup/summary-reporter.ts';

const nothing = () => false;
const only = (p: string) => (q: string) => q === p;

describe('decideBrowser', () => {
  it('找到 Chromium 就跑：CHROMIUM_PATH 优先，其次 /usr/bin/chromium、chromium-browser', () => {
    expect(decideBrowser({}, only('/usr/bin/chromium'))).toEqual({ kind: 'run', path: '/usr/bin/chromium' });
    expect(decideBrowser({}, only('/usr/bin/chromium-browser'))).toEqual({ kind: 'run', path: '/usr/bin/chromium-browser' });
    expect(decideBrowser({ CHROMIUM_PATH: '/opt/c/chrome', CI: 'true' }, () => true)).toEqual({ kind: 'run', path: '/opt/c/chrome' });
  });

  it('本地没有 Chromium：跳过，原因里有安装命令', () => {
    const d = decideBrowser({}, nothing);
    expect(d.kind).toBe('skip');
    expect(d.kind === 'skip' && d.reason).toContain('apt-get install -y chromium fonts-noto-cjk');
    expect(decideBrowser({ CI: 'false' }, nothing).kind).toBe('skip');
    expect(decideBrowser({ CI: '' }, nothing).kind).toBe('skip');
  });

  it('CI 上没有 Chromium：失败，不跳过', () => {
    for (const CI of ['true', '1', 'TRUE', 'yes']) {
      const d = decideBrowser({ CI }, nothing);
      expect(d.kind).toBe('fail');
      expect(d.kind === 'fail' && d.reason).toContain(CHROMIUM_INSTALL);
    }
    expect(isCi({ CI: '0' })).toBe(false);
  });
});

describe('运行结束时的说明', () => {
  const skipped = [{ file: 'tests/e2e/miniapp.test.ts', name: '移动端（真实 Chromium） 登录' }];

  it('跳过了浏览器测试：逐个列出，并给出安装命令', () => {
    expect(skippedBrowserReport(decideBrowser({}, nothing), skipped)).toEqual([
      '⚠ 跳过了 1 个浏览器端到端测试（未找到 Chromium）：',
      '  - tests/e2e/miniapp.test.ts › 移动端（真实 Chromium） 登录',
      `  安装 Chromium 后重跑即可：${CHROMIUM_INSTALL}`,
    ]);
    expect(skippedBrowserReport(decideBrowser({}, () => true), skipped)).toEqual([]);
    expect(skippedBrowserReport(decideBrowser({}, nothing), [])).toEqual([]);
  });

  it('SummaryReporter 在最后一行之前列出跳过的 e2e 测试（只列 tests/e2e 下的）', () => {
    const mod = (file: string, tests: { state: string; fullName: string }[]) => ({
      moduleId: path.join(process.cwd(), file), state: () => 'skipped',
      children: { allTests: () => tests.map((t) => ({ fullName: t.fullName, result: () => ({ state: t.state }) })) },
    }) as unknown as TestModule;
    const out: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    try {
      new SummaryReporter({ env: {}, exists: nothing }).onTestRunEnd([
        mod('tests/e2e/miniapp.test.ts', [{ state: 'skipped', fullName: '移动端（真实 Chromium） 登录' }]),
        mod('tests/api/items.test.ts', [{ state: 'passed', fullName: 'a' }, { state: 'skipped', fullName: 'b' }]),
      ]);
    } finally {
      spy.mockRestore();
    }
    expect(out).toEqual([
      `\n⚠ 跳过了 1 个浏览器端到端测试（未找到 Chromium）：\n  - tests/e2e/miniapp.test.ts › 移动端（真实 Chromium） 登录\n  安装 Chromium 后重跑即可：${CHROMIUM_INSTALL}`,
      '\nTests: 1 passed, 0 failed, 2 skipped',
    ]);
    // Chromium found: only the closing line
    out.length = 0;
    const again = vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    try {
      new SummaryReporter({ env: {}, exists: () => true }).onTestRunEnd([mod('tests/e2e/miniapp.test.ts', [{ state: 'skipped', fullName: 'x' }])]);
    } finally {
      again.mockRestore();
    }
    expect(out).toEqual(['\nTests: 0 passed, 0 failed, 1 skipped']);
  });
});
