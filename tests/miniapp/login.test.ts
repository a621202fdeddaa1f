// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { closeToast } from 'vant';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import LoginPage from '../../miniapp/src/pages/LoginPage.vue';
import { TOKEN_KEY, USER_KEY, useAuthStore } from '../../miniapp/src/stores/auth';
import { callHeaders, callUrl, createTestApp, demoUser, jsonResponse, stubFetch } from './helpers';

async function fillAndSubmit(wrapper: ReturnType<typeof mount>, username: string, password: string) {
  await wrapper.find('input[name="username"]').setValue(username);
  await wrapper.find('input[name="password"]').setValue(password);
  await wrapper.find('form').trigger('submit');
  await flushPromises();
}

describe('miniapp 登录页', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    closeToast(true);
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('shows Chinese required-field messages and does not call the API', async () => {
    const fetchMock = stubFetch(() => jsonResponse(500, {}));
    const app = await createTestApp('/login');
    const wrapper = mount(LoginPage, { global: app.global });

    await wrapper.find('form').trigger('submit');
    await vi.waitFor(() => expect(wrapper.text()).toContain('请输入用户名'));
    expect(wrapper.text()).toContain('请输入密码');
    expect(fetchMock).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('演示账号 li.xs / yunqiao123');
  });

  it('posts the credentials, stores the token and goes to the redirect target', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, { token: 'jwt-abc', user: demoUser }));
    const app = await createTestApp('/customers');
    expect(app.router.currentRoute.value.name).toBe('login'); // guard sent us to login
    const wrapper = mount(LoginPage, { global: app.global });

    await fillAndSubmit(wrapper, ' li.xs ', 'yunqiao123');
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));

    expect(callUrl(fetchMock).pathname).toBe('/api/v1/auth/login');
    const init = fetchMock.mock.calls[0]![1]!;
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ username: 'li.xs', password: 'yunqiao123' });
    expect(callHeaders(fetchMock)['Content-Type']).toBe('application/json');
    expect(callHeaders(fetchMock).Authorization).toBeUndefined();

    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/customers'));
    expect(localStorage.getItem(TOKEN_KEY)).toBe('jwt-abc');
    expect(JSON.parse(localStorage.getItem(USER_KEY)!)).toMatchObject({ name: '李晓霜' });
    expect(useAuthStore(app.pinia).user?.companyName).toBe('云桥示范科技有限公司');
  });

  it('shows the server message on a wrong password and stays logged out', async () => {
    stubFetch(() =>
      jsonResponse(401, { error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误', details: null } }),
    );
    const app = await createTestApp('/login');
    const wrapper = mount(LoginPage, { global: app.global });

    await fillAndSubmit(wrapper, 'li.xs', 'wrong');
    await vi.waitFor(() => expect(document.body.textContent).toContain('用户名或密码错误'));
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(app.router.currentRoute.value.name).toBe('login');
  });
});
