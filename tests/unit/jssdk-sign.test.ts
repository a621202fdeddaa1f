// JS-SDK signatures per platform (pure): WeCom and Feishu against their published examples (inputs
// and signature); DingTalk publishes the inputs of its example but no signature, so that one is a
// SHA-1 computed by hand (`printf '%s' '<string>' | sha1sum`); plus the URL
// rules (fragment, DingTalk's query decoding, only PUBLIC_BASE_URL/m/ is signable).
import { describe, expect, it } from 'vitest';
import { jssdkSignature, nonceStr, signableUrl, stringToSign, timestampFor, urlForSignature } from '../../server/modules/auth/jssdk-sign.ts';

describe('企业微信：文档的示例（developer.work.weixin.qq.com/document/path/90506）', () => {
  const input = {
    ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
    nonceStr: 'Wm3WZYTPz0wzccnW',
    timestamp: 1414587457,
    url: 'http://mp.weixin.qq.com?params=value',
  };
  it('拼接串与签名与文档一致', () => {
    expect(stringToSign('wecom', input)).toBe(
      'jsapi_ticket=sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg&noncestr=Wm3WZYTPz0wzccnW&timestamp=1414587457&url=http://mp.weixin.qq.com?params=value',
    );
    expect(jssdkSignature('wecom', input)).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });
  it('# 及其后面部分不参与签名，查询串原样', () => {
    expect(jssdkSignature('wecom', { ...input, url: `${input.url}#/visits/today` })).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
    expect(urlForSignature('wecom', 'https://yq.example/m/?a=%E5%BC%A0+1#/x')).toBe('https://yq.example/m/?a=%E5%BC%A0+1');
  });
  it('时间戳是秒', () => expect(timestampFor('wecom', 1_765_000_000_123)).toBe(1_765_000_000));
});

describe('飞书：文档的示例（open.feishu.cn 网页应用「示例代码介绍」：毫秒时间戳 1510045655000）', () => {
  const input = {
    ticket: '617bf955832a4d4d80d9d8d85917a427',
    nonceStr: 'Y7a8KkqX041bsSwT',
    timestamp: 1510045655000,
    url: 'https://example.cn/test/1234/content.html',
  };
  it('拼接串 verifyStr 与签名与文档一致', () => {
    expect(stringToSign('lark', input)).toBe(
      'jsapi_ticket=617bf955832a4d4d80d9d8d85917a427&noncestr=Y7a8KkqX041bsSwT&timestamp=1510045655000&url=https://example.cn/test/1234/content.html',
    );
    expect(jssdkSignature('lark', input)).toBe('40a68999ecf7e05907edba43b31a50fd1830c777');
  });
  it('旧版文档同样参数、另一个地址：手算的 SHA-1', () => {
    expect(jssdkSignature('lark', { ...input, url: 'https://m.haiwainet.cn/ttc/3541093/2018/0509/content_31312407_1.html' })).toBe('2ee6a79c182eeec8d76e7474136edb6e617b8d58');
  });
  it('时间戳是毫秒；# 之后不参与签名；查询串原样', () => {
    expect(timestampFor('lark', 1_765_000_000_123)).toBe(1_765_000_000_123);
    expect(jssdkSignature('lark', { ...input, url: `${input.url}#top` })).toBe('40a68999ecf7e05907edba43b31a50fd1830c777');
    expect(urlForSignature('lark', 'https://yq.example/m/?q=%20x')).toBe('https://yq.example/m/?q=%20x');
  });
});

describe('钉钉：文档示例的参数（未公布签名结果，签名为手算的 SHA-1）；查询串先 URL 解码一次', () => {
  const input = {
    ticket: 'mS5k98fdkdgDKxkXGEs8LORVREiweeWETE40P37wkidkfksDSKDJFD5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcKIDU8l',
    nonceStr: 'Zn4zmLFKD0wzilzM',
    timestamp: 1414588745,
    url: 'http://open.dingtalk.com',
  };
  it('文档示例的四个参数', () => {
    expect(jssdkSignature('dingtalk', input)).toBe('10de2b0a6763ec3685a50272b5b0eb2848098dc2');
  });
  it('iOS 给出编码过的地址、Android 给出原样地址：解码后签名相同', () => {
    const encoded = { ...input, url: 'https://yq.example/m/?name=%E5%BC%A0%E4%B8%89&a=b+c#/visits' };
    const raw = { ...input, url: 'https://yq.example/m/?name=张三&a=b c' };
    expect(urlForSignature('dingtalk', encoded.url)).toBe('https://yq.example/m/?name=张三&a=b c');
    expect(jssdkSignature('dingtalk', encoded)).toBe('6afd28f5f1a32e065d89df565b3ca9e87c7eb65f');
    expect(jssdkSignature('dingtalk', raw)).toBe('6afd28f5f1a32e065d89df565b3ca9e87c7eb65f');
  });
  it('路径不解码；残缺的 % 转义原样保留', () => {
    expect(urlForSignature('dingtalk', 'https://yq.example/m/a%20b/?x=%E5%BC%A0%ZZ')).toBe('https://yq.example/m/a%20b/?x=张%ZZ');
  });
  it('时间戳是秒', () => expect(timestampFor('dingtalk', 1_765_000_000_999)).toBe(1_765_000_000));
});

describe('只签 PUBLIC_BASE_URL/m/ 下的页面', () => {
  const base = 'https://yq.example';
  it.each([
    ['https://yq.example/m/', true],
    ['https://yq.example/m/?code=abc&state=wecom#/visits', true],
    ['https://yq.example/m', false],
    ['https://yq.example/api/v1/me', false],
    ['https://yq.example/m/../api/v1', false],
    ['https://yq.example/m/%2e%2e/api', false],
    ['http://yq.example/m/', false],
    ['https://yq.example:8443/m/', false],
    ['https://evil.example/m/', false],
    ['https://yq.example.evil.example/m/', false],
    ['https://user:pw@yq.example/m/', false],
    ['https://yq.example/m/ x', false],
    ['/m/', false],
    ['javascript:alert(1)', false],
  ])('%s → %s', (url, ok) => expect(signableUrl(url, base)).toBe(ok));
  it('PUBLIC_BASE_URL 带路径：/erp/m/ 下才签', () => {
    expect(signableUrl('https://corp.example/erp/m/#/', 'https://corp.example/erp/')).toBe(true);
    expect(signableUrl('https://corp.example/m/', 'https://corp.example/erp')).toBe(false);
  });
  it('没有 PUBLIC_BASE_URL：什么都不签', () => expect(signableUrl('https://yq.example/m/', undefined)).toBe(false));
});

it('随机串 16 位字母数字，每次不同', () => {
  const a = nonceStr();
  expect(a).toMatch(/^[A-Za-z0-9]{16}$/);
  expect(nonceStr()).not.toBe(a);
});
