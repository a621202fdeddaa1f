// 销售合同 routes: thin edge over service.ts; submitting needs contract:update like editing.
import { IdParams } from '../../../../shared/schemas/common.ts';
import { Contract, ContractCancel, ContractCreate, ContractListQuery, ContractPage, ContractUpdate } from '../../../../shared/schemas/contracts.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { registerAttachable } from '../../attachments/index.ts';
import { cancelContract, contractAttachable, createContract, deleteContract, getContract, listContracts, submitContract, updateContract } from './service.ts';

export function contractRoutes(api: ApiRouter): void {
  const tag = '销售合同';
  registerAttachable('contract', contractAttachable);
  api.route({
    method: 'get', path: '/contracts', tag, summary: '销售合同列表（按编号/名称/客户搜索，按状态、客户、销售员、签订日期筛选；按数据范围）', permission: 'contract:read',
    query: ContractListQuery, response: ContractPage,
    handler: ({ ctx, query }) => listContracts(ctx, query),
  });
  api.route({
    method: 'get', path: '/contracts/:id', tag, summary: '销售合同详情（含最近一次合同评审）', permission: 'contract:read',
    params: IdParams, response: Contract,
    handler: ({ ctx, params }) => getContract(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/contracts', tag, summary: '新增销售合同（草稿）', permission: 'contract:create', status: 201,
    body: ContractCreate, response: Contract,
    handler: ({ ctx, body }) => createContract(ctx, body),
  });
  api.route({
    method: 'patch', path: '/contracts/:id', tag, summary: '修改合同草稿（需提交 version）', permission: 'contract:update',
    params: IdParams, body: ContractUpdate, response: Contract,
    handler: ({ ctx, params, body }) => updateContract(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/contracts/:id', tag, summary: '删除合同草稿（评审过的合同请作废）', permission: 'contract:delete', status: 204,
    params: IdParams,
    handler: async ({ ctx, params }) => { await deleteContract(ctx, params.id); },
  });
  api.route({
    method: 'post', path: '/contracts/:id/submit', tag, summary: '提交合同评审（合同评审流程适用时进入评审中；否则直接生效）', permission: 'contract:update',
    params: IdParams, response: Contract,
    handler: ({ ctx, params }) => submitContract(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/contracts/:id/cancel', tag, summary: '作废合同（草稿或已生效；评审中的合同同时结束评审）', permission: 'contract:cancel',
    params: IdParams, body: ContractCancel, response: Contract,
    handler: ({ ctx, params, body }) => cancelContract(ctx, params.id, body.reason),
  });
}
