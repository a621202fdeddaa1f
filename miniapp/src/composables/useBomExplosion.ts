// The BOM page's tree: the explosion of the chosen version for a quantity the user may change, and
// the BOM lines behind its nodes. The explode endpoint gives each node its extended quantity but
// not its 用量, which is on the parent's BOM line, so the BOMs of the sub-assemblies in the tree are
// fetched once each (the page's own BOM is already there) and matched line by line.
import { computed, ref, shallowRef, triggerRef, watch, type Ref } from 'vue';
import type { Bom, BomExplosion, BomVersion } from '../../../shared/schemas/manufacturing';
import { errorMessage, explodeBom, getBom, listBoms } from '../api';
import { defaultVersion, explosionDate, isQuantityText, keysFromLevel, subAssemblies, todayInShanghai, visibleRows } from '../utils/bom';
import { trimDecimal } from '../utils/format';

export function useBomExplosion(bom: Ref<Bom | null>) {
  const versionNo = ref<number | null>(null);
  /** the parent quantity (its base unit) the tree is for, as typed */
  const quantity = ref('1');
  const explosion = shallowRef<BomExplosion | null>(null);
  const loading = ref(false);
  /** why there is no tree (the server's words) */
  const failure = ref<string | null>(null);
  const collapsed = ref<Set<string>>(new Set());
  /** item id → its BOM (null: it has none we can see) */
  const bomsByItem = shallowRef(new Map<string, Bom | null>());
  const pending = new Map<string, Promise<void>>();
  let ticket = 0;
  /** what the tree on screen (or on its way) is for: Enter and then blur ask once */
  let asked = '';

  const today = todayInShanghai();
  const version = computed<BomVersion | undefined>(() => bom.value?.versions.find((v) => v.versionNo === versionNo.value));
  const date = computed(() => (version.value ? explosionDate(version.value, today) : today));
  const quantityValid = computed(() => isQuantityText(quantity.value));

  function versionOf(itemId: string, no: number): BomVersion | undefined {
    return bomsByItem.value.get(itemId)?.versions.find((v) => v.versionNo === no);
  }

  const rows = computed(() => {
    const root = explosion.value?.root;
    if (!root) return [];
    return visibleRows(
      root,
      collapsed.value,
      (itemId, no) => versionOf(itemId, no)?.lines ?? null,
      (itemId, no) => versionOf(itemId, no)?.batchQuantity ?? null,
    );
  });

  /** The BOM of a sub-assembly: found by its code among the BOMs, then read whole. */
  function resolve(itemId: string, code: string): Promise<void> {
    if (bomsByItem.value.has(itemId)) return Promise.resolve();
    let p = pending.get(itemId);
    if (!p) {
      p = (async () => {
        let found: Bom | null = null;
        try {
          // q matches codes containing it: a page large enough that the exact code is among them
          const page = await listBoms({ page: 1, pageSize: 200, q: code });
          const summary = page.items.find((b) => b.parent.id === itemId);
          if (summary) found = await getBom(summary.id);
        } catch {
          found = null; // 用量 stays 「—」 for its children; the tree itself is right
        }
        bomsByItem.value.set(itemId, found);
        triggerRef(bomsByItem);
      })();
      pending.set(itemId, p);
    }
    return p;
  }

  async function explode(): Promise<void> {
    const b = bom.value;
    if (!b || !version.value || !quantityValid.value) return;
    const key = `${b.id}|${b.version}|${date.value}|${quantity.value.trim()}`;
    if (key === asked && !failure.value) return;
    asked = key;
    const mine = ++ticket;
    loading.value = true;
    failure.value = null;
    try {
      const got = await explodeBom({ itemId: b.parent.id, quantity: quantity.value.trim(), date: date.value });
      if (mine !== ticket) return;
      explosion.value = got;
      collapsed.value = new Set();
      await Promise.all(subAssemblies(got.root).map((n) => resolve(n.item.id, n.item.code)));
    } catch (e) {
      if (mine !== ticket) return;
      asked = '';
      explosion.value = null;
      failure.value = errorMessage(e);
    } finally {
      if (mine === ticket) loading.value = false;
    }
  }

  function chooseVersion(no: number): void {
    if (no === versionNo.value) return;
    versionNo.value = no;
    const batch = trimDecimal(version.value?.batchQuantity);
    if (batch) quantity.value = batch;
    void explode();
  }

  function toggle(key: string): void {
    const next = new Set(collapsed.value);
    if (!next.delete(key)) next.add(key);
    collapsed.value = next;
  }

  /** levels 0..level shown (Infinity: all) */
  function showLevels(level: number): void {
    const root = explosion.value?.root;
    collapsed.value = root && Number.isFinite(level) ? keysFromLevel(root, level) : new Set();
  }

  // A (re)loaded BOM: its own lines are known; start at today's version and its batch quantity.
  watch(bom, (b) => {
    if (!b) return;
    const map = new Map(bomsByItem.value);
    map.set(b.parent.id, b);
    bomsByItem.value = map;
    const first = b.versions.find((v) => v.versionNo === versionNo.value) ?? defaultVersion(b);
    if (!first) return;
    versionNo.value = null;
    chooseVersion(first.versionNo);
  }, { immediate: true });

  return {
    versionNo, version, quantity, quantityValid, date, explosion, loading, failure, rows, collapsed,
    explode, chooseVersion, toggle, showLevels,
    /** the BOM id of an item in the tree, when it has one */
    bomIdOf: (itemId: string) => bomsByItem.value.get(itemId)?.id ?? null,
  };
}
