// @vitest-environment happy-dom
// The platform bridge: the implementation is chosen by user agent (WeCom / DingTalk / Feishu / a
// plain browser), each asks the server to sign the URL its client verifies (the entry URL on iOS
// WeCom, the current one elsewhere), configures its SDK with the answer, and reports positions in
// its coordinate system. The SDKs are replaced by recording fakes; setBridge() injects a fake bridge.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JssdkConfig } from '../../shared/schemas/jssdk';

const ww = vi.hoisted(() => {
  const state: { options?: Record<string, any>; signed: unknown[] } = { signed: [] };
  return {
    state,
    LocationType: { wgs84: 'wgs84', gcj02: 'gcj02' },
    SizeType: { compressed: 'compressed', original: 'original' },
    SourceType: { camera: 'camera', album: 'album' },
    ScanQRCodeType: { qrCode: 'qrCode', barCode: 'barCode' },
    register: vi.fn((options: Record<string, any>) => void (state.options = options)),
    // as the SDK does: asks for both signatures for the current URL (without the fragment)
    ensureAgentConfigReady: vi.fn(async () => {
      const url = window.location.href.split('#')[0];
      state.signed.push(await state.options!.getConfigSignature(url), await state.options!.getAgentConfigSignature(url));
    }),
    getLocation: vi.fn(async (_p: unknown) => ({ errMsg: 'getLocation:ok', latitude: 30.2741, longitude: 120.1551, accuracy: 30, speed: 0 })),
    scanQRCode: vi.fn(async () => ({ errMsg: 'scanQRCode:ok', resultStr: 'EAN_13,6901234567892' })),
  };
});
vi.mock('@wecom/jssdk', () => ww);

const dd = vi.hoisted(() => {
  const state: { config?: Record<string, unknown>; ready?: () => void } = {};
  return {
    state,
    default: {
      config: vi.fn((c: Record<string, unknown>) => {
        state.config = c;
        setTimeout(() => state.ready?.(), 0);
      }),
      ready: vi.fn((cb: () => void) => void (state.ready = cb)),
      error: vi.fn(),
    },
    geolocation: vi.fn(async (_p: unknown) => ({ latitude: 30.2766, longitude: 120.1602, accuracy: 15 })),
  };
});
vi.mock('dingtalk-jsapi/entry/union', () => ({ default: dd.default }));
vi.mock('dingtalk-jsapi/api/device/geolocation/get', () => ({ default: dd.geolocation }));
vi.mock('dingtalk-jsapi/api/biz/util/scan', () => ({ default: vi.fn(async () => ({ text: 'QR-1' })) }));

import { createBridge, getBridge, setBridge, type Bridge, type BridgeEnv } from '../../miniapp/src/bridge';
import { detectPlatform, signatureUrl } from '../../miniapp/src/bridge/detect';
import { scanFromPhoto } from '../../miniapp/src/bridge/browser';
import { within } from '../../miniapp/src/bridge/config';
import { entryUrl, rememberEntryUrl, resetEntryUrl } from '../../miniapp/src/bridge/entry-url';
import { stripSymbology } from '../../miniapp/src/bridge/wecom';

const UA = {
  iosWecom: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh',
  androidWecom: 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 wxwork/4.1.20 MicroMessenger/7.0.1 NetType/WIFI Language/zh',
  dingtalk: 'Mozilla/5.0 (Linux; U; Android 13; zh-CN; V2024A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0 Mobile Safari/537.36 AliApp(DingTalk/7.6.10) com.alibaba.android.rimet/36011 Channel/700159 language/zh-CN',
  feishu: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Lark/7.20.0 LarkLocale/zh_CN ChannelName/Feishu',
  chrome: 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36',
};
const ENTRY = 'https://yq.example/m/?code=oc-1&state=wecom';
const NOW = 'https://yq.example/m/#/visits/today';

const signed = { timestamp: 1765000000, nonceStr: 'n0nce', signature: 'sig' };
type WecomConfig = Extract<JssdkConfig, { platform: 'wecom' }>;
const WECOM: WecomConfig = { platform: 'wecom', url: '', corpId: 'ww1', agentId: '1000002', config: { ...signed, signature: 'corp-sig' }, agentConfig: { ...signed, signature: 'agent-sig' } };
const CONFIGS: Record<string, JssdkConfig> = {
  wecom: WECOM,
  dingtalk: { platform: 'dingtalk', url: '', corpId: 'ding1', agentId: '3001', timeStamp: 1765000000, nonceStr: 'n0nce', signature: 'dd-sig' },
  lark: { platform: 'lark', url: '', appId: 'cli_1', timestamp: 1765000000123, nonceStr: 'n0nce', signature: 'lark-sig' },
};

