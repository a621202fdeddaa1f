// Vite config of the mobile H5 mini-app (served by the Express server at /m/).
// Usable from the project root: `build({ configFile: 'miniapp/vite.config.ts' })`
// or `npx vite build --config miniapp/vite.config.ts`.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { inlineFontsToFiles } from './font-file.ts';
import { vantOnDemand } from './vant-on-demand.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Vant's icon font is inlined (data: woff2) but also names a fallback on at.alicdn.com: the
 * server's CSP allows no outside font host, and Chromium still requests (and reports) the
 * fallback. Dropping remote sources from @font-face keeps the mini-app free of outside hosts.
 */
const dropRemoteFontSources = {
  postcssPlugin: 'yunqiao-drop-remote-font-sources',
  AtRule: {
    'font-face': (rule: { walkDecls(prop: string, cb: (decl: { value: string }) => void): void }) => {
      rule.walkDecls('src', (decl) => {
        const sources = decl.value.split(/,(?![^(]*\))/);
        const local = sources.filter((s) => !/url\(\s*["']?(https?:)?\/\//i.test(s));
        if (local.length && local.length < sources.length) decl.value = local.join(',');
      });
    },
  },
};

export default defineConfig({
  root,
  base: '/m/',
  plugins: [vue(), vantOnDemand(fileURLToPath(new URL('./src', import.meta.url))), inlineFontsToFiles()],
  css: { postcss: { plugins: [dropRemoteFontSources] } },
  // No public/ folder: every asset goes through the bundle (hashed, deterministic).
  publicDir: false,
  // Never read .env files from wherever the build happens to be started.
  envDir: false,
  clearScreen: false,
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // In-app WebViews (Feishu / WeCom / DingTalk) are recent Chromium / WKWebView builds.
    target: ['es2020', 'chrome87', 'safari14'],
    cssTarget: ['chrome87', 'safari14'],
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    // `npx vite --config miniapp/vite.config.ts` for development; the API runs separately.
    proxy: { '/api': process.env.YUNQIAO_API_ORIGIN ?? 'http://localhost:3000' },
  },
});
