// 公司设置 and the IM organisations (Feishu tenant_key, WeCom corpid, DingTalk corpId) that installed us.
import { CHAT_PLATFORMS, EXCHANGE_RATE_BASES, TAXPAYER_KINDS } from '../enums.ts';
import { Id, Name, Timestamp, z } from './common.ts';
import { TaxNo } from './crm.ts';

export const CompanyPlatform = z
  .object({ id: z.string(), platform: z.enum(CHAT_PLATFORMS), platformLabel: z.string(), orgKey: z.string(), createdAt: Timestamp })
  .openapi('CompanyPlatform');

export const Company = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    taxNo: z.string().nullable(),
    taxpayerKind: z.enum(TAXPAYER_KINDS),
    taxpayerKindLabel: z.string(),
    baseCurrency: z.string(),
    approvalRecusal: z.boolean().openapi({ description: '申请人回避：申请人不审批本人单据，该节点交给其上级（直属上级链，然后总经理）' }),
    receiptRateBasis: z.enum(EXCHANGE_RATE_BASES).openapi({ description: '外币采购入库的折算汇率：spot 入库日即期汇率（该日或之前最近一条）；monthlyAverage 当月平均汇率（本月 1 日至入库日每天适用汇率的算术平均）' }),
    receiptRateBasisLabel: z.string(),
    platforms: z.array(CompanyPlatform),
  })
  .openapi('Company');

export const CompanyUpdate = z
  .object({
    name: Name(100),
    taxNo: TaxNo.nullable(),
    taxpayerKind: z.enum(TAXPAYER_KINDS, { message: '纳税人类型只能是一般纳税人或小规模纳税人' }),
    receiptRateBasis: z.enum(EXCHANGE_RATE_BASES, { message: '入库折算汇率只能是 spot（入库日即期汇率）或 monthlyAverage（当月平均汇率）' }),
    approvalRecusal: z.boolean({ message: '申请人回避只能是 true 或 false' }),
  })
  .partial()
  .openapi('CompanyUpdate');

export const PlatformBind = z
  .object({
    platform: z.enum(CHAT_PLATFORMS, { message: '平台只能是 lark、wecom、dingtalk、wechat' }),
    orgKey: z.string().trim().min(1, '组织标识不能为空').max(64, '组织标识最长 64 个字符').regex(/^[A-Za-z0-9_\-]+$/, '组织标识只能包含字母、数字、下划线和短横线'),
  })
  .openapi('PlatformBind', { description: '飞书 tenant_key / 企业微信 corpid / 钉钉 corpId' });

export const PlatformIdParams = z.object({ id: Id });
export type Company = z.infer<typeof Company>;