function env(ua: string, over: Partial<BridgeEnv> = {}): BridgeEnv & { fetchConfig: ReturnType<typeof vi.fn> } {
  const fetchConfig = vi.fn(async (platform: string, url: string) => ({ ...CONFIGS[platform]!, url }));
  return { ua, href: () => NOW, entryHref: ENTRY, fetchConfig, ...over } as BridgeEnv & { fetchConfig: ReturnType<typeof vi.fn> };
}

beforeEach(() => {
  window.history.replaceState(null, '', '/m/#/visits/today');
  ww.state.signed.length = 0;
  vi.clearAllMocks();
});
afterEach(() => setBridge(undefined));

describe('按 UA 选实现', () => {
  it.each([
    [UA.iosWecom, 'wecom'],
    [UA.androidWecom, 'wecom'],
    [UA.dingtalk, 'dingtalk'],
    [UA.feishu, 'lark'],
    [UA.chrome, 'browser'],
  ])('%s → %s', (ua, platform) => expect(detectPlatform(ua)).toBe(platform));

  it('签名地址：iOS 企业微信用进入时的地址（含 ?code&state），其他用当前地址；都去掉 #', () => {
    expect(signatureUrl({ platform: 'wecom', ua: UA.iosWecom, href: NOW, entryHref: ENTRY })).toBe(ENTRY);
    expect(signatureUrl({ platform: 'wecom', ua: UA.androidWecom, href: NOW, entryHref: ENTRY })).toBe('https://yq.example/m/');
    expect(signatureUrl({ platform: 'dingtalk', ua: UA.dingtalk, href: NOW, entryHref: ENTRY })).toBe('https://yq.example/m/');
    expect(signatureUrl({ platform: 'wecom', ua: UA.iosWecom, href: NOW })).toBe('https://yq.example/m/');
  });
});

describe('企业微信', () => {
  it('iOS：向服务端要进入时地址的签名；config 与 agentConfig 用各自的签名；定位 WGS-84', async () => {
    const e = env(UA.iosWecom);
    const bridge = await createBridge(e);
    expect(bridge.platform).toBe('wecom');
    expect(e.fetchConfig).toHaveBeenCalledTimes(1); // the SDK's second ask is for the same URL
    expect(e.fetchConfig).toHaveBeenCalledWith('wecom', ENTRY);
    expect(ww.register).toHaveBeenCalledWith(expect.objectContaining({ corpId: 'ww1', agentId: '1000002', jsApiList: expect.arrayContaining(['getLocation', 'scanQRCode']) }));
    expect(ww.state.signed).toEqual([WECOM.config, WECOM.agentConfig]);
    const pos = await bridge.getLocation();
    expect(ww.getLocation).toHaveBeenCalledWith({ type: 'wgs84' });
    expect(pos).toMatchObject({ lat: 30.2741, lng: 120.1551, coordSystem: 'wgs84', accuracy: 30, source: 'wecom' });
    expect(Number.isNaN(Date.parse(pos.capturedAt))).toBe(false);
    expect(await bridge.scanCode()).toBe('6901234567892');
  });

  it('Android：签当前地址', async () => {
    const e = env(UA.androidWecom);
    await createBridge(e);
    expect(e.fetchConfig).toHaveBeenCalledWith('wecom', 'https://yq.example/m/');
  });

  it('扫码结果去掉码制前缀，二维码文本原样', () => {
    expect(stripSymbology('CODE_128,A-001')).toBe('A-001');
    expect(stripSymbology('https://yq.example/m/#/items/1')).toBe('https://yq.example/m/#/items/1');
  });
});

describe('钉钉', () => {
  it('dd.config 用服务端的签名；定位 coordinate: 1 → GCJ-02', async () => {
    const e = env(UA.dingtalk);
    const bridge = await createBridge(e);
    expect(bridge.platform).toBe('dingtalk');
    expect(e.fetchConfig).toHaveBeenCalledWith('dingtalk', 'https://yq.example/m/');
    expect(dd.state.config).toMatchObject({ agentId: '3001', corpId: 'ding1', timeStamp: 1765000000, nonceStr: 'n0nce', signature: 'dd-sig' });
    const pos = await bridge.getLocation();
    expect(dd.geolocation).toHaveBeenCalledWith(expect.objectContaining({ coordinate: 1, useCache: false }));
    expect(pos).toMatchObject({ lat: 30.2766, lng: 120.1602, coordSystem: 'gcj02', accuracy: 15, source: 'dingtalk' });
    expect(await bridge.scanCode()).toBe('QR-1');
  });
});

