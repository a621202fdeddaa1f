// @vitest-environment happy-dom
// 免登 and binding: the OAuth redirect's ?code=…&state=<platform>, the login page's notice and the
// binding right after the password login, the bot's bind link, and the 绑定 page.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { closeToast } from 'vant';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { completePlatformLaunch, knownBindings } from '../../miniapp/src/launch';
import BindPage from '../../miniapp/src/pages/BindPage.vue';
import LoginPage from '../../miniapp/src/pages/LoginPage.vue';
import { PENDING_BIND_KEY, readPendingBind, savePendingBind } from '../../miniapp/src/platform';
import { TOKEN_KEY, useAuthStore } from '../../miniapp/src/stores/auth';
import { callHeaders, callUrl, createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone, type FetchMock } from './helpers';

// Fixed nav bars measure themselves for 300 ms after mounting (Vant): let that end before happy-dom goes.
afterAll(vantTimersDone);

const LAUNCH = 'https://yq.example.cn/m/?code=c-123&state=wecom#/stock/i-1';

function launchEnv(href = LAUNCH) {
  const replaceUrl = vi.fn<(url: string) => void>();
  return { env: { href, replaceUrl }, replaceUrl };
}

function bodyOf(fetchMock: FetchMock, index: number): unknown {
  return JSON.parse(String(fetchMock.mock.calls[index]![1]!.body));
}

async function fillAndSubmit(wrapper: ReturnType<typeof mount>, username: string, password: string) {
  await wrapper.find('input[name="username"]').setValue(username);
  await wrapper.find('input[name="password"]').setValue(password);
  await wrapper.find('form').trigger('submit');
  await flushPromises();
}

describe('免登：?code=…&state=<platform>', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => {
    closeToast(true);
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('no code in the URL: nothing happens', async () => {
    const fetchMock = stubFetch(() => jsonResponse(500, {}));
    const { env, replaceUrl } = launchEnv('https://yq.example.cn/m/#/stock/i-1');
    expect(await completePlatformLaunch(env)).toBe('none');
    expect(fetchMock).not.toHaveBeenCalled();
    expect(replaceUrl).not.toHaveBeenCalled();
  });

  it('a bound account: signs in, strips code/state from the address, keeps the route', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, { bound: true, token: 'jwt-wecom', user: demoUser }));
    const { env, replaceUrl } = launchEnv();
    expect(await completePlatformLaunch(env)).toBe('signedIn');

    expect(replaceUrl).toHaveBeenCalledWith('/m/#/stock/i-1');
    expect(callUrl(fetchMock).pathname).toBe('/api/v1/auth/platform/wecom');
    expect(bodyOf(fetchMock, 0)).toEqual({ code: 'c-123' });
    expect(callHeaders(fetchMock).Authorization).toBeUndefined();
    expect(localStorage.getItem(TOKEN_KEY)).toBe('jwt-wecom');
    expect(knownBindings()).toEqual(['wecom']);

    const app = await createTestApp('/stock/i-1'); // the router's first navigation, as in main.ts
    expect(app.router.currentRoute.value.fullPath).toBe('/stock/i-1');
  });

  it('an unbound account: login page with the notice; the password login binds, toasts 已绑定, goes on', async () => {
    const fetchMock = stubFetch((url) => {
      if (url.pathname === '/api/v1/auth/platform/wecom') {
        return jsonResponse(200, { bound: false, message: '你的企业微信账号还没有绑定云桥用户', bindToken: 'bt-wecom' });
      }
      if (url.pathname === '/api/v1/auth/login') return jsonResponse(200, { token: 'jwt-pw', user: demoUser });
      if (url.pathname === '/api/v1/auth/platform/wecom/bind') return jsonResponse(200, { platform: 'wecom', externalUserId: 'LiXiaoShuang' });
      return jsonResponse(404, {});
    });
    const { env, replaceUrl } = launchEnv();
    expect(await completePlatformLaunch(env)).toBe('unbound');
    expect(replaceUrl).toHaveBeenCalledWith('/m/#/stock/i-1');
    expect(readPendingBind()).toMatchObject({ platform: 'wecom', bindToken: 'bt-wecom' });
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();

    const app = await createTestApp('/stock/i-1');
    expect(app.router.currentRoute.value.fullPath).toBe('/login?redirect=/stock/i-1');
    const wrapper = mount(LoginPage, { global: app.global, attachTo: document.body });
    expect(wrapper.find('.login__bind-notice').text()).toBe('登录后将自动绑定你的企业微信账号');

    await fillAndSubmit(wrapper, 'li.xs', 'yunqiao123');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/stock/i-1'));
    expect(callUrl(fetchMock, 2).pathname).toBe('/api/v1/auth/platform/wecom/bind');
    expect(bodyOf(fetchMock, 2)).toEqual({ bindToken: 'bt-wecom' });
    expect(callHeaders(fetchMock, 2).Authorization).toBe('Bearer jwt-pw');
    await vi.waitFor(() => expect(document.body.textContent).toContain('已绑定企业微信账号'));
    expect(sessionStorage.getItem(PENDING_BIND_KEY)).toBeNull();
    wrapper.unmount();
  });

  it('a refused binding (taken by someone else): says why, drops the proof, the login stands', async () => {
    savePendingBind('lark', 'bt-lark');
    stubFetch((url) =>
      url.pathname === '/api/v1/auth/login'
        ? jsonResponse(200, { token: 'jwt-pw', user: demoUser })
        : jsonResponse(409, { error: { code: 'CONFLICT', message: '这个飞书账号已绑定到公司里的另一个用户，请联系管理员', details: null } }),
    );
    const app = await createTestApp('/login');
    const wrapper = mount(LoginPage, { global: app.global, attachTo: document.body });
    expect(wrapper.text()).toContain('登录后将自动绑定你的飞书账号');
    await fillAndSubmit(wrapper, 'li.xs', 'yunqiao123');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/'));
    await vi.waitFor(() => expect(document.body.textContent).toContain('绑定失败：这个飞书账号已绑定到公司里的另一个用户'));
    expect(readPendingBind()).toBeNull();
    expect(localStorage.getItem(TOKEN_KEY)).toBe('jwt-pw');
    wrapper.unmount();
  });

  it('an invalid code: a Chinese toast, still logged out', async () => {
    stubFetch(() => jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: '企业微信登录码无效或已过期，请重新打开应用', details: null } }));
    const { env } = launchEnv();
    expect(await completePlatformLaunch(env)).toBe('failed');
    await vi.waitFor(() => expect(document.body.textContent).toContain('企业微信登录码无效或已过期，请重新打开应用'));
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(readPendingBind()).toBeNull();
  });

  it('no network: says which sign-in failed', async () => {
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await completePlatformLaunch(launchEnv().env)).toBe('failed');
    await vi.waitFor(() => expect(document.body.textContent).toContain('企业微信登录失败：网络异常，请检查网络连接'));
  });

  it('already logged in: an unbound identity is bound to the current account; a bad code does not log out', async () => {
    loginAs(demoUser, 'jwt-old');
    setActivePinia(createPinia());
    const fetchMock = stubFetch((url) =>
      url.pathname.endsWith('/bind')
        ? jsonResponse(200, { platform: 'dingtalk', externalUserId: 'ding-li' })
        : jsonResponse(200, { bound: false, message: '未绑定', bindToken: 'bt-ding' }),
    );
    const { env } = launchEnv('https://yq.example.cn/m/?state=dingtalk&code=d-1#/');
    expect(await completePlatformLaunch(env)).toBe('bound');
    expect(callHeaders(fetchMock, 0).Authorization).toBeUndefined();
    expect(callHeaders(fetchMock, 1).Authorization).toBe('Bearer jwt-old');
    expect(bodyOf(fetchMock, 1)).toEqual({ bindToken: 'bt-ding' });

    stubFetch(() => jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: '钉钉登录码无效或已过期', details: null } }));
    expect(await completePlatformLaunch(launchEnv('https://yq.example.cn/m/?state=dingtalk&code=d-2#/').env)).toBe('failed');
    expect(useAuthStore().token).toBe('jwt-old');
    expect(localStorage.getItem(TOKEN_KEY)).toBe('jwt-old');
  });
});

