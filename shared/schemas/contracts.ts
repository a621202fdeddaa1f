// 销售合同 and its 合同评审: a contract is drafted, submitted for review (the contractReview flow
// decides by amount) and takes effect when approved (已生效).
import { Amount, DateOnly, Id, OptionalText, pageOf, pageQuery, Timestamp, Version, z } from './common.ts';

import { CONTRACT_STATES } from '../enums.ts';
export { CONTRACT_STATE_LABELS } from '../enums.ts';
export type { ContractState } from '../enums.ts';

const Ref = z.object({ id: z.string(), name: z.string() });

const contractFields = {
  title: z.string({ message: '请填写合同名称' }).trim().min(1, '请填写合同名称').max(120, '最长 120 个字符'),
  customerId: Id,
  ownerId: Id.optional().openapi({ description: '负责销售员；默认是录入人' }),
  amount: Amount().refine((v) => Number(v) > 0, { message: '合同金额必须大于 0' }).openapi({ description: '合同金额（含税，人民币）', example: '180000.00' }),
  signDate: DateOnly.optional().openapi({ description: '签订日期；默认今天' }),
  startDate: DateOnly.nullish(),
  endDate: DateOnly.nullish(),
  paymentTerms: OptionalText(200).openapi({ description: '付款条件，如 月结 30 天' }),
  content: OptionalText(2000).openapi({ description: '主要条款' }),
  attachmentId: Id.nullish().openapi({ description: '合同扫描件（先上传到 /attachments）' }),
};
const period = (c: { startDate?: string | null; endDate?: string | null }, ctx: z.RefinementCtx) => {
  if (c.startDate && c.endDate && c.endDate < c.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: '结束日期不能早于开始日期' });
};

export const ContractCreate = z.object(contractFields).superRefine(period).openapi('ContractCreate');
export const ContractUpdate = z
  .object({
    ...contractFields,
    title: contractFields.title.optional(),
    customerId: contractFields.customerId.optional(),
    amount: contractFields.amount.optional(),
    version: Version,
  })
  .superRefine(period)
  .openapi('ContractUpdate', { description: '只有草稿可以修改' });
export const ContractCancel = z.object({ reason: OptionalText(200) }).openapi('ContractCancel');

export const Contract = z
  .object({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    customer: z.object({ id: z.string(), code: z.string(), name: z.string() }),
    owner: Ref,
    amount: z.string(),
    signDate: z.string(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    paymentTerms: z.string().nullable(),
    content: z.string().nullable(),
    attachmentId: z.string().nullable(),
    state: z.enum(CONTRACT_STATES),
    stateLabel: z.string(),
    approvalId: z.string().nullable().openapi({ description: '最近一次合同评审' }),
    createdBy: Ref,
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number().int(),
  })
  .openapi('Contract');

export const ContractListQuery = pageQuery(['number', 'signDate', 'amount', 'createdAt']).extend({
  state: z.enum(CONTRACT_STATES, { message: `状态只能是 ${CONTRACT_STATES.join('、')}` }).optional(),
  customerId: Id.optional(),
  ownerId: Id.optional().openapi({ description: '负责销售员' }),
  from: DateOnly.optional().openapi({ description: '签订日期起（含）' }),
  to: DateOnly.optional().openapi({ description: '签订日期止（含）' }),
});
export const ContractPage = pageOf(Contract).openapi('ContractPage');

export type ContractCreate = z.infer<typeof ContractCreate>;
export type ContractUpdate = z.infer<typeof ContractUpdate>;
export type Contract = z.infer<typeof Contract>;
export type ContractListQuery = z.infer<typeof ContractListQuery>;
