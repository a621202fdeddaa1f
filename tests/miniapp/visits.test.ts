// @vitest-environment happy-dom
// 拜访 pages: today's plan, check-in with the position from the platform bridge (the browser's
// geolocation outside the chat apps, the platform's fix inside them; payload as the API takes it), the
// PC notice instead of a check-in button, moving the customer's opportunity from the record, the photo
// resize size, and the position composable.
import { flushPromises, mount } from '@vue/test-utils';
import { closeToast } from 'vant';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import VisitPage from '../../miniapp/src/pages/VisitPage.vue';
import VisitTodayPage from '../../miniapp/src/pages/VisitTodayPage.vue';
import { BridgeError, setBridge, type Bridge } from '../../miniapp/src/bridge';
import { POSITION_FAILED, usePosition } from '../../miniapp/src/composables/usePosition';
import { isPhoneDevice } from '../../miniapp/src/utils/device';
import { fitWithin } from '../../miniapp/src/utils/photo';
import { distanceText } from '../../miniapp/src/utils/visits';
import type { Visit } from '../../shared/schemas/visits';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const salesperson = { ...demoUser, permissions: ['customer:read', 'visit:read', 'visit:write'] };

function visit(extra: Partial<Visit> = {}): Visit {
  return {
    id: 'v-1', state: 'planned', stateLabel: '计划中', closeReason: null, salesperson: { id: 'u-1', name: '李晓霜' },
    customer: { id: 'c-1', code: 'C0002', name: '宁波北仑港城汽车零部件有限公司', address: '浙江省宁波市北仑区大碶街道庐山西路66号', latitude: '29.876412', longitude: '121.795306' },
    plannedAt: '2026-12-07T15:00:00.000+08:00', purpose: '回访报价', checkIn: null, notes: null, nextStep: null, opportunityId: null, opportunityStage: null,
    checkOut: null, photos: [], createdAt: '2026-12-07T09:00:00.000+08:00', updatedAt: '2026-12-07T09:00:00.000+08:00', version: 1, ...extra,
  };
}

const checkIn = (over: Partial<NonNullable<Visit['checkIn']>> = {}): NonNullable<Visit['checkIn']> => ({
  at: '2026-12-07T15:02:11.000+08:00', capturedAt: '2026-12-07T15:02:08.000+08:00', sentAt: '2026-12-07T15:02:10.000+08:00',
  source: 'browser', sourceLabel: '浏览器', coordSystem: 'wgs84', accuracy: '15.0',
  wgs84: { lat: '29.8788870', lng: '121.7910894' }, gcj02: { lat: '29.8764120', lng: '121.7953060' },
  distanceMeters: 0, radiusMeters: 500, distanceWarning: false, pinProposed: false, pinAppliedAt: null, ...over,
});

function phone(): void {
  Object.defineProperty(window, 'innerWidth', { configurable: true, value: 375 });
  Object.defineProperty(navigator, 'maxTouchPoints', { configurable: true, value: 5 });
}
function desktop(): void {
  Object.defineProperty(window, 'innerWidth', { configurable: true, value: 1280 });
  Object.defineProperty(navigator, 'maxTouchPoints', { configurable: true, value: 0 });
}

function stubGeolocation(coords: { latitude: number; longitude: number; accuracy: number }, timestamp: number) {
  const getCurrentPosition = vi.fn((ok: PositionCallback, _fail?: PositionErrorCallback, _options?: PositionOptions) => ok({ coords, timestamp } as GeolocationPosition));
  Object.defineProperty(navigator, 'geolocation', { configurable: true, value: { getCurrentPosition } });
  return getCurrentPosition;
}

