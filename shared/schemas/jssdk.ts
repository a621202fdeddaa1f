// JS-SDK configuration for the mini-app inside Feishu / WeCom / DingTalk: the server signs the page
// URL with the platform's jsapi ticket (which never leaves the server); the client passes these
// fields straight to h5sdk.config / ww.register (config + agentConfig) / dd.config.
import { z } from './common.ts';

export const JssdkConfigQuery = z.object({
  platform: z.enum(['lark', 'wecom', 'dingtalk'], { message: '只能是 lark（飞书）、wecom（企业微信）或 dingtalk（钉钉）' }),
  // not trimmed: the platform checks the exact URL
  url: z.string({ message: '缺少要签名的页面地址' }).min(1, '缺少要签名的页面地址').max(2048, '页面地址最长 2048 个字符').openapi({ description: '平台将校验的页面地址（移动端 /m/ 下；#及其后的部分不参与签名）' }),
});

const Signed = {
  nonceStr: z.string(),
  signature: z.string(),
};

/** wx.config / ww.register getConfigSignature and getAgentConfigSignature: timestamp in seconds */
const WecomSigned = z.object({ timestamp: z.number().int(), ...Signed });

export const JssdkConfig = z
  .discriminatedUnion('platform', [
    z.object({
      platform: z.literal('wecom'),
      url: z.string(),
      corpId: z.string(),
      agentId: z.string(),
      /** 企业 jsapi_ticket */
      config: WecomSigned,
      /** 应用 jsapi_ticket */
      agentConfig: WecomSigned,
    }),
    z.object({
      platform: z.literal('lark'),
      url: z.string(),
      appId: z.string(),
      /** milliseconds */
      timestamp: z.number().int(),
      ...Signed,
    }),
    z.object({
      platform: z.literal('dingtalk'),
      url: z.string(),
      corpId: z.string(),
      agentId: z.string(),
      /** seconds (dd.config spells it timeStamp) */
      timeStamp: z.number().int(),
      ...Signed,
    }),
  ])
  .openapi('JssdkConfig');

export type JssdkConfig = z.infer<typeof JssdkConfig>;
export type JssdkConfigQuery = z.infer<typeof JssdkConfigQuery>;
