// The phone's position for a check-in, as the API takes it (shared/schemas/visits.ts Position).
// Here from the browser's geolocation (WGS-84); inside Feishu / WeCom / DingTalk the platform
// bridge can hand over its own fix instead (source and coordSystem say which).
import { ref } from 'vue';
import type { Position } from '../../../shared/schemas/visits';

export const POSITION_TIMEOUT_MS = 15_000;

/** Why no position came, in words (GeolocationPositionError codes 1–3). */
export function positionErrorMessage(code: number | undefined): string {
  if (code === 1) return '没有定位权限：请在系统设置里允许定位后重试';
  if (code === 3) return '定位超时，请到开阔处重试';
  if (code === 2) return '暂时无法定位，请检查 GPS 和网络后重试';
  return '这个浏览器不支持定位，请在手机上打开';
}

export function usePosition() {
  const locating = ref(false);
  const error = ref<string | null>(null);

  /** A fresh fix (never a cached one): capturedAt is when the phone took it, sentAt when it was handed over. */
  function locate(): Promise<Position> {
    error.value = null;
    const geo = typeof navigator === 'undefined' ? undefined : navigator.geolocation;
    if (!geo) {
      error.value = positionErrorMessage(undefined);
      return Promise.reject(new Error(error.value));
    }
    locating.value = true;
    return new Promise<Position>((resolve, reject) => {
      geo.getCurrentPosition(
        (p) => {
          locating.value = false;
          resolve({
            lat: p.coords.latitude, lng: p.coords.longitude, coordSystem: 'wgs84', accuracy: Math.round(p.coords.accuracy * 10) / 10, source: 'browser',
            capturedAt: new Date(p.timestamp).toISOString(), sentAt: new Date().toISOString(),
          });
        },
        (e) => {
          locating.value = false;
          error.value = positionErrorMessage(e.code);
          reject(new Error(error.value));
        },
        { enableHighAccuracy: true, timeout: POSITION_TIMEOUT_MS, maximumAge: 0 },
      );
    });
  }

  return { locating, error, locate };
}
