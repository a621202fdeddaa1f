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
    rejectWarehouse: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable().openapi({ description: '不良品仓：质检不合格的数量转入此仓（录入结果时可另指定）' }),
    visitRadiusMeters: z.number().int().openapi({ description: '拜访签到半径（米）：签到位置离客户位置更远时标记预警' }),
    visitMinMinutes: z.number().int().openapi({ description: '拜访最短时长（分钟）：签到到签退短于此时标记时长过短' }),
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
    rejectWarehouseId: Id.nullable().openapi({ description: '不良品仓（启用的仓库）；null = 不设置，录入不合格数量时须另指定' }),
    visitRadiusMeters: z.number({ message: '签到半径应为整数米数' }).int('签到半径应为整数米数').min(10, '签到半径至少 10 米').max(50_000, '签到半径最大 50000 米'),
    visitMinMinutes: z.number({ message: '最短时长应为整数分钟' }).int('最短时长应为整数分钟').min(0, '最短时长不能为负').max(480, '最短时长最多 480 分钟'),
  })
  .partial()
  .openapi('CompanyUpdate');

/**
 * 绑定 IM 组织: never from a typed key. The admin opens the mini-app inside the platform, which
 * hands out a one-time auth code; the organisation is the one that code was issued in.
 */
export const PlatformBind = z
  .object({
    platform: z.enum(['lark', 'wecom', 'dingtalk'], { message: '平台只能是 lark、wecom、dingtalk' }),
    code: z.string({ message: '请在该平台内打开云桥，用平台的登录码 code 绑定' }).trim().min(1, '登录码不能为空').max(512, '登录码最长 512 个字符'),
  })
  .openapi('PlatformBind', { description: '在飞书 / 企业微信 / 钉钉内打开云桥得到的一次性登录码；绑定的是该登录码所属的组织' });

export const PlatformIdParams = z.object({ id: Id });
export type Company = z.infer<typeof Company>;
