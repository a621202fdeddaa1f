// Is this a phone? Check-in and the camera only make sense there: the IM desktop client's side
// panel is as narrow as a phone but has a mouse and no GPS worth the name.

export interface DeviceHints {
  /** window width in CSS px */
  width: number;
  /** (pointer: coarse) — a finger, not a mouse */
  coarsePointer: boolean;
  maxTouchPoints: number;
  userAgent: string;
}

const MOBILE_UA = /Android|iPhone|iPad|iPod|HarmonyOS|Mobile/i;

/** A phone (or tablet): touch as the main pointer or a mobile browser, and not a desktop-wide window. */
export function isPhoneDevice(h: DeviceHints): boolean {
  if (h.width >= 1024) return false;
  return h.coarsePointer || MOBILE_UA.test(h.userAgent) || h.maxTouchPoints > 0;
}

export function currentDeviceHints(): DeviceHints {
  if (typeof window === 'undefined') return { width: 0, coarsePointer: false, maxTouchPoints: 0, userAgent: '' };
  return {
    width: window.innerWidth,
    coarsePointer: typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches,
    maxTouchPoints: navigator.maxTouchPoints ?? 0,
    userAgent: navigator.userAgent ?? '',
  };
}
