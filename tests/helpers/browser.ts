// Real Chromium for end-to-end tests (Debian's package; playwright-core drives it). Where it is
// missing: in CI the run fails (.ci/run installs it); elsewhere the browser tests are skipped and
// the end of the run lists them with the command that installs it (summary-reporter.ts).
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { decideBrowser } from './browser-decision.ts';

export const browser = decideBrowser(process.env, (p) => fs.existsSync(p));
export const chromiumPath = browser.kind === 'run' ? browser.path : undefined;
/** describe.skipIf(browserMissing): true only outside CI without Chromium */
export const browserMissing = browser.kind === 'skip';

export function launchChromium(): Promise<Browser> {
  if (browser.kind !== 'run') throw new Error(browser.reason);
  return chromium.launch({
    executablePath: browser.path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}
