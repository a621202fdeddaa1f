// A chat platform without its settings is off, and start-up says so once, per platform.
import { describe, expect, it } from 'vitest';
import { chatAdapters, describeChatPlatforms } from '../../bot/callbacks.ts';
import { loadConfig } from '../../server/platform/config.ts';

describe('聊天平台开关', () => {
  it('没有配置的平台是关闭的，并说明缺哪些设置', () => {
    const config = loadConfig({});
    expect(chatAdapters(config).size).toBe(0);
    expect(describeChatPlatforms(config)).toEqual([
      '飞书：未配置（LARK_APP_ID、LARK_APP_SECRET），已关闭',
      '企业微信：未配置（WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET），已关闭',
      '钉钉：未配置（DINGTALK_APP_KEY、DINGTALK_APP_SECRET），已关闭',
      '微信群：未配置（WECHATY_PUPPET），已关闭',
    ]);
  });

  it('配置齐全的平台开启', () => {
    const config = loadConfig({ WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's', LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 'y' });
    expect([...chatAdapters(config).keys()].sort()).toEqual(['lark', 'wecom']);
    const lines = describeChatPlatforms(config);
    expect(lines).toContain('企业微信：已开启');
    expect(lines).toContain('飞书：已开启');
    expect(lines.filter((l) => l.endsWith('已关闭'))).toHaveLength(2);
  });
});
