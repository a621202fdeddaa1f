// miniapp_load: first contentful paint of the mini-app (/m/, opened signed out: the sign-in page)
// on a throttled phone-like connection — Chromium network emulation 1.6 Mbps down / 150 ms RTT and
// 4× CPU slowdown — against an empty Vite + Vue + Vant page (one Vant button) built in the same run
// with the same Vite settings and served the same way (compression + express.static with the
// product's options, as server/app.ts serves /m/). Fresh browser context per load (nothing cached),
// loads alternate between the two, median of each. ratio = our FCP / the empty page's FCP; goals:
// ratio ≤ 1.5 and initial JS+CSS ≤ 150 KB gzip, where "initial" is every script and stylesheet
// requested before the first contentful paint, sized as gzip (level 6) of the built file.
import compression from 'compression';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import express from 'express';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../tests/helpers/browser.ts';
import type { BenchEnv, BenchResult } from './run.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const MINIAPP_DIST = path.join(ROOT, 'miniapp', 'dist');
const LOADS = Number(process.env.BENCH_MINIAPP_LOADS ?? 9);
/** bytes per second for Chromium; 1.6 Mbps down / 750 kbps up counted as Lighthouse's mobile profile counts them (× 1024) */
const NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const CPU_SLOWDOWN = 4;

const say = (msg: string) => { if (process.env.BENCH_VERBOSE) console.error(`[miniapp_load] ${msg}`); };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const gzipSize = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length;

/** The empty page: Vue + one Vant button (with its CSS), same Vite settings as miniapp/vite.config.ts. */
async function buildEmptyPage(dir: string): Promise<string> {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>
<html lang="zh-CN">
  <head><meta charset="UTF-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" /><title>空白页</title></head>
  <body><div id="app"></div><script type="module" src="/src/main.ts"></script></body>
</html>
`);
  fs.writeFileSync(path.join(dir, 'src', 'main.ts'), `import { createApp, h } from 'vue';
import { Button } from 'vant';
import 'vant/es/button/style/index.mjs';
createApp({ render: () => h(Button, { type: 'primary', block: true }, () => '云桥') }).mount('#app');
`);
  const outDir = path.join(dir, 'dist');
  await build({
    root: dir, base: '/m/', plugins: [vue()], publicDir: false, envDir: false, logLevel: 'silent', configFile: false,
    build: { outDir, emptyOutDir: true, target: ['es2020', 'chrome87', 'safari14'], cssTarget: ['chrome87', 'safari14'], sourcemap: false, reportCompressedSize: false },
  });
  return outDir;
}

/** Serves a built mini-app at /m/ exactly as server/app.ts does. */
async function serve(dist: string): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const app = express();
  app.use('/m', compression());
  app.use('/m/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use('/m', express.static(dist, { index: 'index.html', setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

interface Load { fcp: number; initial: string[] }

/** One cold load under the throttling: FCP (ms from navigation start) and the scripts/stylesheets requested before it. */
async function load(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    // as source text: tsx would wrap named functions in a helper the page does not have
    return await page.evaluate<Load>(`new Promise((resolve, reject) => {
      new PerformanceObserver((list) => {
        const e = list.getEntries().find((x) => x.name === 'first-contentful-paint');
        if (!e) return;
        const initial = performance.getEntriesByType('resource')
          .filter((r) => r.startTime < e.startTime && /\\.(m?js|css)(\\?|$)/.test(r.name))
          .map((r) => new URL(r.name).pathname);
        resolve({ fcp: e.startTime, initial });
      }).observe({ type: 'paint', buffered: true });
      setTimeout(() => reject(new Error('no first-contentful-paint within 60 s')), 60000);
    })`);
  } finally {
    await context.close();
  }
}

export async function miniappLoadBench(env: BenchEnv): Promise<BenchResult> {
  // under the project's git-ignored .tmp/, so the build resolves vue and vant from the project's node_modules
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'bench-empty-page-'));
  let empty: Awaited<ReturnType<typeof serve>> | undefined;
  let browser: Browser | undefined;
  try {
    const emptyDist = await buildEmptyPage(dir);
    empty = await serve(emptyDist);
    browser = await launchChromium();
    const oursUrl = `${env.baseUrl}/m/`;
    const emptyUrl = `${empty.baseUrl}/m/`;
    // one unmeasured load of each (browser and server warm), then alternate
    await load(browser, oursUrl);
    await load(browser, emptyUrl);
    const ours: Load[] = [];
    const base: Load[] = [];
    // pairs in ABBA order, so neither page is always the one loaded right after the other
    for (let n = 0; n < LOADS; n++) {
      if (n % 2 === 0) {
        ours.push(await load(browser, oursUrl));
        base.push(await load(browser, emptyUrl));
      } else {
        base.push(await load(browser, emptyUrl));
        ours.push(await load(browser, oursUrl));
      }
      say(`ours ${ours.at(-1)!.fcp.toFixed(0)} ms, empty ${base.at(-1)!.fcp.toFixed(0)} ms`);
    }

    // initial JS+CSS: what our loads requested before their FCP (the same set each time), gzip-sized from the build
    const sizeOf = (dist: string, loads: Load[]) => {
      const files = [...new Set(loads.flatMap((l) => l.initial))].map((p) => path.join(dist, p.replace(/^\/m\//, '')));
      return files.map((f) => ({ file: path.basename(f), gzip: fs.existsSync(f) ? gzipSize(f) : 0 })).sort((a, b) => b.gzip - a.gzip);
    };
    const oursFiles = sizeOf(MINIAPP_DIST, ours);
    const emptyFiles = sizeOf(emptyDist, base);
    const kb = (files: { gzip: number }[]) => files.reduce((a, f) => a + f.gzip, 0) / 1024;
    const initialKb = kb(oursFiles);
    say(`initial files (gzip): ${oursFiles.map((f) => `${f.file} ${(f.gzip / 1024).toFixed(1)} KB`).join(', ')}`);

    const value = median(ours.map((l) => l.fcp));
    const baseline = median(base.map((l) => l.fcp));
    const ratio = value / baseline;
    const top = oursFiles.slice(0, 3).map((f) => `${f.file}:${(f.gzip / 1024).toFixed(1)}KB`).join(',');
    return {
      name: 'miniapp_load', value, baseline, unit: 'ms', ratio, goal: '<=1.5 and initial<=150KB', pass: ratio <= 1.5 && initialKb <= 150,
      detail: `initial_js_css_gzip=${initialKb.toFixed(1)}KB files=${oursFiles.length} empty_initial_gzip=${kb(emptyFiles).toFixed(1)}KB largest=${top}`
        + ` fcp_ours=[${ours.map((l) => l.fcp.toFixed(0)).join(',')}] fcp_empty=[${base.map((l) => l.fcp.toFixed(0)).join(',')}]`,
    };
  } finally {
    await browser?.close();
    await empty?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
