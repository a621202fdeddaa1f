// The JS-SDK configuration a platform bridge asks the server for, for the URL its client verifies.
import { request } from '../api';
import type { JssdkConfig } from '../../../shared/schemas/jssdk';
import { signatureUrl } from './detect';
import type { BridgePlatform } from './types';

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
