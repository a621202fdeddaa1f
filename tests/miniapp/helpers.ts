// Shared setup for the mini-app component tests (no server, no database: fetch is a vi.fn).
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { vi, type Mock } from 'vitest';
import type { Plugin } from 'vue';
import { createMemoryHistory, type Router } from 'vue-router';
import { createAppRouter } from '../../miniapp/src/router';
import { TOKEN_KEY, USER_KEY } from '../../miniapp/src/stores/auth';
import type { CurrentUser as User } from '../../shared/schemas/auth';
import { vantPlugin } from '../../miniapp/src/vant';

export const demoUser: User = {
  id: 'u-1',
  username: 'li.xs',
  name: '李晓霜',
  companyId: 'co-1',
  companyName: '云桥示范科技有限公司',
  departmentId: 'd-1',
  departmentName: '华东销售部',
  roles: ['销售'],
  permissions: ['customer:read'],
  dataScope: 'own',
};

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export type FetchMock = Mock<(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>>;

/** Stubs global fetch; `reply` picks the response per call. */
export function stubFetch(reply: (url: URL, init: RequestInit) => Response | Promise<Response>): FetchMock {
  const fn: FetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) =>
    reply(new URL(String(input), 'http://localhost'), init ?? {}),
  );
  vi.stubGlobal('fetch', fn);
  return fn;
}

export function callUrl(fetchMock: FetchMock, index = 0): URL {
  const call = fetchMock.mock.calls[index];
  if (!call) throw new Error(`fetch call #${index} not made`);
  return new URL(String(call[0]), 'http://localhost');
}

export function callHeaders(fetchMock: FetchMock, index = 0): Record<string, string> {
  return (fetchMock.mock.calls[index]?.[1]?.headers ?? {}) as Record<string, string>;
}

export function loginAs(user: User = demoUser, token = 'test-token'): void {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, JSON.stringify(user));
}

export interface TestApp {
  pinia: Pinia;
  router: Router;
  global: { plugins: Plugin[] };
}

/** Fresh pinia + in-memory router (same routes and guards as the app) at `path`. */
export async function createTestApp(path = '/'): Promise<TestApp> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createAppRouter(createMemoryHistory());
  await router.push(path);
  await router.isReady();
  return { pinia, router, global: { plugins: [pinia, router, vantPlugin] } };
}

/** Vant's placeholders (fixed nav bar, tabbar) re-measure at 100/200/300 ms after mounting. */
export function vantTimersDone(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 350));
}
