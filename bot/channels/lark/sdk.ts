// The `@larksuiteoapi/node-sdk` Client as LarkAdapter uses it, and how its failures become
// ChannelErrors. What the SDK (1.74) does, read from its code:
// - HTTP goes through one module-wide axios instance (`defaultHttpInstance`) whose response
//   interceptor returns the body only; a non-2xx answer rejects with the AxiosError (status and
//   body in `error.response`); a 2xx answer with a non-zero `code` resolves like a success.
//   Nothing is retried, and no timeout is set. Every failure is first written to its logger, and
//   for the token call that log holds the request body, app_secret included.
// - Its tenant_access_token cache is a module-wide Map keyed by app id (`internalCache`), expiry
//   by the wall clock, no sharing of a fetch already under way, no way to drop a token Feishu has
//   refused. So: `disableTokenCache` and our own TokenCache per adapter (see adapter.ts).
// Hence a silent logger, and an HttpInstance that is the SDK's own axios instance with a timeout.
// The SDK is ~6 MB of JavaScript (≈0.4 s to load): it is loaded when Feishu is first used, not
// whenever the server (or a test app) starts.
import type * as Lark from '@larksuiteoapi/node-sdk';
import { ChannelError } from '../../../server/platform/channels.ts';

export type LarkSdk = typeof Lark;
let loading: Promise<LarkSdk> | undefined;

export function larkSdk(): Promise<LarkSdk> {
  loading ??= import('@larksuiteoapi/node-sdk');
  return loading;
}

/** token missing / invalid: tenant (99991663), app (99991664), any (99991671); 99991661 = none sent */
export const TOKEN_CODES: ReadonlySet<number> = new Set([99991661, 99991663, 99991664, 99991671]);
/** 99991400 frequency limit (HTTP 429, or 400 on older APIs); 230020 send-frequency limit of a chat */
const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([99991400, 230020]);
/** 1500: "internal error, 请稍后重试" (generic server error codes) */
const INTERNAL_CODES: ReadonlySet<number> = new Set([1500]);

/** What every Feishu answer carries. */
export interface LarkBody {
  code?: number;
  msg?: string;
  /** OAuth endpoints (RFC 6749 §5.2) */
  error?: string;
  error_description?: string;
}

const silent: Lark.Logger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

/**
 * The SDK's axios instance, each request with a timeout (axios' own, plus a hard deadline). axios
 * follows HTTP(S)_PROXY from the environment; a loopback LARK_BASE_URL (the test fake) never goes
 * through a proxy.
 */
class TimedHttp implements Lark.HttpInstance {
  constructor(
    private readonly lark: LarkSdk,
    private readonly timeoutMs: number,
    private readonly loopback: boolean,
  ) {}

  request<T = unknown, R = T, D = unknown>(opts: Lark.HttpRequestOptions<D>): Promise<R> {
    const axios = this.lark.defaultHttpInstance as unknown as { request(config: object): Promise<R> };
    return axios.request({
      ...opts,
      timeout: this.timeoutMs,
      signal: AbortSignal.timeout(this.timeoutMs),
      ...(this.loopback ? { proxy: false } : {}),
    });
  }
  get<T = unknown, R = T, D = unknown>(url: string, opts?: Lark.HttpRequestOptions<D>): Promise<R> {
    return this.request<T, R, D>({ ...opts, url, method: 'get' });
  }
  delete<T = unknown, R = T, D = unknown>(url: string, opts?: Lark.HttpRequestOptions<D>): Promise<R> {
    return this.request<T, R, D>({ ...opts, url, method: 'delete' });
  }
  head<T = unknown, R = T, D = unknown>(url: string, opts?: Lark.HttpRequestOptions<D>): Promise<R> {
    return this.request<T, R, D>({ ...opts, url, method: 'head' });
  }
  options<T = unknown, R = T, D = unknown>(url: string, opts?: Lark.HttpRequestOptions<D>): Promise<R> {
    return this.request<T, R, D>({ ...opts, url, method: 'options' });
  }
  post<T = unknown, R = T, D = unknown>(url: string, data?: D, opts?: Lark.HttpRequestOptions<D>): Promise<R> {
    return this.request<T, R, D>({ ...opts, url, data, method: 'post' });
  }
  put<T = unknown, R = T, D = unknown>(url: string, data?: D, opts?: Lark.HttpRequestOptions<D>): Promise<R> {
    return this.request<T, R, D>({ ...opts, url, data, method: 'put' });
  }
  patch<T = unknown, R = T, D = unknown>(url: string, data?: D, opts?: Lark.HttpRequestOptions<D>): Promise<R> {
    return this.request<T, R, D>({ ...opts, url, data, method: 'patch' });
  }
}

