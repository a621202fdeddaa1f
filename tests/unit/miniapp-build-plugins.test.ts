// The mini-app's build plugins (miniapp/vite.config.ts): Vant components and their CSS imported
// where a template or a module uses them, and Vant's inlined icon font written out as its own file.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inlineFontsToFiles } from '../../miniapp/font-file.ts';
import { vantOnDemand } from '../../miniapp/vant-on-demand.ts';

const SRC = path.resolve(import.meta.dirname, '../../miniapp/src');
type Transform = (code: string, id: string) => { code: string } | null;
const transform = vantOnDemand(SRC).transform as unknown as Transform;

describe('vantOnDemand', () => {
  it('a template\'s <van-cell-group> becomes an import of CellGroup plus its style entry', () => {
    const code = 'const _component_van_cell_group = _resolveComponent("van-cell-group");\nconst x = _resolveComponent("router-link");';
    const out = transform(code, `${SRC}/pages/HomePage.vue?vue&type=script&setup=true&lang.ts`)!.code;
    expect(out).toContain("import { CellGroup as __VanCellGroup } from 'vant';");
    expect(out).toContain("import 'vant/es/cell-group/style/index.mjs';");
    expect(out).toContain('const _component_van_cell_group = __VanCellGroup;');
    expect(out).toContain('_resolveComponent("router-link")'); // not Vant's: left alone
  });

  it('function APIs and components named in an import from vant bring their CSS', () => {
    const out = transform("import { showConfirmDialog, showSuccessToast as ok, Button } from 'vant';\nok();", `${SRC}/pages/X.vue?vue&type=script&setup=true&lang.ts`)!.code;
    expect(out).toContain("import 'vant/es/dialog/style/index.mjs';");
    expect(out).toContain("import 'vant/es/toast/style/index.mjs';");
    expect(out).toContain("import 'vant/es/button/style/index.mjs';");
  });

  it('leaves alone: unknown van- tags, files outside src, style blocks, modules without Vant', () => {
    expect(transform('_resolveComponent("van-no-such-thing")', `${SRC}/App.vue`)).toBeNull();
    expect(transform('_resolveComponent("van-button")', '/elsewhere/node_modules/x/index.ts')).toBeNull();
    expect(transform('.van-button{}', `${SRC}/App.vue?vue&type=style&index=0&lang.css`)).toBeNull();
    expect(transform('export const a = 1;', `${SRC}/utils/format.ts`)).toBeNull();
  });
});

describe('inlineFontsToFiles', () => {
  it('writes a data: woff2 out as a hashed asset next to the CSS and points the @font-face at it', () => {
    const bytes = Buffer.from('wOF2 pretend font bytes');
    const css = `@font-face{font-family:vant-icon;src:url(data:font/woff2;charset=utf-8;base64,${bytes.toString('base64')}) format("woff2")}.van-icon{font-family:vant-icon}`;
    const bundle: Record<string, { type: 'asset'; fileName: string; source: string }> = {
      'assets/auth-x.css': { type: 'asset', fileName: 'assets/auth-x.css', source: css },
      'assets/plain.css': { type: 'asset', fileName: 'assets/plain.css', source: '.a{color:red}' },
    };
    const emitted: { fileName: string; source: Buffer }[] = [];
    const ctx = {
      emitFile: (f: { fileName: string; source: Buffer }) => (emitted.push(f), f.fileName),
      getFileName: (ref: string) => ref,
    };
    (inlineFontsToFiles().generateBundle as unknown as (this: typeof ctx, o: unknown, b: typeof bundle) => void).call(ctx, {}, bundle);
    expect(emitted).toHaveLength(1);
    expect(emitted[0]!.fileName).toMatch(/^assets\/font-[\w-]{8}\.woff2$/);
    expect(emitted[0]!.source.equals(bytes)).toBe(true);
    const name = emitted[0]!.fileName.slice('assets/'.length);
    expect(bundle['assets/auth-x.css']!.source).toBe(`@font-face{font-family:vant-icon;src:url(${name}) format("woff2")}.van-icon{font-family:vant-icon}`);
    expect(bundle['assets/plain.css']!.source).toBe('.a{color:red}');
  });
});
