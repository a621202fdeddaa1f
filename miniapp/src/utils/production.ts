// 生产任务单 on the phone and the desk: what the actions may do in each state, the 报工 form's own
// checks (the same limits as the server's, so a worker on the shop floor hears at once what is
// wrong), and the task's audit trail as timeline entries.
import type { ProductionTaskDetail, WorkReportCreate } from '../../../shared/schemas/manufacturing';
import type { TimelineEntry } from '../../../shared/schemas/sales/orders';
import { formatQuantity, isPositiveDecimal, subtractDecimal } from './format';

export type TaskAction = 'release' | 'issue' | 'receive' | 'report' | 'close' | 'cancel';

const WORKING = ['released', 'inProgress'];

/**
 * The actions the task's state allows and `may` (the user's permissions) grants, in the action
 * bar's order. 取消 only while nothing was issued; 配套领料 while some is left to kit.
 */
export function taskActions(task: ProductionTaskDetail, may: (permission: string) => boolean): TaskAction[] {
  const out: TaskAction[] = [];
  const working = WORKING.includes(task.state);
  if (working && may('productionTask:report')) out.push('report');
  if (task.state === 'planned' && may('productionTask:update')) out.push('release');
  if (working && may('productionTask:issue') && isPositiveDecimal(subtractDecimal(task.quantity, task.kittedQuantity))) out.push('issue');
  if (working && may('productionTask:issue') && isPositiveDecimal(subtractDecimal(task.quantity, task.receivedQuantity))) out.push('receive');
  if (may('productionTask:update')) {
    if ([...WORKING, 'completed'].includes(task.state)) out.push('close');
    const untouched = !isPositiveDecimal(task.kittedQuantity) && !isPositiveDecimal(task.issuedAmount);
    if (task.state === 'planned' || (task.state === 'released' && untouched)) out.push('cancel');
  }
  return out;
}

export const TASK_ACTION_LABELS: Record<TaskAction, string> = {
  release: '下达', issue: '配套领料', receive: '完工入库', report: '报工', close: '关闭', cancel: '取消',
};

/** The 报工 form as typed (strings, as the fields hold them). */
export interface ReportForm {
  operation: string;
  goodQuantity: string;
  scrapQuantity: string;
  hours: string;
  remark: string;
}

export const emptyReportForm = (): ReportForm => ({ operation: '', goodQuantity: '', scrapQuantity: '', hours: '', remark: '' });

const DECIMAL = /^\d+(\.\d+)?$/;

function places(v: string): number {
  return v.split('.')[1]?.length ?? 0;
}

/**
 * The form's problems by field (empty = fine to send), and the body to send: blanks are 0, the
 * unit's precision limits the quantities, hours 0–24 with 2 decimals, something must be reported,
 * and the operation must be one of the task's when it names any.
 */
export function checkReportForm(
  form: ReportForm,
  opts: { precision: number; operations: readonly string[] },
): { errors: Partial<Record<keyof ReportForm, string>>; body: Partial<WorkReportCreate> } {
  const errors: Partial<Record<keyof ReportForm, string>> = {};
  const value = (v: string) => v.trim() || '0';
  const quantity = (key: 'goodQuantity' | 'scrapQuantity') => {
    const v = value(form[key]);
    if (!DECIMAL.test(v)) errors[key] = '请输入不小于 0 的数字';
    else if (places(v) > Math.min(opts.precision, 4)) errors[key] = opts.precision ? `最多 ${opts.precision} 位小数` : '必须是整数';
    return v;
  };
  const good = quantity('goodQuantity');
  const scrap = quantity('scrapQuantity');
  const hours = value(form.hours);
  if (!DECIMAL.test(hours)) errors.hours = '请输入不小于 0 的数字';
  else if (places(hours) > 2) errors.hours = '最多 2 位小数';
  else if (Number(hours) > 24) errors.hours = '一次最多 24 小时';
  if (!errors.goodQuantity && !errors.scrapQuantity && !errors.hours && !isPositiveDecimal(good) && !isPositiveDecimal(scrap) && !isPositiveDecimal(hours)) {
    errors.goodQuantity = '良品、报废和工时不能都为 0';
  }
  const operation = form.operation.trim();
  if (opts.operations.length && !operation) errors.operation = '请选择工序';
  else if (opts.operations.length && !opts.operations.includes(operation)) errors.operation = `只能是${opts.operations.join('、')}之一`;
  else if (operation.length > 50) errors.operation = '最长 50 个字符';
  if (form.remark.trim().length > 200) errors.remark = '最长 200 个字符';
  const body: Partial<WorkReportCreate> = {
    goodQuantity: good, scrapQuantity: scrap, hours,
    ...(operation ? { operation } : {}),
    ...(form.remark.trim() ? { remark: form.remark.trim() } : {}),
  };
  return { errors, body };
}

/** The distinct operations the task's materials name, in line order (the 报工 picker's choices). */
export function taskOperations(task: ProductionTaskDetail): string[] {
  return [...new Set(task.materials.map((m) => m.operation).filter((o): o is string => !!o))];
}

const EVENT_WORDS: Record<string, string> = {
  create: '新建', release: '下达', issue: '配套领料', receive: '完工入库', report: '报工', close: '关闭', cancel: '取消',
};

/** The task's audit trail as timeline entries (OrderTimeline), each in words. */
export function taskTimeline(task: ProductionTaskDetail): TimelineEntry[] {
  const unit = task.item.baseUnit.name;
  return task.timeline.map((e, i) => {
    const d = (e.detail ?? {}) as Record<string, unknown>;
    const word = EVENT_WORDS[e.action] ?? e.action;
    const qty = (v: unknown) => (typeof v === 'string' ? formatQuantity(v, unit) : '');
    let message = word;
    if (e.action === 'issue' || e.action === 'receive') message = `${word} ${qty(d.quantity)}`;
    else if (e.action === 'report') {
      const parts = [isPositiveDecimal(String(d.goodQuantity)) ? `良品 ${qty(d.goodQuantity)}` : '', isPositiveDecimal(String(d.scrapQuantity)) ? `报废 ${qty(d.scrapQuantity)}` : '', isPositiveDecimal(String(d.hours)) ? `${formatQuantity(String(d.hours))} 小时` : ''];
      message = `${word}${d.operation ? `（${String(d.operation)}）` : ''} ${parts.filter(Boolean).join('，')}`;
    }
    return { id: `${i}`, kind: e.action, message: message.trim(), data: null, actor: e.user ? { id: '', name: e.user } : null, at: e.at };
  });
}
