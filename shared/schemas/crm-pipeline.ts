// 线索、商机（阶段、销售漏斗、预测）、跟进记录与客户 360
import { FOLLOW_UP_TYPES, LEAD_SOURCES, LEAD_STATUSES, OPPORTUNITY_STAGE_KINDS } from '../enums.ts';
import { Amount, DateOnly, Id, OptionalText, pageOf, pageQuery, Rate, Timestamp, Version, z } from './common.ts';
import { Contact, Customer } from './crm.ts';
import { Visit } from './visits.ts';

/** Required text: empty after trimming is "不能为空", named by the field's label. */
const Text = (max: number) => z.string().trim().min(1).max(max, `最长 ${max} 个字符`);
const Person = z.object({ id: z.string(), name: z.string() });

export const LeadSource = z.enum(LEAD_SOURCES, { message: '来源只能是 官网、展会、转介绍、电话、其他' });
export const LeadStatus = z.enum(LEAD_STATUSES, { message: '状态只能是 新建、跟进中、已转化、无效' });
export const FollowUpType = z.enum(FOLLOW_UP_TYPES, { message: '跟进方式只能是 电话、拜访、微信、邮件、其他' });
export const OpportunityStageKind = z.enum(OPPORTUNITY_STAGE_KINDS, { message: '阶段类别只能是 进行中、赢单、输单、无效' });

// ---------- 线索 ----------

const leadFields = {
  contactName: Text(50),
  company: Text(100),
  title: OptionalText(50),
  phone: OptionalText(30),
  email: z.email('邮箱格式不正确').max(100).nullish(),
  source: LeadSource,
  remark: OptionalText(500),
};

export const LeadCreate = z
  .object({ ...leadFields, ownerId: Id.nullish().openapi({ description: '负责人；默认为创建人，指定他人需要「分配线索」权限' }) })
  .openapi('LeadCreate');

export const LeadUpdate = z
  .object({
    ...leadFields,
    status: z.enum(['new', 'following', 'invalid'], { message: '状态只能改为 新建、跟进中、无效（转化请用「转化」）' }),
    invalidReason: OptionalText(200),
  })
  .partial()
  .extend({ version: Version })
  .refine((v) => v.status !== 'invalid' || !!v.invalidReason, { message: '标记为无效时必须填写无效原因', path: ['invalidReason'] })
  .openapi('LeadUpdate', { description: '只需提交要修改的字段' });

export const LeadAssign = z.object({ ownerId: Id, version: Version }).openapi('LeadAssign');

export const LeadConvert = z
  .object({
    createOpportunity: z.boolean().default(true),
    opportunity: z
      .object({
        title: Text(100),
        amount: Amount(),
        expectedCloseDate: DateOnly,
        stageId: Id.nullish().openapi({ description: '默认为第一个进行中的阶段' }),
      })
      .nullish(),
    version: Version,
  })
  .refine((v) => !v.createOpportunity || !!v.opportunity, { message: '同时创建商机时必须填写商机', path: ['opportunity'] })
  .openapi('LeadConvert');

