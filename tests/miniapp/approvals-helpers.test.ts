// The mini-app's pure helpers for 审批, 费用报销 and 请假.
import { describe, expect, it } from 'vitest';
import type { ApprovalHistoryEntry } from '../../shared/schemas/approvals';
import {
  approvalProgress,
  approvalStateTagType,
  commentError,
  documentLinkText,
  documentPath,
  historyMessage,
  historyTimeline,
  isApprovalBox,
  pendingBadge,
  rejectReasonError,
  stepModeLabel,
  summaryFields,
  summaryRule,
  taskOriginLabel,
  taskStateLabel,
} from '../../miniapp/src/utils/approvals';
import {
  emptyExpenseLine,
  expenseClaimInput,
  expenseLineErrors,
  leaveErrors,
  leaveRequestInput,
  monthRange,
  shanghaiIso,
  sumAmounts,
  ticketTaxPreview,
} from '../../miniapp/src/utils/oa';

describe('审批 helpers', () => {
  it('summary fields and rule: only well-formed {label, value} rows; the rule trimmed', () => {
    const summary = {
      fields: [{ label: '客户', value: '宁波港城' }, { label: '折扣', value: '15.0%' }, { label: '数量', value: 3 }, { label: '', value: 'x' }, { value: 'no label' }, null, 'junk', { label: '对象', value: { a: 1 } }],
      rule: ' 折扣 15.0% 超过 10%，需销售经理审批 ',
    };
    expect(summaryFields(summary)).toEqual([
      { label: '客户', value: '宁波港城' },
      { label: '折扣', value: '15.0%' },
      { label: '数量', value: '3' },
    ]);
    expect(summaryRule(summary)).toBe('折扣 15.0% 超过 10%，需销售经理审批');
    expect(summaryFields({ fields: 'nope' })).toEqual([]);
    expect(summaryFields(null)).toEqual([]);
    expect(summaryRule({ rule: '   ' })).toBeNull();
    expect(summaryRule({})).toBeNull();
  });

  it('document path: "sales-orders/<id>" → "/sales-orders/<id>"; anything odd → null', () => {
    expect(documentPath('sales-orders/0f8e2a3c-1b2d-4c5e-8f9a-0b1c2d3e4f50')).toBe('/sales-orders/0f8e2a3c-1b2d-4c5e-8f9a-0b1c2d3e4f50');
    expect(documentPath('/expense-claims/abc-1')).toBe('/expense-claims/abc-1');
    expect(documentPath(null)).toBeNull();
    expect(documentPath('')).toBeNull();
    expect(documentPath('https://evil.example/x')).toBeNull();
    expect(documentPath('//evil.example/x')).toBeNull();
    expect(documentPath('sales-orders/1/../../x')).toBeNull();
    expect(documentPath('sales-orders')).toBeNull();
    expect(documentLinkText('salesOrder')).toBe('查看销售订单');
    expect(documentLinkText('contract')).toBe('查看合同');
    expect(documentLinkText('general')).toBe('查看单据');
  });

  it('badge: empty for 0 / null, 99+ above 99', () => {
    expect(pendingBadge(0)).toBe('');
    expect(pendingBadge(null)).toBe('');
    expect(pendingBadge(undefined)).toBe('');
    expect(pendingBadge(1)).toBe('1');
    expect(pendingBadge(99)).toBe('99');
    expect(pendingBadge(100)).toBe('99+');
  });

  it('labels of states, tasks, steps and origins', () => {
    expect(isApprovalBox('cc')).toBe(true);
    expect(isApprovalBox('all')).toBe(false);
    expect(approvalStateTagType('pending')).toBe('warning');
    expect(approvalStateTagType('approved')).toBe('success');
    expect(approvalStateTagType('rejected')).toBe('danger');
    expect(approvalStateTagType('withdrawn')).toBe('default');
    expect(taskStateLabel('transferred')).toBe('已转交');
    expect(taskStateLabel('somethingNew')).toBe('somethingNew');
    expect(taskOriginLabel({ origin: 'addApprover' })).toBe('加签');
    expect(taskOriginLabel({ origin: 'rule' })).toBe('');
    const task = { id: 't', approver: { id: 'u', name: 'x' }, state: 'pending' as const, origin: 'rule', comment: null, decidedAt: null };
    expect(stepModeLabel({ mode: 'anyOf', tasks: [task] })).toBe('');
    expect(stepModeLabel({ mode: 'anyOf', tasks: [task, task] })).toBe('或签 · 一人同意即可');
    expect(stepModeLabel({ mode: 'allOf', tasks: [task, task] })).toBe('会签 · 需全部同意');
  });

  it('progress line: the current step, or who ended it and when', () => {
    expect(approvalProgress({ state: 'pending', currentStep: { index: 1, name: '总经理', mode: 'anyOf' }, decidedBy: null, decidedAt: null, stateLabel: '审批中' })).toBe('当前节点：总经理');
    expect(
      approvalProgress({ state: 'approved', currentStep: null, decidedBy: { id: 'u', name: '张经理' }, decidedAt: '2026-11-24T15:04:00.000+08:00', stateLabel: '已同意' }),
    ).toBe('张经理 2026-11-24 15:04 已同意');
    expect(approvalProgress({ state: 'withdrawn', currentStep: null, decidedBy: null, decidedAt: null, stateLabel: '已撤回' })).toBe('已撤回');
  });

  it('history lines: 提交审批 with the rule, 同意 with the comment, 转交给 / 加签 with the name', () => {
    const entry = (action: string, actionLabel: string, comment: string | null, payload: unknown = null): ApprovalHistoryEntry => ({
      id: action, action, actionLabel, actor: { id: 'u', name: '张经理' }, comment, payload, at: '2026-11-24T15:04:00.000+08:00',
    });
    expect(historyMessage(entry('submit', '提交', '折扣 15.0% 超过 10%，需销售经理审批'))).toBe('提交审批：折扣 15.0% 超过 10%，需销售经理审批');
    expect(historyMessage(entry('agree', '同意', null))).toBe('同意');
    expect(historyMessage(entry('agree', '同意', ' 下不为例 '))).toBe('同意：下不为例');
    expect(historyMessage(entry('reject', '驳回', '折扣过大'))).toBe('驳回：折扣过大');
    expect(historyMessage(entry('transfer', '转交', '出差中', { toName: '老板', toUserId: 'b' }))).toBe('转交给 老板：出差中');
    expect(historyMessage(entry('addApprover', '加签', null, { name: '吴销售' }))).toBe('加签 吴销售');
    expect(historyMessage(entry('transfer', '转交', null, 'odd payload'))).toBe('转交');
    const timeline = historyTimeline([entry('submit', '提交', null), entry('agree', '同意', 'ok')]);
    expect(timeline.map((t) => [t.kind, t.message, t.actor?.name])).toEqual([
      ['submit', '提交审批', '张经理'],
      ['agree', '同意：ok', '张经理'],
    ]);
  });

  it('reject reason is required and at most 500 characters; comments likewise when required', () => {
    expect(rejectReasonError('')).toBe('请填写驳回原因');
    expect(rejectReasonError('   ')).toBe('请填写驳回原因');
    expect(rejectReasonError('折扣过大')).toBeNull();
    expect(rejectReasonError('字'.repeat(501))).toBe('驳回原因最多 500 个字');
    expect(commentError('', false)).toBeNull();
    expect(commentError('', true)).toBe('请填写评论内容');
    expect(commentError('x'.repeat(501), false)).toBe('最多 500 个字');
  });
});

