// The phone's abilities the pages use (position, camera, scanner), the same on every client: inside
// Feishu / WeCom / DingTalk through the platform's JS-SDK, elsewhere through the browser's APIs.

export type BridgePlatform = 'browser' | 'lark' | 'wecom' | 'dingtalk';

/**
 * A position as captured on the phone. The server converts coordinates to GCJ-02 and checks
 * freshness from capturedAt / sentAt (both from the phone's clock, so its skew cancels).
 * (The visits API defines the same shape in shared/schemas; the two are to be unified.)
 */
export interface PositionPayload {
  lat: number;
  lng: number;
  /** browsers and WeCom by default give WGS-84; DingTalk (coordinate: 1) and Feishu (gcj02) GCJ-02 */
  coordSystem: 'wgs84' | 'gcj02' | 'bd09';
  /** metres */
  accuracy: number;
  source: BridgePlatform;
  /** when the fix was taken (ISO) */
  capturedAt: string;
  /** when the phone sent it (ISO), set by the caller just before posting */
  sentAt?: string;
}

export interface Bridge {
  readonly platform: BridgePlatform;
  getLocation(): Promise<PositionPayload>;
  /** photos as bytes, ready for POST /api/v1/attachments; [] when the user cancels */
  chooseImage(): Promise<Array<File | Blob>>;
  /** the scanned text (QR or barcode) */
  scanCode(): Promise<string>;
}

/** A failure the page can show as is (Chinese, says what to do). */
export class BridgeError extends Error {
  constructor(
    message: string,
    /** the user said no (permission denied, cancelled): not worth retrying at once */
    readonly denied = false,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}
