// fetch wrapper: JSON in/out, Bearer token, Chinese error toasts, 401 → login.
import { showFailToast } from 'vant';
import { useAuthStore } from './stores/auth';
import type { ApiErrorBody, Customer, CustomerSummary, LoginResponse, Page } from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** don't toast the error message (the caller shows it) */
  silent?: boolean;
  signal?: AbortSignal;
}

const API_BASE: string = import.meta.env.VITE_API_BASE ?? '';

let unauthorizedHandler: () => void = () => {
  useAuthStore().logout();
};

/** What to do when a logged-in request gets 401 (main.ts: log out and go to /login). */
export function setUnauthorizedHandler(handler: () => void): void {
  unauthorizedHandler = handler;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? (path.includes('?') ? '&' : '?') + qs : ''}`;
}

async function parseBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function defaultMessage(status: number): string {
  if (status === 401) return '登录已过期，请重新登录';
  if (status === 403) return '没有权限执行此操作';
  if (status === 404) return '数据不存在或已被删除';
  if (status === 409) return '数据已被他人修改，请刷新后重试';
  if (status === 429) return '请求过于频繁，请稍后再试';
  if (status >= 500) return '服务器开小差了，请稍后再试';
  return `请求失败（${status}）`;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const auth = useAuthStore();
  const token = auth.token;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'),
      headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    const error = new ApiError(0, 'NETWORK_ERROR', '网络异常，请检查网络连接');
    if (!options.silent) showFailToast(error.message);
    throw error;
  }

  const data = await parseBody(res);
  if (res.ok) return data as T;

  const body = (data ?? {}) as ApiErrorBody;
  const error = new ApiError(
    res.status,
    body.error?.code ?? `HTTP_${res.status}`,
    body.error?.message || defaultMessage(res.status),
    body.error?.details,
  );
  // 401 without a token (e.g. wrong password at login) is an ordinary error.
  if (res.status === 401 && token) {
    showFailToast(defaultMessage(401));
    unauthorizedHandler();
  } else if (!options.silent) {
    showFailToast(error.message);
  }
  throw error;
}

// ---- endpoints ----

export function login(username: string, password: string): Promise<LoginResponse> {
  return request<LoginResponse>('/api/v1/auth/login', { method: 'POST', body: { username, password } });
}

export interface CustomerQuery {
  page: number;
  pageSize: number;
  q?: string;
  sort?: string;
}

export function listCustomers(query: CustomerQuery, signal?: AbortSignal): Promise<Page<CustomerSummary>> {
  return request<Page<CustomerSummary>>('/api/v1/customers', { query: { ...query }, signal });
}

export function getCustomer(id: string): Promise<Customer> {
  return request<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`);
}
