// 企业微信: @wecom/jssdk (loaded only inside WeCom). ww.register takes both signatures from the
// server — config (企业 jsapi_ticket) and agentConfig (应用 jsapi_ticket) — for the URL this client
// verifies (detect.ts: the entry URL on iOS). Position: getLocation as WGS-84 (WeCom's default).
// Photos: on iOS chooseImage + getLocalImgData give the bytes; elsewhere WeCom offers only local ids
// (usable as <img src>, not as bytes), so the file input is used. Scan: scanQRCode with needResult.
import * as ww from '@wecom/jssdk';
import { configFor, within, type BridgeEnv } from './config';
import { pickImages } from './browser';
import { isIOS, signatureUrl } from './detect';
import { BridgeError, type Bridge, type PositionPayload } from './types';

const JS_API_LIST = ['getLocation', 'chooseImage', 'getLocalImgData', 'scanQRCode'];

export async function createWecomBridge(env: BridgeEnv): Promise<Bridge> {
  // one request per URL to be signed (the SDK asks for config and agentConfig, and again when the
  // page URL changes; on iOS both map to the entry URL)
  const signed = new Map<string, ReturnType<typeof configFor<'wecom'>>>();
  const configOf = (href: string) => {
    const key = signatureUrl({ platform: 'wecom', ua: env.ua, href, entryHref: env.entryHref });
    let p = signed.get(key);
    if (!p) signed.set(key, (p = configFor(env, 'wecom', href)));
    return p;
  };
  const first = await configOf(env.href());
  ww.register({
    corpId: first.corpId,
    agentId: first.agentId,
    jsApiList: JS_API_LIST,
    getConfigSignature: async (url) => (await configOf(url)).config,
    getAgentConfigSignature: async (url) => (await configOf(url)).agentConfig,
  });
  await within(ww.ensureAgentConfigReady(), '企业微信 JS-SDK 鉴权超时');
  const ios = isIOS(env.ua);
  return {
    platform: 'wecom',
    getLocation: () => wecomLocation(),
    chooseImage: () => (ios ? wecomImages() : pickImages()),
    scanCode: () => wecomScan(),
  };
}

async function wecomLocation(): Promise<PositionPayload> {
  try {
    const res = await ww.getLocation({ type: ww.LocationType.wgs84 });
    return { lat: res.latitude, lng: res.longitude, coordSystem: 'wgs84', accuracy: res.accuracy, source: 'wecom', capturedAt: new Date().toISOString() };
  } catch (e) {
    throw failure(e, '定位');
  }
}

async function wecomImages(): Promise<Blob[]> {
  let localIds: string[];
  try {
    ({ localIds } = await ww.chooseImage({ count: 1, sizeType: [ww.SizeType.compressed], sourceType: [ww.SourceType.camera, ww.SourceType.album] }));
  } catch (e) {
    if (cancelled(e)) return [];
    throw failure(e, '拍照');
  }
  const blobs: Blob[] = [];
  for (const localId of localIds) {
    const { localData } = await ww.getLocalImgData({ localId });
    blobs.push(base64Image(localData));
  }
  return blobs;
}

async function wecomScan(): Promise<string> {
  try {
    const { resultStr } = await ww.scanQRCode({ needResult: true, scanType: [ww.ScanQRCodeType.qrCode, ww.ScanQRCodeType.barCode] });
    if (!resultStr) throw new BridgeError('没有识别到二维码或条形码，请重试');
    return stripSymbology(resultStr);
  } catch (e) {
    if (e instanceof BridgeError) throw e;
    throw failure(e, '扫码');
  }
}

/** A barcode comes back as "EAN_13,6901234567892" (the symbology first). */
export function stripSymbology(result: string): string {
  return result.replace(/^(EAN_13|EAN_8|UPC_A|UPC_E|CODE_39|CODE_93|CODE_128|ITF|CODABAR|QR_CODE|DATA_MATRIX|PDF_417),/, '');
}

/** getLocalImgData: base64, with a data: prefix on iOS ("data:image/jpeg;base64,…"). */
export function base64Image(data: string): Blob {
  const m = /^data:([^;,]+)?(?:;base64)?,/.exec(data);
  const type = m?.[1] ?? 'image/jpeg';
  const bin = atob(m ? data.slice(m[0].length) : data);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

function errMsg(e: unknown): string {
  return (e as { errMsg?: string } | undefined)?.errMsg ?? (e instanceof Error ? e.message : String(e));
}

function cancelled(e: unknown): boolean {
  return /cancel/i.test(errMsg(e));
}

function failure(e: unknown, what: string): BridgeError {
  const msg = errMsg(e);
  if (cancelled(e)) return new BridgeError(`已取消${what}`, true);
  if (/auth deny|permission|denied|no permission/i.test(msg)) return new BridgeError(`企业微信没有${what}权限：请在系统设置里允许企业微信使用${what === '定位' ? '位置信息' : '相机'}后重试`, true);
  return new BridgeError(`企业微信${what}失败，请重试（${msg}）`);
}
