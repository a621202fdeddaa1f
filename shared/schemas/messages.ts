// zod's messages in Chinese, worded as what the field must be ("应为数字", "最长 100 个字符"): the
// label is put in front by whoever reports the issue (server/platform/errors.ts), so these never
// name a field. A schema's own message still wins; zod's zh-CN locale covers anything not here.
import { z } from 'zod';
import { zhCN } from 'zod/locales';

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  bigint: '整数',
  boolean: 'true 或 false',
  array: '列表',
  tuple: '列表',
  object: '对象',
  record: '对象',
  date: '日期',
  null: '空值',
};

const FORMAT_NAMES: Record<string, string> = {
  uuid: '有效的 ID（UUID）',
  guid: '有效的 ID（UUID）',
  email: '有效的邮箱地址',
  url: '有效的网址',
  date: '日期（YYYY-MM-DD）',
  datetime: '日期时间（ISO 8601）',
  time: '时间（HH:mm）',
};

/** What is wrong with a value, for an issue zod raised itself (a schema's own message wins). */
export function problemOf(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return '为必填项';
      if (issue.input === null) return '不能为空';
      return `应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? '不能为空' : `至少 ${min} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? '至少需要一项' : `至少需要 ${min} 项`;
      return issue.inclusive ? `不能小于 ${min}` : `必须大于 ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `最长 ${max} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${max} 项`;
      return issue.inclusive ? `不能大于 ${max}` : `必须小于 ${max}`;
    }
    case 'invalid_format':
      return FORMAT_NAMES[issue.format] ? `应为${FORMAT_NAMES[issue.format]}` : '格式不正确';
    case 'not_multiple_of':
      return `必须是 ${issue.divisor} 的倍数`;
    case 'invalid_value':
      return issue.values.length === 1 ? `只能是 ${String(issue.values[0])}` : `只能是 ${issue.values.map(String).join('、')} 之一`;
    case 'unrecognized_keys':
      return `不支持的字段 ${issue.keys.join('、')}`;
    case 'invalid_union': {
      // Every option wanted another type: say which types would do ("应为文本或数字").
      const types = issue.errors.map((e) => (e.length === 1 && e[0]!.code === 'invalid_type' && e[0]!.path.length === 0 ? e[0]!.expected : undefined));
      if (issue.input !== undefined && types.length > 0 && types.every(Boolean)) return `应为${[...new Set(types.map((t) => TYPE_NAMES[t!] ?? t))].join('或')}`;
      return '格式不正确';
    }
    default:
      return undefined;
  }
}

z.config(zhCN());
z.config({ customError: problemOf });
