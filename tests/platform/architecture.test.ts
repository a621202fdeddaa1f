// Architecture rules (issue 15, title 7): the import graph of server/, bot/, shared/ and miniapp/src,
// read by dependency-cruiser with the rules of .dependency-cruiser.cjs; each rule is one test naming
// its violations. "New tables get row-level security" is not an import rule: it is checked on the
// migrated database by tests/platform/tenancy.test.ts (架构约束: every table with company_id has RLS
// enabled and forced with the two policies, and any other table is on its named list of global tables).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration, type IModule } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as IConfiguration;
const SCOPE = ['server', 'bot', 'shared', 'miniapp/src'];

let graph: ICruiseResult;

beforeAll(async () => {
  const { output } = await cruise(SCOPE, {
    ...config.options,
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  graph = output as ICruiseResult;
}, 60_000);

const ruleNames = (config.forbidden ?? []).map((r) => r.name);

/** "from → to" of each violation of one rule. */
function edgesBreaking(rule: string): string[] {
  expect(ruleNames, `.dependency-cruiser.cjs has no rule ${rule}`).toContain(rule);
  return graph.summary.violations
    .filter((v) => v.rule.name === rule)
    .map((v) => `${v.from} → ${v.to}`)
    .sort();
}

/**
 * The cycle rule reports one edge per cycle it closes; grouped by strongly connected component of
 * the runtime graph, the message reads "16 files in one cycle: …, e.g. a → b → … → a".
 */
function runtimeCycles(): string[] {
  const broken = graph.summary.violations.filter((v) => v.rule.name === 'no-runtime-cycle');
  if (!broken.length) return [];
  const runtimeEdges = new Map<string, string[]>(
    graph.modules.map((m: IModule) => [
      m.source,
      m.dependencies.filter((d) => !d.dependencyTypes.includes('type-only')).map((d) => d.resolved),
    ]),
  );
  const component = stronglyConnected(runtimeEdges);
  const groups = new Map<number, { members: string[]; example: string }>();
  for (const v of broken) {
    const id = component.get(v.from)!;
    if (groups.has(id)) continue;
    const members = [...component].filter(([, c]) => c === id).map(([file]) => file).sort();
    const example = [v.from, ...(v.cycle ?? []).map((step) => step.name)].join(' → ');
    groups.set(id, { members, example });
  }
  return [...groups.values()].map((g) => `${g.members.length} files in one cycle: ${g.members.join(', ')}; e.g. ${g.example}`);
}

/** Tarjan's algorithm: file → component number. */
function stronglyConnected(edges: Map<string, string[]>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let next = 0;
  let components = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.set(w, components);
      } while (w !== v);
      components++;
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return component;
}

describe('架构规则（.dependency-cruiser.cjs）', () => {
  it('读到了整个代码：每个相对导入都解析到了文件，import type 被识别（规则不会因为看不见而通过）', () => {
    const files = graph.modules.map((m) => m.source);
    for (const folder of SCOPE) expect(files.some((f) => f.startsWith(`${folder}/`)), folder).toBe(true);
    expect(files.some((f) => f.endsWith('.vue')), 'miniapp .vue files').toBe(true);
    const unresolved = graph.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.module.startsWith('.') && d.couldNotResolve).map((d) => `${m.source}: ${d.module}`),
    );
    expect(unresolved).toEqual([]);
    const typeOnly = graph.modules.flatMap((m) => m.dependencies.filter((d) => d.dependencyTypes.includes('type-only')));
    expect(typeOnly.length).toBeGreaterThan(0);
  });

  it('没有运行时导入环（只由 import type 闭合的不算）', () => {
    expect(runtimeCycles()).toEqual([]);
  });

  it('模块之间只经过对方的 index.ts（server/modules/index.ts 负责组装，除外）', () => {
    expect(edgesBreaking('modules-through-index')).toEqual([]);
  });

  it('bot 只经过 index.ts 使用服务端模块（平台与数据库底座除外），不碰组装根', () => {
    expect(edgesBreaking('bot-uses-server-modules-through-index')).toEqual([]);
  });

  it('服务端只有组装根（server/app.ts、server/main.ts）导入 bot/', () => {
    expect(edgesBreaking('only-composition-root-imports-bot')).toEqual([]);
  });

  it('移动端从 shared/ 只导入类型和枚举（运行时只有 shared/enums.ts、shared/time.ts、shared/rmb-capital.ts、shared/passenger-vat.ts），不导入 server/、bot/', () => {
    expect([
      ...edgesBreaking('miniapp-imports-types-and-enums-from-shared'),
      ...edgesBreaking('miniapp-imports-nothing-of-server-or-bot'),
      ...edgesBreaking('miniapp-runtime-shared-stays-dependency-free'),
    ]).toEqual([]);
  });

  it('底座（server/platform、server/db）与 shared/ 不导入任何模块，shared/ 不导入 server/、bot/（不能借它们转出模块内部）', () => {
    expect([...edgesBreaking('plumbing-and-shared-import-no-module'), ...edgesBreaking('shared-imports-nothing-of-server')]).toEqual([]);
  });

  // Two things an import graph does not see, checked on the source text.
  it('移动端写成 import { type X } 的 shared 导入会留下运行时导入（verbatimModuleSyntax）：只许 import type { … }', () => {
    const inline = sourceFiles('miniapp/src', /\.(ts|vue)$/).flatMap((file) =>
      [...readFileSync(path.join(root, file), 'utf8').matchAll(/^import\s+(?!type\b)[^;]*?from\s+['"]([^'"]*\/shared\/[^'"]+)['"]/gms)]
        .filter((m) => !/\/shared\/(enums|time|rmb-capital|passenger-vat)(\.ts)?$/.test(m[1]!))
        .map((m) => `${file}: ${m[0].split('\n')[0]}`),
    );
    expect(inline).toEqual([]);
  });

  it('server/、bot/ 里没有路径不是字面量的 import()（导入图看不见它）', () => {
    const dynamic = sourceFiles('server', /\.ts$/, /^server\/generated\//).concat(sourceFiles('bot', /\.ts$/)).flatMap((file) =>
      [...readFileSync(path.join(root, file), 'utf8').matchAll(/\bimport\(\s*(?!['"][^'"`$]*['"]\s*\))([^)]*)\)/g)].map((m) => `${file}: import(${m[1]})`),
    );
    expect(dynamic).toEqual([]);
  });
});

/** Files under a folder (relative to the repository root) whose names match. */
function sourceFiles(folder: string, name: RegExp, skip?: RegExp): string[] {
  return (readdirSync(path.join(root, folder), { recursive: true }) as string[])
    .map((f) => `${folder}/${f}`)
    .filter((f) => name.test(f) && !(skip?.test(f)));
}
