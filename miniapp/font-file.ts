// Vant inlines its icon font (a 28 KB gzip data: URI) in the icon CSS, which every page's first
// stylesheet carries: the first paint waited for bytes that only draw icons. Written out as its own
// hashed file instead, the browser fetches it only once an icon is on screen, in parallel, and the
// text paints without it (icons appear a moment later; font-display stays Vant's).
import crypto from 'node:crypto';
import type { Plugin } from 'vite';

const DATA_FONT = /url\(\s*(["']?)data:font\/(woff2?);(?:charset=[\w-]+;)?base64,([A-Za-z0-9+/=]+)\1\s*\)/g;

export function inlineFontsToFiles(): Plugin {
  return {
    name: 'yunqiao-inline-fonts-to-files',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const asset of Object.values(bundle)) {
        if (asset.type !== 'asset' || !asset.fileName.endsWith('.css')) continue;
        const css = typeof asset.source === 'string' ? asset.source : Buffer.from(asset.source).toString('utf8');
        if (!css.includes('data:font/')) continue;
        const out = css.replace(DATA_FONT, (_m, _q, format: string, base64: string) => {
          const bytes = Buffer.from(base64, 'base64');
          const hash = crypto.createHash('sha256').update(bytes).digest('base64url').slice(0, 8);
          const ref = this.emitFile({ type: 'asset', fileName: `assets/font-${hash}.${format}`, source: bytes });
          // the CSS sits in assets/ too: a path relative to it works under any base
          return `url(${this.getFileName(ref).replace(/^assets\//, '')})`;
        });
        asset.source = out;
      }
    },
  };
}