describe('miniapp 拜访', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs(salesperson);
  });
  afterEach(() => {
    closeToast(true); // toasts are singletons: the next test gets a fresh one in the body
    vi.unstubAllGlobals();
    setBridge(undefined);
    document.body.innerHTML = '';
  });

  it('今日拜访 lists the plan with its state and distance', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, [visit(), visit({ id: 'v-2', state: 'done', stateLabel: '已完成', checkIn: checkIn({ distanceMeters: 2002, distanceWarning: true }) })]));
    const app = await createTestApp('/visits/today');
    const wrapper = mount(VisitTodayPage, { global: app.global });
    await flushPromises();
    expect(new URL(String(fetchMock.mock.calls[0]![0]), 'http://x').pathname).toBe('/api/v1/visits/today');
    const rows = wrapper.findAll('[data-visit]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('15:00');
    expect(rows[0]!.text()).toContain('宁波北仑港城汽车零部件有限公司');
    expect(rows[0]!.text()).toContain('计划中');
    expect(rows[1]!.text()).toContain('距客户 2.0 公里（超出 500 米）');
    expect(wrapper.find('[data-test="plan-visit"]').exists()).toBe(true);
  });

  it('签到 on a phone sends the browser position (WGS-84, source browser, both phone times) and shows the server distance', async () => {
    phone();
    const taken = Date.now() - 3_000;
    const geo = stubGeolocation({ latitude: 29.878887, longitude: 121.7910894, accuracy: 15 }, taken);
    let posted: { position: Record<string, unknown> } | undefined;
    stubFetch((url, init) => {
      if (url.pathname.endsWith('/check-in')) {
        posted = JSON.parse(String(init.body));
        return jsonResponse(200, visit({ state: 'inProgress', stateLabel: '拜访中', checkIn: checkIn() }));
      }
      return jsonResponse(200, visit());
    });
    const app = await createTestApp('/visits/v-1');
    const wrapper = mount(VisitPage, { props: { id: 'v-1' }, global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="phone-only"]').exists()).toBe(false);
    await wrapper.find('[data-test="check-in-button"]').trigger('click');
    await vi.waitFor(() => expect(posted).toBeDefined()); // the browser bridge loads on first use
    await flushPromises();
    expect(geo).toHaveBeenCalledOnce();
    expect(geo.mock.calls[0]![2]).toMatchObject({ enableHighAccuracy: true, maximumAge: 0 });
    expect(posted!.position).toMatchObject({ lat: 29.878887, lng: 121.7910894, coordSystem: 'wgs84', accuracy: 15, source: 'browser', capturedAt: new Date(taken).toISOString() });
    const sentAt = Date.parse(String(posted!.position.sentAt));
    expect(sentAt).toBeGreaterThanOrEqual(taken);
    expect(wrapper.find('[data-test="distance"]').text()).toBe('距客户 0 米');
    expect(wrapper.find('[data-test="photo-input"]').attributes()).toMatchObject({ accept: 'image/*', capture: 'environment' });
  });

  it('签到 inside a chat app sends the platform bridge\'s fix (its coordinate system and source), not the browser\'s', async () => {
    phone();
    const geo = stubGeolocation({ latitude: 1, longitude: 1, accuracy: 1 }, Date.now());
    const taken = new Date(Date.now() - 2_000).toISOString();
    const fake: Bridge = {
      platform: 'lark',
      getLocation: vi.fn(async () => ({ lat: 29.876412, lng: 121.795306, coordSystem: 'gcj02' as const, accuracy: 12.34, source: 'lark' as const, capturedAt: taken })),
      chooseImage: vi.fn(async () => []),
      scanCode: vi.fn(async () => ''),
    };
    setBridge(fake);
    let posted: { position: Record<string, unknown> } | undefined;
    stubFetch((url, init) => {
      if (url.pathname.endsWith('/check-in')) {
        posted = JSON.parse(String(init.body));
        return jsonResponse(200, visit({ state: 'inProgress', stateLabel: '拜访中', checkIn: checkIn({ source: 'lark', sourceLabel: '飞书', coordSystem: 'gcj02' }) }));
      }
      return jsonResponse(200, visit());
    });
    const app = await createTestApp('/visits/v-1');
    const wrapper = mount(VisitPage, { props: { id: 'v-1' }, global: app.global });
    await flushPromises();
    await wrapper.find('[data-test="check-in-button"]').trigger('click');
    await vi.waitFor(() => expect(posted).toBeDefined());
    expect(fake.getLocation).toHaveBeenCalledOnce();
    expect(geo).not.toHaveBeenCalled();
    expect(posted!.position).toMatchObject({ lat: 29.876412, lng: 121.795306, coordSystem: 'gcj02', accuracy: 12.3, source: 'lark', capturedAt: taken });
    expect(Date.parse(String(posted!.position.sentAt))).toBeGreaterThanOrEqual(Date.parse(taken));
  });

  it('推进商机: the customer\'s open opportunities and the open stages are offered; 保存记录 sends them with the notes', async () => {
    phone();
    loginAs({ ...salesperson, permissions: [...salesperson.permissions, 'opportunity:read'] });
    const stage = (id: string, name: string, sort: number) => ({ id, name, probability: String(sort / 10), kind: 'open' as const, sort, active: true });
    const opportunity = { id: 'o-1', title: '港城汽车 M8 框架采购', stage: stage('s-1', '初步接洽', 1), customer: { id: 'c-1', name: '港城' } };
    let listed: URLSearchParams | undefined;
    let patched: unknown;
    stubFetch((url, init) => {
      if (url.pathname === '/api/v1/opportunities') {
        listed = url.searchParams;
        return jsonResponse(200, { items: [opportunity], total: 1, page: 1, pageSize: 50 });
      }
      if (url.pathname === '/api/v1/opportunity-stages') return jsonResponse(200, [stage('s-1', '初步接洽', 1), stage('s-3', '报价', 3), { ...stage('s-9', '赢单', 9), kind: 'won' }]);
      if (init.method === 'PATCH') {
        patched = JSON.parse(String(init.body));
        return jsonResponse(200, visit({ state: 'inProgress', stateLabel: '拜访中', checkIn: checkIn(), notes: '看样', opportunityId: 'o-1', opportunityStage: '报价', version: 3 }));
      }
      return jsonResponse(200, visit({ state: 'inProgress', stateLabel: '拜访中', checkIn: checkIn(), version: 2 }));
    });
    const app = await createTestApp('/visits/v-1');
    const wrapper = mount(VisitPage, { props: { id: 'v-1' }, global: app.global, attachTo: document.body });
    await flushPromises();
    expect([listed?.get('customerId'), listed?.get('kind')]).toEqual(['c-1', 'open']);
    await wrapper.find('[data-test="notes"] textarea').setValue('看样');
    await wrapper.find('[data-test="opportunity-field"]').trigger('click');
    await flushPromises();
    document.querySelector<HTMLButtonElement>('.van-action-sheet__item')!.click();
    await flushPromises();
    await wrapper.find('[data-test="stage-field"]').trigger('click');
    await flushPromises();
    // the stage it is at and the closing stages are not offered
    const offered = [...document.querySelectorAll('.van-action-sheet__item .van-action-sheet__name')].map((e) => e.textContent);
    expect(offered).toContain('报价');
    expect(offered).not.toContain('初步接洽');
    expect(offered).not.toContain('赢单');
    [...document.querySelectorAll<HTMLButtonElement>('.van-action-sheet__item')].find((e) => e.textContent?.startsWith('报价'))!.click();
    await flushPromises();
    await wrapper.findAll('button').find((b) => b.text() === '保存记录')!.trigger('click');
    await flushPromises();
    expect(patched).toEqual({ notes: '看样', nextStep: null, opportunityId: 'o-1', opportunityStage: '报价', version: 2 });
    expect(wrapper.find('[data-test="opportunity-stage"]').text()).toContain('报价');
    wrapper.unmount();
  });

  it('取消计划 asks for the reason and sends it', async () => {
    phone();
    let sent: unknown;
    stubFetch((url, init) => {
      if (url.pathname.endsWith('/cancel')) {
        sent = JSON.parse(String(init.body));
        return jsonResponse(200, visit({ state: 'cancelled', stateLabel: '已取消', closeReason: '客户出差' }));
      }
      return jsonResponse(200, visit());
    });
    const app = await createTestApp('/visits/v-1');
    const wrapper = mount(VisitPage, { props: { id: 'v-1' }, global: app.global, attachTo: document.body });
    await flushPromises();
    await wrapper.find('[data-test="cancel-button"]').trigger('click');
    await flushPromises();
    const reason = document.querySelector<HTMLTextAreaElement>('[data-test="cancel-sheet"] textarea')!;
    reason.value = '客户出差';
    reason.dispatchEvent(new Event('input'));
    document.querySelector<HTMLButtonElement>('[data-test="cancel-sheet"] .van-button--danger')!.click();
    await flushPromises();
    expect(sent).toEqual({ reason: '客户出差' });
    expect(wrapper.find('[data-test="visit-state"]').text()).toBe('已取消');
    wrapper.unmount();
  });

  it('on a PC the check-in page says it is meant for the phone (no check-in button)', async () => {
    desktop();
    stubFetch(() => jsonResponse(200, visit()));
    const app = await createTestApp('/visits/v-1');
    const wrapper = mount(VisitPage, { props: { id: 'v-1' }, global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="phone-only"]').text()).toContain('需要在手机上进行');
    expect(wrapper.find('[data-test="check-in-button"]').exists()).toBe(false);
  });

  it('a refused check-in shows the server message (e.g. a stale position)', async () => {
    phone();
    stubGeolocation({ latitude: 29.87, longitude: 121.79, accuracy: 20 }, Date.now());
    stubFetch((url) => url.pathname.endsWith('/check-in')
      ? jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '定位是 61 秒前取得的，超过 60 秒，请重新定位后签到' } })
      : jsonResponse(200, visit()));
    const app = await createTestApp('/visits/v-1');
    const wrapper = mount(VisitPage, { props: { id: 'v-1' }, global: app.global, attachTo: document.body });
    await flushPromises();
    await wrapper.find('[data-test="check-in-button"]').trigger('click');
    await vi.waitFor(() => expect(document.body.textContent).toContain('超过 60 秒'));
    wrapper.unmount();
  });
});

