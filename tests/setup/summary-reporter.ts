// Prints one plain closing line, "Tests: N passed, N failed", that any CI can read — and, when
// the browser tests were skipped for want of Chromium, which ones and how to install it.
import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { decideBrowser, skippedBrowserReport } from '../helpers/browser-decision.ts';

const E2E_DIR = `${path.sep}tests${path.sep}e2e${path.sep}`;

export default class SummaryReporter implements Reporter {
  /** env and file check injectable for its own test; vitest constructs it with neither */
  constructor(private readonly probe: { env?: Record<string, string | undefined>; exists?: (p: string) => boolean } = {}) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skippedBrowser: { file: string; name: string }[] = [];
    for (const m of testModules) {
      for (const test of m.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else {
          skipped++;
          if (m.moduleId.includes(E2E_DIR)) skippedBrowser.push({ file: path.relative(process.cwd(), m.moduleId), name: test.fullName });
        }
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
    }
    const browserLines = skippedBrowserReport(decideBrowser(this.probe.env ?? process.env, this.probe.exists ?? ((p) => fs.existsSync(p))), skippedBrowser);
    if (browserLines.length) console.log(`\n${browserLines.join('\n')}`);
    console.log(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  }
}