describe('报销 / 请假 helpers', () => {
  it('expense line checks: category, amount > 0 with at most 2 decimals, lengths', () => {
    expect(expenseLineErrors(emptyExpenseLine())).toEqual({ category: '请选择费用类别', amount: '请填写金额' });
    const ok = { category: 'travel', amount: '268.5', invoiceNo: '12345678', description: '', attachmentId: null };
    expect(expenseLineErrors(ok)).toEqual({});
    expect(expenseLineErrors({ ...ok, category: 'yacht' }).category).toBe('请选择费用类别');
    expect(expenseLineErrors({ ...ok, amount: '0' }).amount).toBe('金额必须大于 0');
    expect(expenseLineErrors({ ...ok, amount: '0.00' }).amount).toBe('金额必须大于 0');
    expect(expenseLineErrors({ ...ok, amount: '1.234' }).amount).toBe('金额格式不对，最多两位小数');
    expect(expenseLineErrors({ ...ok, amount: '-5' }).amount).toBe('金额格式不对，最多两位小数');
    expect(expenseLineErrors({ ...ok, amount: '1e3' }).amount).toBe('金额格式不对，最多两位小数');
    expect(expenseLineErrors({ ...ok, invoiceNo: '9'.repeat(41) }).invoiceNo).toBe('发票号最多 40 个字符');
    expect(expenseLineErrors({ ...ok, description: '字'.repeat(201) }).description).toBe('说明最多 200 个字');
  });

  it('expense line 税额: typed for 专票 (≤ 金额), computed for tickets (railway 553 → 45.66, air on 票价+燃油), sent only when typed', () => {
    const line = { ...emptyExpenseLine(), category: 'travel', amount: '553' };
    expect(ticketTaxPreview({ ...line, invoiceKind: 'railTicket' })).toBe('45.66');
    expect(ticketTaxPreview({ ...line, amount: '1350', invoiceKind: 'airTicket', fareAndFuel: '1300' })).toBe('107.34');
    expect(ticketTaxPreview({ ...line, amount: '103', invoiceKind: 'roadWaterTicket' })).toBe('3.00');
    expect(ticketTaxPreview({ ...line, invoiceKind: 'special' })).toBe('');
    expect(expenseLineErrors({ ...line, invoiceKind: 'special' }).taxAmount).toBe('增值税专用发票请填写税额');
    expect(expenseLineErrors({ ...line, invoiceKind: 'special', taxAmount: '553.01' }).taxAmount).toBe('税额不能大于金额');
    expect(expenseLineErrors({ ...line, invoiceKind: 'special', taxAmount: '-1' }).taxAmount).toBe('税额格式不对，不能为负，最多两位小数');
    expect(expenseLineErrors({ ...line, invoiceKind: 'special', taxAmount: '63.62' })).toEqual({});
    expect(expenseLineErrors({ ...line, invoiceKind: 'airTicket', fareAndFuel: '600' }).fareAndFuel).toBe('票价+燃油附加费不能大于金额');
    expect(expenseClaimInput([{ ...line, invoiceKind: 'railTicket', taxAmount: '1' }], '').lines[0]).toEqual({
      category: 'travel', amount: '553', invoiceNo: null, description: null, attachmentId: null, invoiceKind: 'railTicket',
    });
    expect(expenseClaimInput([{ ...line, invoiceKind: 'special', taxAmount: ' 63.62 ' }], '').lines[0]).toMatchObject({ invoiceKind: 'special', taxAmount: '63.62' });
  });

  it('sums amounts in cents without floats', () => {
    expect(sumAmounts(['268.5', '120'])).toBe('388.50');
    expect(sumAmounts(['0.1', '0.2'])).toBe('0.30');
    expect(sumAmounts(['999999999999.99', '0.01'])).toBe('1000000000000.00');
    expect(sumAmounts(['', 'abc', '5'])).toBe('5.00');
    expect(sumAmounts([])).toBe('0.00');
  });

  it('expense claim body: trimmed, empty optional fields as null', () => {
    expect(expenseClaimInput([{ category: 'meal', amount: ' 120 ', invoiceNo: ' ', description: ' 午餐 ', attachmentId: null }], '  ')).toEqual({
      remark: null,
      lines: [{ category: 'meal', amount: '120', invoiceNo: null, description: '午餐', attachmentId: null }],
    });
    expect(expenseClaimInput([{ category: 'travel', amount: '88', invoiceNo: '', description: '', attachmentId: 'a1' }], '').lines[0]!.attachmentId).toBe('a1');
  });

  it('leave: Shanghai times, checks (the days are the server’s to count)', () => {
    expect(shanghaiIso('2026-12-02T09:00')).toBe('2026-12-02T09:00:00+08:00');
    expect(shanghaiIso('2026-12-02T09:00:30')).toBe('2026-12-02T09:00:00+08:00');
    expect(shanghaiIso('2026-12-02')).toBeNull();
    expect(shanghaiIso('')).toBeNull();

    const draft = { kind: 'annual', start: '2026-12-02T09:00', end: '2026-12-04T18:00', reason: '回老家办事' };
    expect(leaveErrors(draft)).toEqual({});
    expect(leaveErrors({ kind: '', start: '', end: '', reason: ' ' })).toEqual({
      kind: '请选择假期类型', start: '请选择开始时间', end: '请选择结束时间', reason: '请填写请假事由',
    });
    expect(leaveErrors({ ...draft, end: '2026-12-01T18:00' }).end).toBe('结束时间必须晚于开始时间');
    expect(leaveErrors({ ...draft, end: draft.start }).end).toBe('结束时间必须晚于开始时间');
    expect(leaveErrors({ ...draft, reason: '字'.repeat(501) }).reason).toBe('事由最多 500 个字');
    expect(leaveRequestInput({ ...draft, reason: ' 回老家办事 ' })).toEqual({
      kind: 'annual', startAt: '2026-12-02T09:00:00+08:00', endAt: '2026-12-04T18:00:00+08:00', reason: '回老家办事',
    });
  });

  it('month range in Shanghai (the last day of the month, and the day after midnight there)', () => {
    expect(monthRange(new Date('2026-02-10T00:00:00Z'))).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthRange(new Date('2028-02-10T00:00:00Z'))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    // 2026-11-30 17:00 UTC is already 1 December in Shanghai
    expect(monthRange(new Date('2026-11-30T17:00:00Z'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});
