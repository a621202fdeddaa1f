// 审批卡片: asks with 同意 / 驳回 while pending; after the decision every copy says who decided
// when, and the buttons are gone.
import { describe, expect, it } from 'vitest';
import { approvalCard, type ApprovalCardFacts } from '../../bot/cards/approval.ts';
import { cardToText } from '../../bot/cards/text.ts';

const facts: ApprovalCardFacts = {
  approvalId: 'a1', title: '销售折扣审批 · SO-20261123-0001', businessTypeLabel: '销售折扣', applicantName: '李销售',
  documentNumber: 'SO-20261123-0001',
  fields: [{ label: '客户', value: '宁波市鄞州恒力机械有限公司' }, { label: '金额', value: '¥12,345.60' }, { label: '折扣', value: '15.0%' }],
  rule: '折扣 15.0% 超过 10%，需销售经理审批',
  history: [{ who: '李销售', action: 'submit', at: '2026-11-23T15:01:00.000+08:00' }],
  state: 'pending', stepName: '销售经理', documentVersion: 3, documentRoute: 'sales-orders/o1',
};

describe('审批卡片', () => {
  it('审批中：申请人、金额、折扣、原因、同意/驳回按钮带回审批编号与单据版本', () => {
    const card = approvalCard(facts, { baseUrl: 'https://yq.example.cn' });
    expect(card.tone).toBe('warning');
    expect(card.fields).toContainEqual({ label: '折扣', value: '15.0%' });
    expect(card.fields).toContainEqual({ label: '状态', value: '审批中 · 销售经理' });
    expect(card.buttons?.map((b) => b.text)).toEqual(['同意', '驳回']);
    expect(card.buttons?.[0]?.value).toEqual({ kind: 'approval', approvalId: 'a1', decision: 'agree', documentVersion: '3' });
    expect(card.link?.url).toBe('https://yq.example.cn/m/#/sales-orders/o1');
    expect(cardToText(card)).toContain('¥12,345.60');
    expect(cardToText(card)).toContain('李销售 提交 · 11-23 15:01');
  });

  it('已同意：谁、何时，按钮消失', () => {
    const card = approvalCard({ ...facts, state: 'approved', decidedBy: '张经理', decidedAt: '2026-11-23T15:04:09.000+08:00',
      history: [...facts.history, { who: '张经理', action: 'agree', at: '2026-11-23T15:04:09.000+08:00' }] });
    expect(card.tone).toBe('success');
    expect(card.buttons).toBeUndefined();
    expect(card.lines).toContain('**已同意** · 张经理 · 11-23 15:04');
    expect(card.fields).toContainEqual({ label: '状态', value: '已同意' });
  });

  it('已驳回：写明原因', () => {
    const card = approvalCard({ ...facts, state: 'rejected', decidedBy: '老板', decidedAt: '2026-11-23T16:00:00.000+08:00', rejectReason: '折扣过大' });
    expect(card.tone).toBe('danger');
    expect(card.lines).toContain('驳回原因：折扣过大');
    expect(card.buttons).toBeUndefined();
  });

  it('请假/报销卡片只有一个申请人（早先保存的摘要里自带的申请人不再重复）', () => {
    const leave = approvalCard({
      ...facts, title: '请假 · 李销售 · 年假 4.0 天', businessTypeLabel: '请假', documentNumber: 'QJ-20261201-0001',
      fields: [{ label: '申请人', value: '李销售' }, { label: '类型', value: '年假' }, { label: '天数', value: '4.0 天' }],
    });
    expect(leave.fields.filter((f) => f.label === '申请人')).toEqual([{ label: '申请人', value: '李销售' }]);
    expect(leave.fields.map((f) => f.label)).toEqual(['申请人', '单号', '类型', '天数', '状态']);
  });
});
