// Security headers (helmet), one policy per kind of response:
// - /m/ (the mini-app): only our own scripts and styles; images also from data: (Vant's uploader
//   previews) and blob: (attachments are fetched with the token into object URLs); the icon font
//   is a data: URI; the API is same-origin. It may be framed by the chat platforms' clients only.
//   Inside Feishu (by its user agent) scripts may also come from Feishu's CDN: its H5 JS-SDK is not
//   on npm and is loaded by a <script> tag (miniapp/src/bridge/lark.ts); no other client gets that.
// - /api/docs (Swagger UI): its own scripts and styles; its icons are data: SVGs.
// - everything else (the JSON API, attachment content, callbacks, /healthz): nothing may load or
//   run (an uploaded SVG/HTML opened directly stays inert), and no one may frame it.
// No CORS: the mini-app and the docs are served from this origin, the chat platforms call the
// callbacks server to server, so no response carries Access-Control-Allow-Origin.
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Feishu/Lark, WeCom and DingTalk desktop and web clients that open the mini-app inside a frame. */
export const DEFAULT_FRAME_ANCESTORS = [
  'https://*.feishu.cn',
  'https://*.larksuite.com',
  'https://work.weixin.qq.com',
  'https://*.work.weixin.qq.com',
  'https://*.dingtalk.com',
];

/** FRAME_ANCESTORS: sources separated by spaces or commas; unset = the chat platforms above. */
export function frameAncestors(setting: string | undefined): string[] {
  const given = setting?.split(/[\s,]+/).filter(Boolean);
  return ["'self'", ...(given?.length ? given : DEFAULT_FRAME_ANCESTORS)];
}

/** Where Feishu's H5 JS-SDK is served from (miniapp/src/bridge/lark.ts LARK_H5SDK_URL). */
export const LARK_H5SDK_ORIGIN = 'https://lf1-cdn-tos.bytegoofy.com';

/** Feishu / Lark webviews name themselves Lark/<version> (LarkLocale, and Feishu in newer builds). */
export function isFeishuUserAgent(ua: string | undefined): boolean {
  return !!ua && (/\b(Lark|Feishu)\//i.test(ua) || /\bLarkLocale\b/.test(ua));
}

type Directives = Record<string, string[]>;

function policy(directives: Directives, opts: { framed: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    // the CSP's frame-ancestors decides; X-Frame-Options cannot name other origins
    xFrameOptions: opts.framed ? false : { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // not includeSubDomains: the company's other sites on the same domain may still be plain HTTP
    strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
  }) as RequestHandler;
}

export function securityHeaders(opts: { frameAncestors?: string }): RequestHandler {
  const common: Directives = {
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'object-src': ["'none'"],
    'script-src-attr': ["'none'"],
  };
  const miniappDirectives: Directives = {
    ...common,
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    // a PDF attachment opens from a blob: URL in a new tab, which inherits this policy
    'object-src': ["'self'", 'blob:'],
    'frame-ancestors': frameAncestors(opts.frameAncestors),
  };
  const miniapp = policy(miniappDirectives, { framed: true });
  const miniappInFeishu = policy({ ...miniappDirectives, 'script-src': ["'self'", LARK_H5SDK_ORIGIN] }, { framed: true });
  const docs = policy(
    {
      ...common,
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
    { framed: false },
  );
  const api = policy({ ...common, 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] }, { framed: false });
  return (req, res, next) => {
    const p = req.path;
    if (p === '/m' || p.startsWith('/m/')) {
      // the policy depends on the client: caches must keep one copy per user agent
      res.vary('User-Agent');
      return (isFeishuUserAgent(req.get('user-agent')) ? miniappInFeishu : miniapp)(req, res, next);
    }
    if (p === '/api/docs' || p.startsWith('/api/docs/')) return docs(req, res, next);
    return api(req, res, next);
  };
}
