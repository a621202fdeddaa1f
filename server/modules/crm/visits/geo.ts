// Positions for check-in: coordinate systems, distance, freshness. Pure functions (unit-tested).
import gcoordModule from 'gcoord';
import type { CoordSystem } from '../../../../shared/enums.ts';

// gcoord's CommonJS build makes module.exports the API itself, while its types call it `default`.
const gcoord = ('default' in gcoordModule ? gcoordModule.default : gcoordModule) as typeof gcoordModule.default;

export interface LatLng {
  lat: number;
  lng: number;
}

const CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** A point in another coordinate system (gcoord takes and returns [lng, lat]). */
export function convert(p: LatLng, from: CoordSystem, to: CoordSystem): LatLng {
  if (from === to) return { lat: p.lat, lng: p.lng };
  const [lng, lat] = gcoord.transform([p.lng, p.lat], CRS[from], CRS[to]);
  return { lat, lng };
}

/**
 * The position in both systems we keep: WGS-84 (what GPS and browsers give) and GCJ-02 (what
 * Chinese maps and our customer pins use).
 */
export function toWgsAndGcj(p: LatLng, system: CoordSystem): { wgs84: LatLng; gcj02: LatLng } {
  return { wgs84: convert(p, system, 'wgs84'), gcj02: convert(p, system, 'gcj02') };
}

const EARTH_RADIUS_METERS = 6_371_008.8; // IUGG mean radius

/**
 * Great-circle distance in metres (haversine) between two points of the same coordinate system.
 * GCJ-02's offset is locally almost constant, so two GCJ-02 points give the true distance to well
 * within a metre over a few kilometres.
 */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** How old a fix may be when the phone sends it. */
export const MAX_POSITION_AGE_MS = 60_000;
/** A fix stamped a little after the send (timer resolution, a late timestamp) is still the same clock. */
const FUTURE_SLACK_MS = 5_000;

/**
 * Why a position cannot be used, or null: both times come from the phone's clock, so their
 * difference does not depend on how wrong that clock is.
 */
export function positionAgeProblem(capturedAt: Date, sentAt: Date): string | null {
  const age = sentAt.getTime() - capturedAt.getTime();
  if (age > MAX_POSITION_AGE_MS) return `定位是 ${Math.round(age / 1000)} 秒前取得的，超过 ${MAX_POSITION_AGE_MS / 1000} 秒，请重新定位后签到`;
  if (age < -FUTURE_SLACK_MS) return '定位时间晚于发送时间，请重新定位后签到';
  return null;
}

/** Distance to the customer's pin and whether it is beyond the company's radius; unknown without a pin. */
export function distanceCheck(position: LatLng, pin: LatLng | null, radiusMeters: number): { distanceMeters: number | null; warning: boolean } {
  if (!pin) return { distanceMeters: null, warning: false };
  const distanceMeters = Math.round(haversineMeters(position, pin));
  return { distanceMeters, warning: distanceMeters > radiusMeters };
}
