// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bindNotice,
  clearPendingBind,
  parseLaunchParams,
  PENDING_BIND_KEY,
  platformLabel,
  readPendingBind,
  savePendingBind,
  urlWithoutLaunchParams,
} from '../../miniapp/src/platform';

describe('platform launch parameters', () => {
  it('reads ?code&state=<platform> of the OAuth redirect', () => {
    expect(parseLaunchParams('?code=abc123&state=wecom')).toEqual({ platform: 'wecom', code: 'abc123' });
    expect(parseLaunchParams('?state=lark&code=%20x%2By%20')).toEqual({ platform: 'lark', code: 'x+y' });
    expect(parseLaunchParams('?code=abc&state=dingtalk&appid=ww1')).toEqual({ platform: 'dingtalk', code: 'abc' });
  });

  it('ignores anything else', () => {
    expect(parseLaunchParams('')).toBeNull();
    expect(parseLaunchParams('?code=abc')).toBeNull();
    expect(parseLaunchParams('?code=abc&state=wechat')).toBeNull(); // no sign-in code on WeChat
    expect(parseLaunchParams('?code=abc&state=STATE')).toBeNull();
    expect(parseLaunchParams('?code=&state=wecom')).toBeNull();
  });

  it('strips the OAuth parameters and keeps the rest, hash included', () => {
    expect(urlWithoutLaunchParams('https://yq.example.cn/m/?code=abc&state=wecom#/stock/42?x=1')).toBe('/m/#/stock/42?x=1');
    expect(urlWithoutLaunchParams('https://yq.example.cn/m/?from=card&code=abc&state=lark&appid=ww#/')).toBe('/m/?from=card#/');
    expect(urlWithoutLaunchParams('https://yq.example.cn/m/')).toBe('/m/');
  });

  it('names platforms in Chinese', () => {
    expect(platformLabel('lark')).toBe('飞书');
    expect(platformLabel('wecom')).toBe('企业微信');
    expect(platformLabel('dingtalk')).toBe('钉钉');
    expect(platformLabel('wechat')).toBe('微信');
    expect(platformLabel(null)).toBe('聊天');
    expect(bindNotice('wecom')).toBe('登录后将自动绑定你的企业微信账号');
    expect(bindNotice('lark')).toBe('登录后将自动绑定你的飞书账号');
  });
});

describe('pending binding (sessionStorage)', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => sessionStorage.clear());

  it('saves, reads and clears', () => {
    expect(readPendingBind()).toBeNull();
    savePendingBind('dingtalk', 'bt-1', 1_000_000);
    expect(readPendingBind(1_000_000 + 60_000)).toEqual({ platform: 'dingtalk', bindToken: 'bt-1', savedAt: 1_000_000 });
    clearPendingBind();
    expect(readPendingBind()).toBeNull();
  });

  it('drops an expired or unreadable one', () => {
    savePendingBind('lark', 'bt-2', 1_000_000);
    expect(readPendingBind(1_000_000 + 10 * 60_000)).toBeNull();
    expect(sessionStorage.getItem(PENDING_BIND_KEY)).toBeNull();

    sessionStorage.setItem(PENDING_BIND_KEY, '{not json');
    expect(readPendingBind()).toBeNull();
    sessionStorage.setItem(PENDING_BIND_KEY, JSON.stringify({ platform: 'msn', bindToken: 'x', savedAt: Date.now() }));
    expect(readPendingBind()).toBeNull();
    expect(sessionStorage.getItem(PENDING_BIND_KEY)).toBeNull();
  });
});