describe('拜访的纯函数', () => {
  it('照片缩放：长边不超过 1600，保持比例，不放大', () => {
    expect(fitWithin(4032, 3024)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(4000, 1000)).toEqual({ width: 1600, height: 400 });
    expect(fitWithin(1280, 720)).toEqual({ width: 1280, height: 720 });
    expect(fitWithin(1601, 1)).toEqual({ width: 1600, height: 1 });
    expect(fitWithin(0, 100)).toEqual({ width: 0, height: 0 });
  });

  it('手机判断：宽屏不算；触屏或手机浏览器算', () => {
    const ua = { desktop: 'Mozilla/5.0 (Windows NT 10.0) Chrome/120', iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148 wxwork/4.1' };
    expect(isPhoneDevice({ width: 390, coarsePointer: true, maxTouchPoints: 5, userAgent: ua.iphone })).toBe(true);
    expect(isPhoneDevice({ width: 400, coarsePointer: false, maxTouchPoints: 0, userAgent: ua.desktop })).toBe(false);
    expect(isPhoneDevice({ width: 1280, coarsePointer: true, maxTouchPoints: 10, userAgent: ua.desktop })).toBe(false);
  });

  it('距离文字', () => {
    expect(distanceText({ checkIn: null })).toBeNull();
    expect(distanceText({ checkIn: checkIn({ distanceMeters: 80 }) })).toBe('距客户 80 米');
    expect(distanceText({ checkIn: checkIn({ distanceMeters: null, pinProposed: true }) })).toBe('距离未知（客户还没有位置）');
  });

  it('定位失败的原因：the bridge\'s own words, or a general one', async () => {
    Object.defineProperty(navigator, 'geolocation', {
      configurable: true,
      value: { getCurrentPosition: (_ok: PositionCallback, fail: PositionErrorCallback) => fail({ code: 3 } as GeolocationPositionError) },
    });
    const { locate, error, locating } = usePosition();
    await expect(locate()).rejects.toThrow('定位超时'); // the browser bridge (happy-dom is no chat app)
    expect(error.value).toContain('定位超时');
    expect(locating.value).toBe(false);

    const fake = (getLocation: Bridge['getLocation']): Bridge => ({ platform: 'wecom', getLocation, chooseImage: async () => [], scanCode: async () => '' });
    setBridge(fake(async () => { throw new BridgeError('没有定位权限：请在企业微信里允许定位', true); }));
    await expect(locate()).rejects.toThrow('没有定位权限');
    expect(error.value).toBe('没有定位权限：请在企业微信里允许定位');
    setBridge(fake(async () => { throw new TypeError('sdk exploded'); }));
    await expect(locate()).rejects.toThrow(POSITION_FAILED);
    expect(error.value).toBe(POSITION_FAILED);
    setBridge(undefined);
  });
});
