// Low-level codes: an item's code is one more than its deepest parent's, over every BOM version
// (so an item is netted once, after all of its parents, whichever version a date picks). A cycle
// in any version is refused with its path.
import { MrpInputError } from './errors.ts';

/**
 * @param children parent id → distinct component ids (every version, phantom lines included)
 * @param codeOf item id → item code, for the cycle's message
 */
export function computeLowLevelCodes(itemIds: readonly string[], children: ReadonlyMap<string, readonly string[]>, codeOf: (id: string) => string): Map<string, number> {
  const state = new Map<string, 1 | 2>(); // 1 = on the DFS path, 2 = done
  const postOrder: string[] = [];
  const pathIds: string[] = [];
  const nextChild: number[] = [];
  for (const root of itemIds) {
    if (state.has(root)) continue;
    state.set(root, 1);
    pathIds.push(root);
    nextChild.push(0);
    // iterative depth-first search: BOM depth is unlimited, the call stack is not
    while (pathIds.length) {
      const top = pathIds.length - 1;
      const id = pathIds[top]!;
      const kids = children.get(id) ?? [];
      const i = nextChild[top]!;
      if (i >= kids.length) {
        state.set(id, 2);
        postOrder.push(id);
        pathIds.pop();
        nextChild.pop();
        continue;
      }
      nextChild[top] = i + 1;
      const kid = kids[i]!;
      const s = state.get(kid);
      if (s === 1) {
        const cycle = [...pathIds.slice(pathIds.indexOf(kid)), kid].map(codeOf);
        throw new MrpInputError('BOM_CYCLE', `物料清单存在循环：${cycle.join(' → ')}`, cycle);
      }
      if (s === 2) continue;
      state.set(kid, 1);
      pathIds.push(kid);
      nextChild.push(0);
    }
  }
  const codes = new Map<string, number>();
  for (const id of itemIds) codes.set(id, 0);
  // reverse post-order is a topological order: parents before their components
  for (let k = postOrder.length - 1; k >= 0; k--) {
    const id = postOrder[k]!;
    const level = codes.get(id)! + 1;
    for (const kid of children.get(id) ?? []) if (codes.get(kid)! < level) codes.set(kid, level);
  }
  return codes;
}
