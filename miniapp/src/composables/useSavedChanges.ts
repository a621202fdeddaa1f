// The kept-alive lists (客户, 销售订单) are stale after a save on another page (新建客户, a new or
// submitted order): the saving page marks the kind, and the list reloads when it comes back into view.
import { onActivated, ref } from 'vue';

const counters = { customer: ref(0), salesOrder: ref(0) };
export type SavedKind = keyof typeof counters;

export function markSaved(kind: SavedKind): void {
  counters[kind].value += 1;
}

/** In a kept-alive list: `reload` when shown again after a `markSaved(kind)`. */
export function reloadAfterSaves(kind: SavedKind, reload: () => void): void {
  let seen = counters[kind].value;
  onActivated(() => {
    if (counters[kind].value === seen) return;
    seen = counters[kind].value;
    reload();
  });
}