export const Lead = z
  .object({
    id: z.string(),
    contactName: z.string(),
    company: z.string(),
    title: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    source: LeadSource,
    status: LeadStatus,
    invalidReason: z.string().nullable(),
    owner: Person.nullable(),
    customer: Person.nullable(),
    opportunityId: z.string().nullable(),
    convertedAt: Timestamp.nullable(),
    remark: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Lead');

export const LeadListQuery = pageQuery(['createdAt', 'updatedAt', 'company']).extend({
  status: LeadStatus.optional(),
  source: LeadSource.optional(),
  ownerId: Id.optional(),
});
export const LeadPage = pageOf(Lead).openapi('LeadPage');

// ---------- 商机阶段 ----------

export const OpportunityStage = z
  .object({ id: z.string(), name: z.string(), probability: z.string(), kind: OpportunityStageKind, sort: z.number(), active: z.boolean() })
  .openapi('OpportunityStage');
export const OpportunityStageList = z.array(OpportunityStage).openapi('OpportunityStageList');

export const OpportunityStagesReplace = z
  .object({
    stages: z
      .array(z.object({
        id: Id.nullish().openapi({ description: '已有阶段的 ID；新阶段不填' }),
        name: Text(30),
        probability: Rate(),
      }))
      .min(1, '至少一个进行中的阶段')
      .max(20, '最多 20 个阶段'),
  })
  .refine((v) => new Set(v.stages.map((s) => s.name)).size === v.stages.length, { message: '阶段名称不能重复', path: ['stages'] })
  .openapi('OpportunityStagesReplace', { description: '进行中的阶段，按顺序；赢单、输单、无效为固定的结束阶段。未列出的已有阶段停用' });

// ---------- 商机 ----------

const opportunityFields = {
  customerId: Id,
  title: Text(100),
  amount: Amount(),
  expectedCloseDate: DateOnly,
  remark: OptionalText(500),
};

export const OpportunityCreate = z
  .object({
    ...opportunityFields,
    stageId: Id.nullish().openapi({ description: '默认为第一个进行中的阶段' }),
    ownerId: Id.nullish().openapi({ description: '负责人；默认为客户的负责人' }),
  })
  .openapi('OpportunityCreate');

export const OpportunityUpdate = z
  .object({ title: opportunityFields.title, amount: opportunityFields.amount, expectedCloseDate: opportunityFields.expectedCloseDate, remark: opportunityFields.remark })
  .partial()
  .extend({ version: Version })
  .openapi('OpportunityUpdate', { description: '只需提交要修改的字段；阶段用「变更阶段」' });

export const OpportunityStageMove = z
  .object({ stageId: Id, reason: OptionalText(200), version: Version })
  .openapi('OpportunityStageMove', { description: '输单、无效必须填写原因' });

export const OpportunityStageChange = z.object({
  id: z.string(),
  fromStage: z.string().nullable(),
  toStage: z.string(),
  probability: z.string(),
  amount: z.string(),
  reason: z.string().nullable(),
  changedBy: Person,
  changedAt: Timestamp,
});

export const Opportunity = z
  .object({
    id: z.string(),
    customer: Person,
    title: z.string(),
    amount: z.string(),
    expectedCloseDate: z.string(),
    stage: OpportunityStage,
    probability: z.string(),
    /** 金额 × 赢单概率 */
    weightedAmount: z.string(),
    closeReason: z.string().nullable(),
    closedAt: Timestamp.nullable(),
    owner: Person.nullable(),
    leadId: z.string().nullable(),
    remark: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Opportunity');

export const OpportunityDetail = Opportunity.extend({ history: z.array(OpportunityStageChange) }).openapi('OpportunityDetail');

export const OpportunityListQuery = pageQuery(['createdAt', 'updatedAt', 'amount', 'expectedCloseDate']).extend({
  stageId: Id.optional(),
  kind: OpportunityStageKind.optional(),
  customerId: Id.optional(),
  ownerId: Id.optional(),
});
export const OpportunityPage = pageOf(Opportunity).openapi('OpportunityPage');

export const PipelineQuery = z.object({ ownerId: Id.optional() });
export const Pipeline = z
  .object({
    stages: z.array(z.object({ stage: OpportunityStage, count: z.number().int(), amount: z.string(), weightedAmount: z.string() })),
    count: z.number().int(),
    amount: z.string(),
    weightedAmount: z.string(),
  })
  .openapi('Pipeline', { description: '进行中的商机按阶段：个数、金额、金额 × 赢单概率' });

const Month = z.string().trim().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
export const ForecastQuery = z.object({
  from: Month.openapi({ description: '起始月份（预计成交日期），YYYY-MM' }),
  to: Month.openapi({ description: '截止月份（含），YYYY-MM' }),
  ownerId: Id.optional(),
}).refine((v) => v.from <= v.to, { message: '截止月份不能早于起始月份', path: ['to'] });
export const OpportunityForecast = z
  .object({
    rows: z.array(z.object({
      month: z.string(),
      owner: Person.nullable(),
      count: z.number().int(),
      amount: z.string(),
      weightedAmount: z.string(),
      wonAmount: z.string(),
    })),
    amount: z.string(),
    weightedAmount: z.string(),
    wonAmount: z.string(),
  })
  .openapi('OpportunityForecast', { description: '按预计成交月份和负责人：进行中商机的金额与加权金额（金额 × 赢单概率），已赢单金额' });

// ---------- 跟进记录 ----------

export const FollowUpCreate = z
  .object({
    customerId: Id.nullish(),
    leadId: Id.nullish(),
    opportunityId: Id.nullish(),
    type: FollowUpType,
    content: Text(2000),
    nextContactOn: DateOnly.nullish(),
  })
  .refine((v) => !!v.customerId || !!v.leadId, { message: '请选择客户或线索', path: ['customerId'] })
  .openapi('FollowUpCreate');

export const FollowUp = z
  .object({
    id: z.string(),
    customer: Person.nullable(),
    lead: z.object({ id: z.string(), company: z.string() }).nullable(),
    opportunity: z.object({ id: z.string(), title: z.string() }).nullable(),
    type: FollowUpType,
    content: z.string(),
    nextContactOn: z.string().nullable(),
    owner: Person,
    createdAt: Timestamp,
  })
  .openapi('FollowUp');

export const FollowUpListQuery = pageQuery(['createdAt', 'nextContactOn']).extend({
  customerId: Id.optional(),
  leadId: Id.optional(),
  opportunityId: Id.optional(),
  ownerId: Id.optional(),
  type: FollowUpType.optional(),
});
export const FollowUpPage = pageOf(FollowUp).openapi('FollowUpPage');

// ---------- 客户 360 ----------

export const Customer360 = z
  .object({
    customer: Customer,
    contacts: z.array(Contact),
    followUps: z.array(FollowUp),
    opportunities: z.array(Opportunity),
    orders: z.array(z.object({
      id: z.string(),
      number: z.string(),
      orderDate: z.string(),
      state: z.string(),
      totalWithTax: z.string(),
      shippedAmount: z.string(),
      shipmentProgress: z.string(),
      invoiceProgress: z.string(),
      paymentProgress: z.string(),
    })),
    receivables: z.object({
      asOf: z.string(),
      open: z.string(),
      overdue: z.string(),
      unsettledCredits: z.string().openapi({ description: '红字发票未抵扣（应退客户，可抵扣）' }),
      invoices: z.array(z.object({ number: z.string(), invoiceNo: z.string().nullable(), invoiceDate: z.string(), dueDate: z.string(), open: z.string(), overdueDays: z.number().int() })),
    }),
    approvals: z.array(z.object({ id: z.string(), title: z.string(), documentType: z.string(), documentId: z.string(), documentNumber: z.string().nullable(), state: z.string(), createdAt: Timestamp })),
    /** 拜访: the latest ones, newest first */
    visits: z.array(Visit),
  })
  .openapi('Customer360');

export type LeadCreate = z.infer<typeof LeadCreate>;
export type LeadUpdate = z.infer<typeof LeadUpdate>;
export type LeadAssign = z.infer<typeof LeadAssign>;
export type LeadConvert = z.infer<typeof LeadConvert>;
export type Lead = z.infer<typeof Lead>;
export type LeadListQuery = z.infer<typeof LeadListQuery>;
export type OpportunityStage = z.infer<typeof OpportunityStage>;
export type OpportunityStagesReplace = z.infer<typeof OpportunityStagesReplace>;
export type OpportunityCreate = z.infer<typeof OpportunityCreate>;
export type OpportunityUpdate = z.infer<typeof OpportunityUpdate>;
export type OpportunityStageMove = z.infer<typeof OpportunityStageMove>;
export type Opportunity = z.infer<typeof Opportunity>;
export type OpportunityDetail = z.infer<typeof OpportunityDetail>;
export type OpportunityListQuery = z.infer<typeof OpportunityListQuery>;
export type Pipeline = z.infer<typeof Pipeline>;
export type ForecastQuery = z.infer<typeof ForecastQuery>;
export type OpportunityForecast = z.infer<typeof OpportunityForecast>;
export type FollowUpCreate = z.infer<typeof FollowUpCreate>;
export type FollowUp = z.infer<typeof FollowUp>;
export type FollowUpListQuery = z.infer<typeof FollowUpListQuery>;
export type Customer360 = z.infer<typeof Customer360>;
