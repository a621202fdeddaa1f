// Real Chromium for end-to-end tests (Debian's package; playwright-core drives it).
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export const chromiumPath = CANDIDATES.find((p) => fs.existsSync(p));

/** In CI the browser must be there (.ci/run installs it); elsewhere its absence is reported, not hidden. */
export const browserMissing = !chromiumPath && !process.env.CI;
if (browserMissing) console.warn('⚠ 未找到 Chromium（apt-get install chromium fonts-noto-cjk）：跳过浏览器端到端测试');

export function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error('Chromium not found: apt-get install -y chromium fonts-noto-cjk');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}
