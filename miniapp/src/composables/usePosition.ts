// The phone's position for a check-in, as the API takes it (shared/schemas/visits.ts Position),
// through the platform bridge: inside Feishu / WeCom / DingTalk the platform's own location API
// (its coordinate system and source go with the fix), elsewhere the browser's geolocation (WGS-84).
import { ref } from 'vue';
import type { Position } from '../../../shared/schemas/visits';
import { BridgeError, getBridge } from '../bridge';

/** a failure that is not one of the bridge's own (already worded) errors */
export const POSITION_FAILED = '暂时无法获取位置，请稍后重试';

export function usePosition() {
  const locating = ref(false);
  const error = ref<string | null>(null);

  /** A fresh fix (never a cached one): capturedAt is when the phone took it, sentAt when it was handed over. */
  async function locate(): Promise<Position> {
    error.value = null;
    locating.value = true;
    try {
      const p = await (await getBridge()).getLocation();
      return {
        lat: p.lat, lng: p.lng, coordSystem: p.coordSystem, accuracy: Math.round(p.accuracy * 10) / 10, source: p.source,
        capturedAt: p.capturedAt, sentAt: new Date().toISOString(),
      };
    } catch (e) {
      error.value = e instanceof BridgeError ? e.message : POSITION_FAILED;
      throw new Error(error.value);
    } finally {
      locating.value = false;
    }
  }

  return { locating, error, locate };
}