export interface LarkClientOptions {
  appId: string;
  appSecret: string;
  baseUrl: string;
  timeoutMs: number;
}

/** A self-built app's client on LARK_BASE_URL; tokens are passed per call (withTenantToken). */
export function createLarkClient(lark: LarkSdk, o: LarkClientOptions): Lark.Client {
  return new lark.Client({
    appId: o.appId,
    appSecret: o.appSecret,
    appType: lark.AppType.SelfBuild,
    domain: o.baseUrl.replace(/\/+$/, ''),
    disableTokenCache: true,
    // belt and braces: should anything reach the SDK's token manager, it gets this client's own cache
    cache: new lark.DefaultCache(),
    httpInstance: new TimedHttp(lark, o.timeoutMs, isLoopback(o.baseUrl)),
    logger: silent,
    // LoggerLevel.fatal is 0, which the SDK replaces by `info`: the silent logger does the work
    loggerLevel: lark.LoggerLevel.error,
  });
}

function isLoopback(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

interface AxiosLikeError {
  isAxiosError: true;
  code?: string;
  message: string;
  response?: { status: number; data?: unknown };
}

function isAxiosError(e: unknown): e is AxiosLikeError {
  return typeof e === 'object' && e !== null && (e as { isAxiosError?: unknown }).isAxiosError === true;
}

function bodyOf(data: unknown): LarkBody {
  if (data && typeof data === 'object' && !Array.isArray(data)) return data as LarkBody;
  return { msg: typeof data === 'string' ? data.slice(0, 200) : undefined };
}

/** One answer from Feishu, success or not; network failures and timeouts throw (retryable). */
export async function larkAnswer<T extends LarkBody>(api: string, run: () => Promise<T>): Promise<{ status: number; body: T | LarkBody }> {
  try {
    return { status: 200, body: bodyOf(await run()) as T };
  } catch (e) {
    if (!isAxiosError(e)) throw e;
    if (e.response) return { status: e.response.status, body: bodyOf(e.response.data) };
    // no answer: only the message, never the error itself (its config holds the request body)
    const timedOut = ['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED'].includes(e.code ?? '');
    throw new ChannelError(`飞书接口 ${api} ${timedOut ? '超时' : '网络错误'}: ${e.message}`, true);
  }
}

export function isOk(a: { status: number; body: LarkBody }): boolean {
  return a.status < 400 && (a.body.code ?? 0) === 0 && !a.body.error;
}

/** 5xx, 429, rate limits and internal errors can be retried; anything else cannot. */
export function larkFailure(api: string, a: { status: number; body: LarkBody }): ChannelError {
  const code = a.body.code;
  const retryable = a.status >= 500 || a.status === 429 || RATE_LIMIT_CODES.has(code ?? -1) || INTERNAL_CODES.has(code ?? -1);
  const detail = a.body.msg ?? a.body.error_description ?? a.body.error ?? '';
  return new ChannelError(`飞书接口 ${api} 失败 (HTTP ${a.status}, code ${code ?? '无'}): ${detail}`.trim(), retryable, a.status);
}
