// The BOM page's tree: the explosion of the chosen version for a quantity the user may change. One
// explode request gives every node its extended quantity and its parent's BOM line (用量, unit, 母件基数).
import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import type { Bom, BomExplosion, BomVersion } from '../../../shared/schemas/manufacturing';
import { errorMessage, explodeBom } from '../api';
import { defaultVersion, explosionDate, isQuantityText, keysFromLevel, todayInShanghai, visibleRows } from '../utils/bom';
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
  let ticket = 0;
  /** what the tree on screen (or on its way) is for: Enter and then blur ask once */
  let asked = '';

  const today = todayInShanghai();
  const version = computed<BomVersion | undefined>(() => bom.value?.versions.find((v) => v.versionNo === versionNo.value));
  const date = computed(() => (version.value ? explosionDate(version.value, today) : today));
  const quantityValid = computed(() => isQuantityText(quantity.value));

  const rows = computed(() => {
    const root = explosion.value?.root;
    return root ? visibleRows(root, collapsed.value) : [];
  });

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

  // A (re)loaded BOM: start at today's version and its batch quantity.
  watch(bom, (b) => {
    if (!b) return;
    const first = b.versions.find((v) => v.versionNo === versionNo.value) ?? defaultVersion(b);
    if (!first) return;
    versionNo.value = null;
    chooseVersion(first.versionNo);
  }, { immediate: true });

  return {
    versionNo, version, quantity, quantityValid, date, explosion, loading, failure, rows, collapsed,
    explode, chooseVersion, toggle, showLevels,
  };
}
