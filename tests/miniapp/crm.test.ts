// @vitest-environment happy-dom
// CRM pages at phone width: the lead list (status tab → query), the opportunity detail's stage
// changer (POST with the stage and version; 输单 asks for a reason first), the pipeline's figures,
// the customer page's 360 sections, the follow-up form's empty-content message, and the 工作台
// entries by permission.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import CustomerDetailPage from '../../miniapp/src/pages/CustomerDetailPage.vue';
import FollowUpFormPage from '../../miniapp/src/pages/FollowUpFormPage.vue';
import LeadDetailPage from '../../miniapp/src/pages/LeadDetailPage.vue';
import LeadListPage from '../../miniapp/src/pages/LeadListPage.vue';
import OpportunityFormPage from '../../miniapp/src/pages/OpportunityFormPage.vue';
import OpportunityDetailPage from '../../miniapp/src/pages/OpportunityDetailPage.vue';
import PipelinePage from '../../miniapp/src/pages/PipelinePage.vue';
import { percent } from '../../miniapp/src/utils/crm';
import { workbenchEntries } from '../../miniapp/src/utils/menu';
import type { Customer } from '../../shared/schemas/crm';
import type { Customer360, Lead, OpportunityDetail, OpportunityStage, Pipeline } from '../../shared/schemas/crm-pipeline';
import { callUrl, createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const sales = { ...demoUser, permissions: ['customer:read', 'lead:read', 'lead:create', 'lead:update', 'lead:convert', 'opportunity:read', 'opportunity:update', 'followUp:read', 'followUp:create'] };
const stage = (id: string, name: string, probability: string, kind: OpportunityStage['kind'] = 'open', sort = 1): OpportunityStage => ({ id, name, probability, kind, sort, active: true });
const stages = [stage('s1', '初步接洽', '0.1000', 'open', 1), stage('s2', '需求确认', '0.3000', 'open', 2), stage('s3', '报价', '0.5000', 'open', 3), stage('s5', '赢单', '1.0000', 'won', 90), stage('s6', '输单', '0.0000', 'lost', 91)];
const customerRef = { id: 'c-2', name: '宁波北仑港城汽车零部件有限公司' };
const opportunity: OpportunityDetail = {
  id: 'o-1', customer: customerRef, title: '港城汽车 M8 螺栓框架', amount: '120000.00', expectedCloseDate: '2027-01-07', stage: stages[1]!,
  probability: '0.3000', weightedAmount: '36000.00', closeReason: null, closedAt: null, owner: { id: 'u-1', name: '李晓霜' }, leadId: null, remark: null,
  createdAt: '2026-12-08T09:00:00.000+08:00', updatedAt: '2026-12-08T09:00:00.000+08:00', version: 2,
  history: [{ id: 'h1', fromStage: null, toStage: '需求确认', probability: '0.3000', amount: '120000.00', reason: null, changedBy: { id: 'u-1', name: '李晓霜' }, changedAt: '2026-12-08T09:00:00.000+08:00' }],
};
const emptyPage = { items: [], total: 0, page: 1, pageSize: 50 };

describe('miniapp CRM', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs(sales);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('线索列表：卡片显示公司、状态、来源；切到「跟进中」带 status 查询', async () => {
    const lead: Lead = {
      id: 'l-1', contactName: '郑建国', company: '宁波杭州湾新区远航汽配有限公司', title: '采购经理', phone: '13805746621', email: null, source: 'exhibition',
      status: 'new', invalidReason: null, owner: { id: 'u-1', name: '李晓霜' }, customer: null, opportunityId: null, convertedAt: null, remark: null,
      createdAt: '2026-12-08T09:00:00.000+08:00', updatedAt: '2026-12-08T09:00:00.000+08:00', version: 1,
    };
    const fetchMock = stubFetch(() => jsonResponse(200, { items: [lead], total: 1, page: 1, pageSize: 20 }));
    const app = await createTestApp('/leads');
    const wrapper = mount(LeadListPage, { global: app.global });
    await flushPromises();
    expect(Object.fromEntries(callUrl(fetchMock).searchParams)).toEqual({ page: '1', pageSize: '20', sort: '-createdAt' });
    const card = wrapper.find('.lead-row');
    for (const s of ['宁波杭州湾新区远航汽配有限公司', '新建', '郑建国', '展会', '李晓霜']) expect(card.text()).toContain(s);
    await wrapper.findAll('.van-tab')[2]!.trigger('click');
    await flushPromises();
    expect(callUrl(fetchMock, fetchMock.mock.calls.length - 1).searchParams.get('status')).toBe('following');
  });

  it('线索详情：转化为客户和商机 → POST 名称、金额、日期与版本，打开新客户', async () => {
    const lead: Lead = {
      id: 'l-1', contactName: '郑建国', company: '远航汽配有限公司', title: null, phone: null, email: null, source: 'exhibition',
      status: 'following', invalidReason: null, owner: { id: 'u-1', name: '李晓霜' }, customer: null, opportunityId: null, convertedAt: null, remark: null,
      createdAt: '2026-12-08T09:00:00.000+08:00', updatedAt: '2026-12-08T09:00:00.000+08:00', version: 4,
    };
    const fetchMock = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/follow-ups') return jsonResponse(200, emptyPage);
      if (url.pathname === '/api/v1/leads/l-1/convert' && init.method === 'POST') {
        return jsonResponse(200, { lead: { ...lead, status: 'converted' }, customer: { id: 'c-9', code: 'KH-20261208-0001', name: lead.company }, opportunity: null });
      }
      return jsonResponse(200, lead);
    });
    const app = await createTestApp('/leads/l-1');
    const wrapper = mount(LeadDetailPage, { props: { id: 'l-1' }, global: app.global, attachTo: document.body });
    await flushPromises();
    expect(wrapper.find('[data-test="lead-status"]').text()).toBe('跟进中');
    await wrapper.find('[data-test="convert-lead"]').trigger('click');
    await flushPromises();
    const amount = document.querySelector<HTMLInputElement>('.van-popup input[name="amount"]')!;
    amount.value = '8000';
    amount.dispatchEvent(new Event('input'));
    document.querySelector<HTMLButtonElement>('[data-test="confirm-convert"]')!.click();
    await flushPromises();
    const post = fetchMock.mock.calls.find((c) => (c[1] as RequestInit | undefined)?.method === 'POST')!;
    const body = JSON.parse(String((post[1] as RequestInit).body));
    expect(body).toMatchObject({ createOpportunity: true, version: 4, opportunity: { title: '远航汽配有限公司 首单', amount: '8000' } });
    expect(body.opportunity.expectedCloseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(app.router.currentRoute.value.fullPath).toBe('/customers/c-9');
    wrapper.unmount();
  });

  it('新建商机：从客户页带客户；缺金额不提交；默认第一个进行中的阶段', async () => {
    const fetchMock = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/opportunity-stages') return jsonResponse(200, stages);
      if (init.method === 'POST') return jsonResponse(201, { ...opportunity, id: 'o-9' });
      return jsonResponse(200, opportunity);
    });
    const app = await createTestApp('/opportunities/new?customerId=c-2&customerName=港城汽车');
    const wrapper = mount(OpportunityFormPage, { global: app.global });
    await flushPromises();
    expect((wrapper.find('input[name="stageId"]').element as HTMLInputElement).value).toBe('初步接洽（10%）');
    await wrapper.find('input[name="title"]').setValue('框架采购');
    await wrapper.find('[data-test="save-opportunity"]').trigger('click');
    await flushPromises();
    expect(fetchMock.mock.calls.some((c) => (c[1] as RequestInit | undefined)?.method === 'POST')).toBe(false);
    expect(wrapper.text()).toContain('请填写金额');
  });

  it('商机详情：变更到「报价」POST 阶段与版本；「输单」先要原因', async () => {
    const fetchMock = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/opportunity-stages') return jsonResponse(200, stages);
      if (url.pathname === '/api/v1/follow-ups') return jsonResponse(200, emptyPage);
      if (url.pathname === '/api/v1/opportunities/o-1/stage' && init.method === 'POST') {
        return jsonResponse(200, { ...opportunity, stage: stages[2], probability: '0.5000', weightedAmount: '60000.00', version: 3 });
      }
      return jsonResponse(200, opportunity);
    });
    const app = await createTestApp('/opportunities/o-1');
    const wrapper = mount(OpportunityDetailPage, { props: { id: 'o-1' }, global: app.global, attachTo: document.body });
    await flushPromises();
    expect(wrapper.find('[data-test="opportunity-stage"]').text()).toBe('需求确认 30%');
    expect(wrapper.text()).toContain('¥36,000.00');
    await wrapper.find('[data-test="change-stage"]').trigger('click');
    await flushPromises();
    const items = [...document.querySelectorAll<HTMLButtonElement>('.van-action-sheet__item')];
    expect(items.map((b) => b.querySelector('.van-action-sheet__name')?.textContent)).toEqual(['初步接洽', '报价', '赢单', '输单']);
    items[3]!.click(); // 输单: nothing sent, a reason asked for
    await flushPromises();
    expect(fetchMock.mock.calls.some((c) => (c[1] as RequestInit | undefined)?.method === 'POST')).toBe(false);
    expect(document.body.textContent).toContain('原因');

    await wrapper.find('[data-test="change-stage"]').trigger('click');
    await flushPromises();
    [...document.querySelectorAll<HTMLButtonElement>('.van-action-sheet__item')][1]!.click();
    await flushPromises();
    const post = fetchMock.mock.calls.find((c) => (c[1] as RequestInit | undefined)?.method === 'POST')!;
    expect(JSON.parse(String((post[1] as RequestInit).body))).toEqual({ stageId: 's3', reason: null, version: 2 });
    expect(wrapper.find('[data-test="opportunity-stage"]').text()).toBe('报价 50%');
    wrapper.unmount();
  });

  it('销售漏斗：合计与每个阶段的个数、金额、加权金额', async () => {
    const pipeline: Pipeline = {
      stages: [
        { stage: stages[0]!, count: 1, amount: '50000.00', weightedAmount: '5000.00' },
        { stage: stages[1]!, count: 1, amount: '120000.00', weightedAmount: '36000.00' },
        { stage: stages[2]!, count: 0, amount: '0.00', weightedAmount: '0.00' },
      ],
      count: 2, amount: '170000.00', weightedAmount: '41000.00',
    };
    stubFetch(() => jsonResponse(200, pipeline));
    const app = await createTestApp('/opportunities/pipeline');
    const wrapper = mount(PipelinePage, { global: app.global });
    await flushPromises();
    const summary = wrapper.find('[data-test="pipeline-summary"]').text();
    for (const s of ['2 个', '¥170,000.00', '¥41,000.00']) expect(summary).toContain(s);
    const rows = wrapper.findAll('[data-test="pipeline-stage"]');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.text()).toContain('需求确认');
    expect(rows[1]!.text()).toContain('30%');
    expect(rows[1]!.text()).toContain('¥120,000.00 · 加权 ¥36,000.00');
  });

  it('客户详情下方是 360：跟进（下次联系）、商机、订单进度、应收、审批中、拜访', async () => {
    const customer = { id: 'c-2', code: 'C0002', name: customerRef.name, contacts: [], nextContactOn: '2026-12-09', owner: null, level: 'B', creditLimit: '0.00', paymentTermDays: 30, currencyCode: 'CNY' } as unknown as Customer;
    const c360: Customer360 = {
      customer, contacts: [],
      followUps: [{ id: 'f1', customer: customerRef, lead: null, opportunity: null, type: 'phone', content: '确认 M8×30 用量', nextContactOn: '2026-12-09', owner: { id: 'u-1', name: '李晓霜' }, createdAt: '2026-12-08T10:00:00.000+08:00' }],
      opportunities: [opportunity],
      orders: [{ id: 'so-1', number: 'SO-20261208-0001', orderDate: '2026-12-08', state: 'pendingApproval', totalWithTax: '850.00', shippedAmount: '0.00', shipmentProgress: 'none', invoiceProgress: 'none', paymentProgress: 'none' }],
      receivables: { asOf: '2026-12-08', open: '159.00', overdue: '109.00', unsettledCredits: '226.00', invoices: [{ number: 'SI-1', invoiceNo: null, invoiceDate: '2026-09-01', dueDate: '2026-10-16', open: '109.00', overdueDays: 53 }] },
      approvals: [{ id: 'a1', title: '销售订单 SO-20261208-0001 折扣审批', documentType: 'salesOrder', documentId: 'so-1', documentNumber: 'SO-20261208-0001', state: 'pending', createdAt: '2026-12-08T10:05:00.000+08:00' }],
      visits: [],
    };
    const fetchMock = stubFetch((url) => jsonResponse(200, url.pathname.endsWith('/360') ? c360 : customer));
    const app = await createTestApp('/customers/c-2');
    const wrapper = mount(CustomerDetailPage, { props: { id: 'c-2' }, global: app.global });
    await flushPromises();
    expect(fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://localhost').pathname)).toContain('/api/v1/customers/c-2/360');
    expect(wrapper.find('[data-test="next-contact"]').text()).toBe('下次联系 2026-12-09');
    expect(wrapper.text()).toContain('确认 M8×30 用量');
    expect(wrapper.find('[data-test="c360-opportunities"]').text()).toContain('需求确认 30%');
    expect(wrapper.find('[data-test="c360-orders"]').text()).toContain('SO-20261208-0001');
    expect(wrapper.find('[data-test="c360-orders"]').text()).toContain('发货无');
    expect(wrapper.find('[data-test="c360-receivables"]').text()).toContain('¥109.00');
    expect(wrapper.find('[data-test="c360-credits"]').text()).toContain('应退客户 ¥226.00');
    expect(wrapper.find('[data-test="c360-approvals"]').text()).toContain('折扣审批');
    expect(wrapper.find('[data-test="c360-visits"]').text()).toContain('暂无拜访记录');
  });

  it('写跟进：内容为空不提交；服务器的字段错误显示在字段下', async () => {
    const fetchMock = stubFetch(() => jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '内容：不能为空', details: [{ field: 'body.content', label: '内容', message: '不能为空' }] } }));
    const app = await createTestApp('/follow-ups/new?customerId=c-2');
    const wrapper = mount(FollowUpFormPage, { global: app.global });
    await wrapper.find('[data-test="save-follow-up"]').trigger('click');
    await flushPromises();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('请填写跟进内容');
    await wrapper.find('textarea').setValue('   x');
    await wrapper.find('[data-test="save-follow-up"]').trigger('click');
    await flushPromises();
    expect(JSON.parse(String((fetchMock.mock.calls[0]![1] as RequestInit).body))).toMatchObject({ customerId: 'c-2', type: 'phone', content: '   x', nextContactOn: null });
    expect(wrapper.text()).toContain('不能为空');
  });

  it('工作台：线索、商机、漏斗只给有权限的人；概率显示为百分数', () => {
    expect(workbenchEntries(() => false).some((e) => ['leads', 'opportunities', 'pipeline'].includes(e.key))).toBe(false);
    expect(workbenchEntries((p) => p === 'lead:read').map((e) => e.key)).toContain('leads');
    expect(workbenchEntries((p) => p === 'opportunity:read').map((e) => e.key)).toEqual(expect.arrayContaining(['opportunities', 'pipeline']));
    expect([percent('0.3000'), percent('1.0000'), percent('0.1250'), percent('0.0000')]).toEqual(['30%', '100%', '12.5%', '0%']);
  });
});