describe('飞书', () => {
  it('h5sdk.config 用服务端的签名（毫秒）；定位 gcj02', async () => {
    const config = vi.fn((o: { onSuccess(): void }) => o.onSuccess());
    const getLocation = vi.fn((o: { success(r: unknown): void }) => o.success({ latitude: 30.27, longitude: 120.16, accuracy: 20 }));
    Object.assign(window, { h5sdk: { config, ready: vi.fn(), error: vi.fn() }, tt: { getLocation, scanCode: vi.fn() } });
    try {
      const e = env(UA.feishu);
      const bridge = await createBridge(e);
      expect(bridge.platform).toBe('lark');
      expect(e.fetchConfig).toHaveBeenCalledWith('lark', 'https://yq.example/m/');
      expect(config).toHaveBeenCalledWith(expect.objectContaining({ appId: 'cli_1', timestamp: 1765000000123, nonceStr: 'n0nce', signature: 'lark-sig' }));
      expect(document.querySelector('script[src*="bytegoofy"]')).toBeNull(); // already there: not loaded again
      expect(await bridge.getLocation()).toMatchObject({ coordSystem: 'gcj02', source: 'lark', lat: 30.27, lng: 120.16 });
      expect(getLocation).toHaveBeenCalledWith(expect.objectContaining({ type: 'gcj02' }));
    } finally {
      delete (window as { h5sdk?: unknown }).h5sdk;
      delete (window as { tt?: unknown }).tt;
    }
  });
});

describe('浏览器', () => {
  it('普通浏览器：不向服务端要签名；定位 navigator.geolocation → WGS-84', async () => {
    const getCurrentPosition = vi.fn((ok: PositionCallback, _fail?: PositionErrorCallback, _opts?: PositionOptions) =>
      ok({ coords: { latitude: 30.1, longitude: 120.2, accuracy: 12 }, timestamp: Date.parse('2026-12-07T08:00:00Z') } as GeolocationPosition),
    );
    Object.defineProperty(navigator, 'geolocation', { value: { getCurrentPosition }, configurable: true });
    const e = env(UA.chrome);
    const bridge = await createBridge(e);
    expect(bridge.platform).toBe('browser');
    expect(e.fetchConfig).not.toHaveBeenCalled();
    expect(await bridge.getLocation()).toEqual({ lat: 30.1, lng: 120.2, coordSystem: 'wgs84', accuracy: 12, source: 'browser', capturedAt: '2026-12-07T08:00:00.000Z' });
    expect(getCurrentPosition.mock.calls[0]![2]).toMatchObject({ enableHighAccuracy: true, maximumAge: 0 });
  });

  it('定位被拒：中文说明', async () => {
    Object.defineProperty(navigator, 'geolocation', { value: { getCurrentPosition: (_ok: unknown, fail: PositionErrorCallback) => fail({ code: 1 } as GeolocationPositionError) }, configurable: true });
    const bridge = await createBridge(env(UA.chrome));
    await expect(bridge.getLocation()).rejects.toThrow('没有定位权限：请在系统设置里允许使用位置信息后重试');
  });

  it('没有 BarcodeDetector：扫码说明怎么办', async () => {
    await expect(scanFromPhoto()).rejects.toThrow('这个浏览器不能扫码：请在飞书、企业微信或钉钉里打开，或手动输入编码');
  });

  it('平台签名拿不到（服务端未配置）：退回浏览器的能力', async () => {
    const e = env(UA.androidWecom, { fetchConfig: vi.fn(async () => Promise.reject(new Error('企业微信未开启'))) });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const bridge = await createBridge(e);
    expect(bridge.platform).toBe('browser');
  });
});

it('setBridge() 注入假的实现，getBridge() 就用它', async () => {
  const fake: Bridge = {
    platform: 'wecom',
    getLocation: async () => ({ lat: 1, lng: 2, coordSystem: 'gcj02', accuracy: 5, source: 'wecom', capturedAt: '2026-12-07T08:00:00.000Z' }),
    chooseImage: async () => [],
    scanCode: async () => 'X',
  };
  setBridge(fake);
  expect(await getBridge()).toBe(fake);
  expect((await (await getBridge()).getLocation()).lat).toBe(1);
});

it('进入时的地址只记第一次（登录码去掉之前的那个）', () => {
  resetEntryUrl();
  rememberEntryUrl(ENTRY);
  rememberEntryUrl('https://yq.example/m/');
  expect(entryUrl()).toBe(ENTRY);
  resetEntryUrl();
});

it('平台 SDK 迟迟不回应：限时失败（随后退回浏览器的能力）', async () => {
  await expect(within(new Promise(() => {}), '钉钉 JS-API 鉴权超时', 10)).rejects.toThrow('钉钉 JS-API 鉴权超时');
  await expect(within(Promise.resolve(7), 'x', 10)).resolves.toBe(7);
});
