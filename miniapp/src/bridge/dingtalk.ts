// 钉钉: dingtalk-jsapi (loaded only inside DingTalk), only the APIs used (modular imports keep the
// chunk small). dd.config with the server's signature; position by device.geolocation.get with
// coordinate: 1 (高德 = GCJ-02); scan by biz.util.scan. Photos through the file input: DingTalk's
// image APIs upload to its own CDN and hand back its URLs, not the bytes our attachments check.
import dd from 'dingtalk-jsapi/entry/union';
import geolocationGet from 'dingtalk-jsapi/api/device/geolocation/get';
import scan from 'dingtalk-jsapi/api/biz/util/scan';
import { configFor, within, type BridgeEnv } from './config';
import { pickImages } from './browser';
import { BridgeError, type Bridge, type PositionPayload } from './types';

const JS_API_LIST = ['device.geolocation.get', 'biz.util.scan'];

export async function createDingTalkBridge(env: BridgeEnv): Promise<Bridge> {
  const c = await configFor(env, 'dingtalk');
  await within(
    new Promise<void>((resolve, reject) => {
      dd.ready(() => resolve());
      dd.error((err: unknown) => reject(new BridgeError(`钉钉 JS-API 鉴权失败：${JSON.stringify(err)}`)));
      dd.config({ agentId: c.agentId, corpId: c.corpId, timeStamp: c.timeStamp, nonceStr: c.nonceStr, signature: c.signature, type: 0, jsApiList: JS_API_LIST });
    }),
    '钉钉 JS-API 鉴权超时',
  );
  return { platform: 'dingtalk', getLocation: dingTalkLocation, chooseImage: () => pickImages(), scanCode: dingTalkScan };
}

async function dingTalkLocation(): Promise<PositionPayload> {
  try {
    const res = await geolocationGet({ targetAccuracy: 50, coordinate: 1, withReGeocode: false, useCache: false });
    // Android 2.1 and older nest the answer one level deeper
    const r = (res as { location?: typeof res }).location ?? res;
    return { lat: r.latitude, lng: r.longitude, coordSystem: 'gcj02', accuracy: r.accuracy, source: 'dingtalk', capturedAt: new Date().toISOString() };
  } catch (e) {
    throw failure(e, '定位');
  }
}

async function dingTalkScan(): Promise<string> {
  let res: { text?: string };
  try {
    res = (await scan({ type: 'all' })) as { text?: string };
  } catch (e) {
    throw failure(e, '扫码');
  }
  if (!res.text) throw new BridgeError('没有识别到二维码或条形码，请重试');
  return res.text;
}

function failure(e: unknown, what: string): BridgeError {
  const info = e as { errorCode?: number | string; errorMessage?: string } | undefined;
  const msg = info?.errorMessage ?? (e instanceof Error ? e.message : String(e));
  // errorCode 3 / "用户取消" = the user closed it; 7 / 权限 = no permission
  if (String(info?.errorCode) === '3' || /取消|cancel/i.test(msg)) return new BridgeError(`已取消${what}`, true);
  if (String(info?.errorCode) === '7' || /权限|permission|denied/i.test(msg)) return new BridgeError(`钉钉没有${what}权限：请在系统设置里允许钉钉使用${what === '定位' ? '位置信息' : '相机'}后重试`, true);
  return new BridgeError(`钉钉${what}失败，请重试（${msg}）`);
}
