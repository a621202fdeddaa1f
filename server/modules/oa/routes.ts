// OA 单据: 费用报销 and 请假 — anyone signed in files their own; approval:read sees all; the
// accountant (expense:pay) pays approved claims. 工作日历 (company settings) counts leave days.
import { IdParams } from '../../../shared/schemas/common.ts';
import {
  ExpenseClaim, ExpenseClaimCreate, ExpenseClaimListQuery, ExpenseClaimPage, ExpenseClaimPay, ExpenseClaimUpdate,
  LeaveCalendar, LeaveCalendarQuery, LeaveDays, LeaveDaysQuery, LeaveRequest, LeaveRequestCreate, LeaveRequestListQuery, LeaveRequestPage, LeaveRequestUpdate,
  WorkCalendarDay, WorkCalendarDayCreate, WorkCalendarListQuery, WorkCalendarPage,
} from '../../../shared/schemas/oa.ts';
import type { ApiRouter } from '../../platform/http.ts';
import { registerAttachable } from '../attachments/index.ts';
import { createClaim, expenseClaimAttachable, getClaim, listClaims, payClaim, submitClaim, updateClaim } from './expenses.ts';
import { createLeave, getLeave, leaveCalendar, listLeave, previewLeaveDays, submitLeave, updateLeave } from './leave.ts';
import { createWorkCalendarDay, deleteWorkCalendarDay, listWorkCalendar } from './work-calendar.ts';

export function oaRoutes(api: ApiRouter): void {
  const tag = '费用报销';
  registerAttachable('expenseClaim', expenseClaimAttachable);
  api.route({
    method: 'get', path: '/expense-claims', tag, summary: '我的报销单（approval:read 可看全部；readyForPayment=true 为待付款）', permission: null,
    query: ExpenseClaimListQuery, response: ExpenseClaimPage,
    handler: ({ ctx, query }) => listClaims(ctx, query),
  });
  api.route({
    method: 'get', path: '/expense-claims/:id', tag, summary: '报销单详情', permission: null,
    params: IdParams, response: ExpenseClaim,
    handler: ({ ctx, params }) => getClaim(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/expense-claims', tag, summary: '新增报销单（草稿）', permission: null, status: 201,
    body: ExpenseClaimCreate, response: ExpenseClaim,
    handler: ({ ctx, body }) => createClaim(ctx, body),
  });
  api.route({
    method: 'patch', path: '/expense-claims/:id', tag, summary: '修改报销单草稿（需提交 version）', permission: null,
    params: IdParams, body: ExpenseClaimUpdate, response: ExpenseClaim,
    handler: ({ ctx, params, body }) => updateClaim(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/expense-claims/:id/submit', tag, summary: '提交报销单审批（无需审批时直接批准、待付款）', permission: null,
    params: IdParams, response: ExpenseClaim,
    handler: ({ ctx, params }) => submitClaim(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/expense-claims/:id/pay', tag, summary: '付款：已批准待付款的报销单 → 已付款（记录付款日期、账户、付款人，并通知申请人）', permission: 'expense:pay',
    params: IdParams, body: ExpenseClaimPay, response: ExpenseClaim,
    handler: ({ ctx, params, body }) => payClaim(ctx, params.id, body),
  });

  const leave = '请假';
  api.route({
    method: 'get', path: '/leave-requests/calendar', tag: leave, summary: '请假日历：部门（含下级）在期间内已批准的请假', permission: null,
    query: LeaveCalendarQuery, response: LeaveCalendar,
    handler: ({ ctx, query }) => leaveCalendar(ctx, query),
  });
  api.route({
    method: 'get', path: '/leave-requests/days', tag: leave, summary: '按工作日历计算请假天数（半天为单位；时间须带时区，如 +08:00）', permission: null,
    query: LeaveDaysQuery, response: LeaveDays,
    handler: ({ ctx, query }) => previewLeaveDays(ctx, query),
  });
  api.route({
    method: 'get', path: '/leave-requests', tag: leave, summary: '我的请假单（approval:read 可看全部）', permission: null,
    query: LeaveRequestListQuery, response: LeaveRequestPage,
    handler: ({ ctx, query }) => listLeave(ctx, query),
  });
  api.route({
    method: 'get', path: '/leave-requests/:id', tag: leave, summary: '请假单详情', permission: null,
    params: IdParams, response: LeaveRequest,
    handler: ({ ctx, params }) => getLeave(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/leave-requests', tag: leave, summary: '新增请假单（草稿）', permission: null, status: 201,
    body: LeaveRequestCreate, response: LeaveRequest,
    handler: ({ ctx, body }) => createLeave(ctx, body),
  });
  api.route({
    method: 'patch', path: '/leave-requests/:id', tag: leave, summary: '修改请假单草稿（需提交 version；天数按工作日历重新计算）', permission: null,
    params: IdParams, body: LeaveRequestUpdate, response: LeaveRequest,
    handler: ({ ctx, params, body }) => updateLeave(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/leave-requests/:id/submit', tag: leave, summary: '提交请假审批', permission: null,
    params: IdParams, response: LeaveRequest,
    handler: ({ ctx, params }) => submitLeave(ctx, params.id),
  });

  const calendar = '工作日历';
  api.route({
    method: 'get', path: '/work-calendar', tag: calendar, summary: '工作日历：节假日与调休上班日（分页，按年份/类型筛选，搜索名称）', permission: 'company:read',
    query: WorkCalendarListQuery, response: WorkCalendarPage,
    handler: ({ ctx, query }) => listWorkCalendar(ctx, query),
  });
  api.route({
    method: 'post', path: '/work-calendar', tag: calendar, summary: '新增节假日或调休上班日', permission: 'company:update', status: 201,
    body: WorkCalendarDayCreate, response: WorkCalendarDay,
    handler: ({ ctx, body }) => createWorkCalendarDay(ctx, body),
  });
  api.route({
    method: 'delete', path: '/work-calendar/:id', tag: calendar, summary: '删除工作日历中的一天', permission: 'company:update', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteWorkCalendarDay(ctx, params.id),
  });
}
