// The JS-SDK configuration a platform bridge asks the server for, for the URL its client verifies.
import { request } from '../api';
import type { JssdkConfig } from '../../../shared/schemas/jssdk';
import { signatureUrl } from './detect';
import { BridgeError, type BridgePlatform } from './types';

/** How long a platform's SDK may take to accept its configuration before the browser's APIs are used instead. */
export const SDK_SETUP_TIMEOUT_MS = 10_000;

/** `promise`, or a BridgeError(message) if it has not settled within `ms`. */
export function within<T>(promise: Promise<T>, message: string, ms = SDK_SETUP_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BridgeError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type SdkPlatform = Exclude<BridgePlatform, 'browser'>;

/** What a platform bridge needs from its surroundings (tests pass their own). */
export interface BridgeEnv {
  ua: string;
  /** location.href now */
  href(): string;
  /** location.href as the page was entered (before ?code&state were removed) */
  entryHref?: string;
  /** GET /api/v1/platform/jssdk-config */
  fetchConfig(platform: SdkPlatform, url: string): Promise<JssdkConfig>;
}

export function fetchJssdkConfig(platform: SdkPlatform, url: string): Promise<JssdkConfig> {
  return request<JssdkConfig>('/api/v1/platform/jssdk-config', { query: { platform, url }, silent: true });
}

/** The server's signature for the URL this client's platform verifies (entry URL on iOS WeCom). */
export function configFor<P extends SdkPlatform>(env: BridgeEnv, platform: P, href = env.href()): Promise<Extract<JssdkConfig, { platform: P }>> {
  const url = signatureUrl({ platform, ua: env.ua, href, entryHref: env.entryHref });
  return env.fetchConfig(platform, url) as Promise<Extract<JssdkConfig, { platform: P }>>;
}
