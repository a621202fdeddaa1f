// 机器人命令: a chat message's text → one command. Pure and total: anything it does not
// understand (or a command missing its argument) is `help` with the reason, never an exception.
export type BotCommand =
  | { kind: 'stock'; keyword: string }
  | { kind: 'order'; number: string }
  | { kind: 'approvals' }
  | { kind: 'kittingOrder'; number: string }
  | { kind: 'kittingTasks'; numbers: string[] }
  | { kind: 'kitting'; keyword: string; quantity: string }
  | { kind: 'receivables'; customer: string }
  | { kind: 'help'; reason?: string };

/** the longest item keyword we search for */
export const MAX_KEYWORD_LENGTH = 50;

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
/** "@云桥", "@_user_1" (Feishu), "@张三" — a mention starts a word */
const MENTION = /(^|\s)@\S+/g;
/** punctuation around the text: 。，！？.,!?;:、/#… and quotes, but not brackets (a spec may end in one) */
const EDGE_PUNCTUATION = /^[\s\p{Po}\p{Pd}\p{Pc}\p{Pi}\p{Pf}]+|[\s\p{Po}\p{Pd}\p{Pc}\p{Pi}\p{Pf}]+$/gu;

const STOCK = /^(?:库存查询|查询库存|查库存|库存)\s*[:：]?\s*([\s\S]*)$/;
const ORDER = /^(?:订单查询|查询订单|查订单|订单)\s*[:：]?\s*([\s\S]*)$/;
const KITTING = /^(?:齐套分析|齐套查询|查齐套|齐套)\s*[:：]?\s*([\s\S]*)$/;
const RECEIVABLES = /^(?:应收账款|应收查询|查应收|应收)\s*[:：]?\s*([\s\S]*)$/;
/** "M8螺栓 1000", "M8螺栓 1,000", "M8螺栓 1000个": the keyword, then the quantity as the last word */
const TRAILING_QUANTITY = /^([\s\S]*\S)\s+([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:个|件|套|pcs)?$/i;
const APPROVALS = new Set(['待审批', '我的待审批', '待审批事项']);
const HELP = new Set(['帮助', 'help', '?', '菜单', '命令']);
const ORDER_NUMBER = /^SO-\d{8}-\d{4}$/;
const TASK_NUMBER = /^MO-\d{8}-\d{4}$/;
/** production tasks one 齐套 message may name */
export const MAX_KITTING_TASKS = 20;

const trimEdges = (s: string) => s.replace(EDGE_PUNCTUATION, '');
const quote = (s: string) => (s.length > 20 ? `${s.slice(0, 20)}…` : s);

/** The text as a command sees it: mentions, odd spaces and surrounding punctuation removed. */
export function normaliseText(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : '';
  const spaced = text.replace(ZERO_WIDTH, '').replace(/\s+/g, ' '); // \s covers 全角空格, U+2005 after WeCom mentions, NBSP
  return trimEdges(spaced.replace(MENTION, '$1').replace(/\s+/g, ' ').trim());
}

const documentNumber = (arg: string) => arg.normalize('NFKC').replace(/[‐‑‒–—―−]/g, '-').replace(/\s+/g, '').toUpperCase();

function orderNumber(arg: string): string | null {
  const n = documentNumber(arg);
  return ORDER_NUMBER.test(n) ? n : null;
}

/** "MO-20261208-0001 MO-20261208-0002" (spaces, commas or 、 between): the task numbers, or null when any word is not one */
function taskNumbers(arg: string): string[] | null {
  const words = arg.normalize('NFKC').split(/[\s,，、;；]+/).filter(Boolean).map(documentNumber);
  return words.length && words.every((w) => TASK_NUMBER.test(w)) ? [...new Set(words)] : null;
}

function parse(raw: unknown): BotCommand {
  const text = normaliseText(raw);
  const folded = text.normalize('NFKC').toLowerCase();
  if (!text || HELP.has(folded) || /^[?？]+$/.test(folded)) return { kind: 'help' };
  if (APPROVALS.has(folded)) return { kind: 'approvals' };

  const stock = STOCK.exec(text);
  if (stock) {
    const keyword = trimEdges(stock[1]!).replace(/\s+/g, ' ');
    if (!keyword) return { kind: 'help', reason: '请告诉我要查哪个物料，例如：库存 M8螺栓' };
    if (keyword.length > MAX_KEYWORD_LENGTH) return { kind: 'help', reason: `品名或编码太长了（最多 ${MAX_KEYWORD_LENGTH} 个字）` };
    return { kind: 'stock', keyword };
  }
  const order = ORDER.exec(text);
  if (order) {
    const arg = trimEdges(order[1]!);
    if (!arg) return { kind: 'help', reason: '请告诉我订单号，例如：订单 SO-20261122-0001' };
    const number = orderNumber(arg);
    if (!number) return { kind: 'help', reason: `「${quote(arg)}」不是销售订单号，单号形如 SO-20261122-0001` };
    return { kind: 'order', number };
  }
  const kitting = KITTING.exec(text);
  if (kitting) return parseKitting(trimEdges(kitting[1]!));
  const receivables = RECEIVABLES.exec(text);
  if (receivables) {
    const customer = trimEdges(receivables[1]!).replace(/\s+/g, ' ');
    if (!customer) return { kind: 'help', reason: '请告诉我要查哪个客户，例如：应收 恒力机械' };
    if (customer.length > MAX_KEYWORD_LENGTH) return { kind: 'help', reason: `客户名称或编码太长了（最多 ${MAX_KEYWORD_LENGTH} 个字）` };
    return { kind: 'receivables', customer };
  }
  return { kind: 'help', reason: `没听懂「${quote(text)}」` };
}

/** 齐套 <订单号>, 齐套 <生产任务单号…> or 齐套 <物料编码或名称> <数量> */
function parseKitting(arg: string): BotCommand {
  const example = '例如：齐套 SO-20261122-0001、齐套 MO-20261208-0001，或 齐套 M8螺栓 1000';
  if (!arg) return { kind: 'help', reason: `请告诉我订单号或生产任务单号，或物料和数量，${example}` };
  const number = orderNumber(arg);
  if (number) return { kind: 'kittingOrder', number };
  const tasks = taskNumbers(arg);
  if (tasks && tasks.length > MAX_KITTING_TASKS) return { kind: 'help', reason: `一次最多分析 ${MAX_KITTING_TASKS} 张生产任务单` };
  if (tasks) return { kind: 'kittingTasks', numbers: tasks };
  const m = TRAILING_QUANTITY.exec(arg.normalize('NFKC'));
  if (!m) return { kind: 'help', reason: `请告诉我「${quote(arg)}」要生产多少，${example}` };
  const keyword = trimEdges(m[1]!).replace(/\s+/g, ' ');
  const quantity = m[2]!.replace(/,/g, '');
  if (!keyword) return { kind: 'help', reason: `请告诉我要分析哪个物料，${example}` };
  if (keyword.length > MAX_KEYWORD_LENGTH) return { kind: 'help', reason: `品名或编码太长了（最多 ${MAX_KEYWORD_LENGTH} 个字）` };
  if (!/^\d{1,14}(\.\d{1,4})?$/.test(quantity) || Number(quantity) <= 0) return { kind: 'help', reason: '数量必须大于 0，最多 4 位小数' };
  return { kind: 'kitting', keyword, quantity };
}

export function parseCommand(raw: unknown): BotCommand {
  try {
    return parse(raw);
  } catch {
    return { kind: 'help', reason: '没听懂这条消息' };
  }
}
