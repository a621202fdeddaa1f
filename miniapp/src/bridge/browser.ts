// Outside the chat apps (and for photos inside them): the browser's own APIs. Position from
// navigator.geolocation (WGS-84, as browsers give it), photos from <input type=file capture>, codes
// with BarcodeDetector where the browser has it.
import { BridgeError, type Bridge, type PositionPayload } from './types';

/** A fresh fix (no cached position): the server refuses one captured over 60 s before sending. */
const GEO_OPTIONS: PositionOptions = { enableHighAccuracy: true, timeout: 15_000, maximumAge: 0 };

export function browserBridge(): Bridge {
  return { platform: 'browser', getLocation: browserLocation, chooseImage: pickImages, scanCode: scanFromPhoto };
}

export function browserLocation(): Promise<PositionPayload> {
  const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
  if (!geo) return Promise.reject(new BridgeError('这个浏览器不能定位，请在飞书、企业微信或钉钉里打开，或换用手机浏览器'));
  return new Promise((resolve, reject) => {
    geo.getCurrentPosition(
      (p) =>
        resolve({
          lat: p.coords.latitude,
          lng: p.coords.longitude,
          coordSystem: 'wgs84',
          accuracy: p.coords.accuracy,
          source: 'browser',
          capturedAt: new Date(p.timestamp || Date.now()).toISOString(),
        }),
      (e) => reject(geolocationError(e)),
      GEO_OPTIONS,
    );
  });
}

function geolocationError(e: GeolocationPositionError): BridgeError {
  if (e.code === 1) return new BridgeError('没有定位权限：请在系统设置里允许使用位置信息后重试', true);
  if (e.code === 3) return new BridgeError('定位超时，请到信号好的地方重试');
  return new BridgeError('暂时无法获取位置，请打开定位（GPS）后重试');
}

/**
 * Photos through a file input with the camera preferred. Every IM webview supports it, and it gives
 * the bytes themselves (the platforms' own image pickers hand back local ids or their CDN's URLs).
 * Resolves [] when the user cancels.
 */
export function pickImages(opts: { multiple?: boolean } = {}): Promise<File[]> {
  if (typeof document === 'undefined') return Promise.reject(new BridgeError('当前环境不能拍照或选图'));
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.setAttribute('capture', 'environment');
    input.multiple = !!opts.multiple;
    input.style.display = 'none';
    const done = (files: File[]) => {
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () => done(Array.from(input.files ?? [])));
    input.addEventListener('cancel', () => done([]));
    document.body.appendChild(input);
    input.click();
  });
}

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (opts?: { formats?: string[] }) => BarcodeDetectorLike;

/** Scan: a photo of the code, read by BarcodeDetector; without one, say what to do instead. */
export async function scanFromPhoto(): Promise<string> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  if (!Detector) throw new BridgeError('这个浏览器不能扫码：请在飞书、企业微信或钉钉里打开，或手动输入编码');
  const [photo] = await pickImages();
  if (!photo) throw new BridgeError('已取消扫码', true);
  const bitmap = await createImageBitmap(photo);
  const codes = await new Detector().detect(bitmap);
  const text = codes.find((c) => c.rawValue)?.rawValue;
  if (!text) throw new BridgeError('没有识别到二维码或条形码，请对准后重拍');
  return text;
}

