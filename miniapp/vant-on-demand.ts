// Vant components and their CSS on demand, in the chunk of the page that uses them (what
// unplugin-vue-components' VantResolver does; that package is not installed here). Registering
// every component globally put all of Vant's JS and CSS in front of the first paint.
//
// - A template's `<van-field>` compiles to `resolveComponent("van-field")`: replaced by an import
//   of Field from 'vant' plus `vant/es/field/style/index.mjs` (which imports its dependencies' CSS).
// - `import { showToast, Button } from 'vant'` in a module adds the styles of what it names
//   (showToast → toast, showConfirmDialog → dialog, showImagePreview → image-preview, …).
// The tests (happy-dom) keep registering the components globally through src/vant.ts.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

const vantEs = path.join(path.dirname(createRequire(import.meta.url).resolve('vant/package.json')), 'es');

/** Vant's function APIs → the component folder whose CSS they need */
const FUNCTION_STYLES: Record<string, string> = {
  showToast: 'toast',
  showLoadingToast: 'toast',
  showSuccessToast: 'toast',
  showFailToast: 'toast',
  closeToast: 'toast',
  showDialog: 'dialog',
  showConfirmDialog: 'dialog',
  closeDialog: 'dialog',
  showImagePreview: 'image-preview',
  showNotify: 'notify',
  closeNotify: 'notify',
};

const pascal = (kebab: string) => kebab.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

const styleExists = new Map<string, boolean>();
function styleImport(folder: string): string | null {
  let exists = styleExists.get(folder);
  if (exists === undefined) {
    exists = fs.existsSync(path.join(vantEs, folder, 'style', 'index.mjs'));
    styleExists.set(folder, exists);
  }
  return exists ? `vant/es/${folder}/style/index.mjs` : null;
}

export function vantOnDemand(srcDir: string): Plugin {
  const src = path.resolve(srcDir) + path.sep;
  return {
    name: 'yunqiao-vant-on-demand',
    // after the Vue and TypeScript transforms: templates are render functions, types are gone
    enforce: 'post',
    transform(code, id) {
      const [file, query = ''] = id.split('?', 2) as [string, string?];
      if (!file.startsWith(src) || !/\.(vue|ts)$/.test(file) || query.includes('type=style')) return null;
      const imports: string[] = [];
      const styles = new Set<string>();
      const components = new Map<string, string>();

      let out = code.replace(/\b_?resolveComponent\(\s*"(van-[a-z0-9-]+)"\s*\)/g, (call, tag: string) => {
        const folder = tag.slice('van-'.length);
        const style = styleImport(folder);
        if (!style) return call; // not a Vant component folder: leave it to the runtime (and its warning)
        const local = `__Van${pascal(folder)}`;
        components.set(local, pascal(folder));
        styles.add(style);
        return local;
      });
      for (const [local, exported] of components) imports.push(`import { ${exported} as ${local} } from 'vant';`);

      for (const m of code.matchAll(/\bimport\s*\{([^}]*)\}\s*from\s*["']vant["']/g)) {
        for (const spec of m[1]!.split(',')) {
          const name = spec.trim().split(/\s+as\s+/)[0]!.trim();
          if (!name || name.startsWith('type ')) continue;
          const folder = FUNCTION_STYLES[name] ?? (/^[A-Z]/.test(name) ? kebab(name) : null);
          const style = folder ? styleImport(folder) : null;
          if (style) styles.add(style);
        }
      }

      if (!imports.length && !styles.size) return null;
      out = `${imports.join('\n')}${[...styles].map((s) => `\nimport '${s}';`).join('')}\n${out}`;
      return { code: out, map: null };
    },
  };
}
