// 飞书: its H5 JS-SDK is not on npm; it is loaded from Feishu's CDN by a <script> tag, only inside
// Feishu (the server's CSP allows that origin only for Feishu's user agent, see
// server/platform/security-headers.ts). h5sdk.config with the server's signature; position by
// tt.getLocation as gcj02; scan by tt.scanCode. Photos through the file input (tt.chooseImage gives
// local paths, not bytes).
import { configFor, within, type BridgeEnv } from './config';
import { pickImages } from './browser';
import { BridgeError, type Bridge, type PositionPayload } from './types';

/** Must match LARK_H5SDK_ORIGIN in server/platform/security-headers.ts. */
export const LARK_H5SDK_URL = 'https://lf1-cdn-tos.bytegoofy.com/goofy/lark/op/h5-js-sdk-1.5.23.js';
const JS_API_LIST = ['getLocation', 'scanCode'];

interface TtResult {
  errMsg?: string;
  errCode?: number;
}
interface TtCall<P, R> {
  (opts: P & { success(res: R): void; fail(res: TtResult): void }): void;
}
interface LarkGlobals {
  h5sdk?: {
    config(opts: { appId: string; timestamp: number; nonceStr: string; signature: string; jsApiList: string[]; onSuccess(): void; onFail(err: unknown): void }): void;
    ready(cb: () => void): void;
    error(cb: (err: unknown) => void): void;
  };
  tt?: {
    getLocation: TtCall<{ type: 'gcj02' | 'wgs84' }, { latitude: number; longitude: number; accuracy: number }>;
    scanCode: TtCall<{ scanType: string[]; barCodeInput?: boolean }, { result: string }>;
  };
}

const globals = () => window as unknown as LarkGlobals;

export function loadScript(src: string): Promise<void> {
  const loaded = new Promise<void>((resolve, reject) => {
    const el = document.createElement('script');
    el.src = src;
    el.async = true;
    el.onload = () => resolve();
    el.onerror = () => reject(new BridgeError('飞书 JS-SDK 加载失败'));
    document.head.appendChild(el);
  });
  return within(loaded, '飞书 JS-SDK 加载超时');
}

export async function createLarkBridge(env: BridgeEnv): Promise<Bridge> {
  const [c] = await Promise.all([configFor(env, 'lark'), globals().h5sdk ? Promise.resolve() : loadScript(LARK_H5SDK_URL)]);
  const sdk = globals().h5sdk;
  if (!sdk) throw new BridgeError('飞书 JS-SDK 没有加载');
  await within(
    new Promise<void>((resolve, reject) => {
      sdk.error((err) => reject(new BridgeError(`飞书 JS-SDK 鉴权失败：${JSON.stringify(err)}`)));
      sdk.config({
        appId: c.appId, timestamp: c.timestamp, nonceStr: c.nonceStr, signature: c.signature, jsApiList: JS_API_LIST,
        onSuccess: () => resolve(),
        onFail: (err) => reject(new BridgeError(`飞书 JS-SDK 鉴权失败：${JSON.stringify(err)}`)),
      });
    }),
    '飞书 JS-SDK 鉴权超时',
  );
  return { platform: 'lark', getLocation: larkLocation, chooseImage: () => pickImages(), scanCode: larkScan };
}

function tt(): NonNullable<LarkGlobals['tt']> {
  const api = globals().tt;
  if (!api) throw new BridgeError('飞书 JS-SDK 不可用');
  return api;
}

function larkLocation(): Promise<PositionPayload> {
  return new Promise((resolve, reject) =>
    tt().getLocation({
      type: 'gcj02',
      success: (r) => resolve({ lat: r.latitude, lng: r.longitude, coordSystem: 'gcj02', accuracy: r.accuracy, source: 'lark', capturedAt: new Date().toISOString() }),
      fail: (e) => reject(failure(e, '定位')),
    }),
  );
}

function larkScan(): Promise<string> {
  return new Promise((resolve, reject) =>
    tt().scanCode({
      scanType: ['barCode', 'qrCode'],
      success: (r) => (r.result ? resolve(r.result) : reject(new BridgeError('没有识别到二维码或条形码，请重试'))),
      fail: (e) => reject(failure(e, '扫码')),
    }),
  );
}

function failure(e: TtResult, what: string): BridgeError {
  const msg = e?.errMsg ?? '';
  if (/cancel/i.test(msg)) return new BridgeError(`已取消${what}`, true);
  if (/auth|permission|denied/i.test(msg)) return new BridgeError(`飞书没有${what}权限：请在系统设置里允许飞书使用${what === '定位' ? '位置信息' : '相机'}后重试`, true);
  return new BridgeError(`飞书${what}失败，请重试（${msg}）`);
}