describe('绑定链接与绑定页', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  afterEach(() => {
    closeToast(true);
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it("the bot's link /bind?platform=lark&bindToken=…: the proof is kept, the address loses it, login comes first", async () => {
    stubFetch(() => jsonResponse(500, {}));
    const app = await createTestApp('/bind?platform=lark&bindToken=bt-9');
    expect(app.router.currentRoute.value.fullPath).toBe('/login?redirect=/bind?platform=lark');
    expect(readPendingBind()).toMatchObject({ platform: 'lark', bindToken: 'bt-9' });
  });

  it('logged in with a pending proof: binds at once and says so', async () => {
    loginAs();
    savePendingBind('lark', 'bt-lark');
    const fetchMock = stubFetch(() => jsonResponse(200, { platform: 'lark', externalUserId: 'ou_li' }));
    const app = await createTestApp('/bind?platform=lark');
    const wrapper = mount(BindPage, { global: app.global, attachTo: document.body });
    await flushPromises();
    expect(callUrl(fetchMock).pathname).toBe('/api/v1/auth/platform/lark/bind');
    expect(bodyOf(fetchMock, 0)).toEqual({ bindToken: 'bt-lark' });
    expect(wrapper.text()).toContain('已绑定飞书账号');
    expect(wrapper.text()).toContain('ou_li');
    wrapper.unmount();
  });

  it('a failed binding: explains, and offers 重试 only while the proof may still work', async () => {
    loginAs();
    savePendingBind('wecom', 'bt-wecom');
    stubFetch(() => jsonResponse(503, { error: { code: 'BUSY', message: '系统繁忙，请稍后重试', details: null } }));
    const app = await createTestApp('/bind?platform=wecom');
    const wrapper = mount(BindPage, { global: app.global, attachTo: document.body });
    await flushPromises();
    expect(wrapper.text()).toContain('绑定没有完成');
    expect(wrapper.text()).toContain('重试');
    expect(readPendingBind()).not.toBeNull(); // a server hiccup keeps the proof
    wrapper.unmount();
  });

  it('logged in without a proof: tells the user to open the app from the platform workbench', async () => {
    loginAs();
    const fetchMock = stubFetch(() => jsonResponse(500, {}));
    const app = await createTestApp('/bind?platform=dingtalk');
    const wrapper = mount(BindPage, { global: app.global });
    await flushPromises();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('绑定钉钉账号');
    expect(wrapper.text()).toContain('钉钉的工作台中打开「云桥」应用');
    expect(wrapper.text()).toContain('李晓霜（li.xs）');
  });
});
