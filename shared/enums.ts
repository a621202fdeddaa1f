// Chinese labels of the business's enums: what users see for each code value.

/** 物料类型 */
export const ITEM_KIND_LABELS = {
  raw: '原材料',
  semiFinished: '半成品',
  finished: '产成品',
  purchased: '外购件',
  service: '服务',
} as const;
export type ItemKind = keyof typeof ITEM_KIND_LABELS;
export const ITEM_KINDS = Object.keys(ITEM_KIND_LABELS) as [ItemKind, ...ItemKind[]];

/** 物料来源（自制 / 外购 / 委外） */
export const SOURCING_LABELS = {
  make: '自制',
  buy: '外购',
  outsource: '委外',
} as const;
export type Sourcing = keyof typeof SOURCING_LABELS;
export const SOURCINGS = Object.keys(SOURCING_LABELS) as [Sourcing, ...Sourcing[]];

/** 数据范围（角色能看到哪些行） */
export const DATA_SCOPE_LABELS = {
  own: '本人',
  department: '本部门及下级',
  all: '全部',
} as const;
export type DataScope = keyof typeof DATA_SCOPE_LABELS;
export const DATA_SCOPES = Object.keys(DATA_SCOPE_LABELS) as [DataScope, ...DataScope[]];

/** 平台身份绑定所在的平台 */
export const CHAT_PLATFORM_LABELS = {
  lark: '飞书',
  wecom: '企业微信',
  dingtalk: '钉钉',
  wechat: '微信',
} as const;
export type ChatPlatform = keyof typeof CHAT_PLATFORM_LABELS;
export const CHAT_PLATFORMS = Object.keys(CHAT_PLATFORM_LABELS) as [ChatPlatform, ...ChatPlatform[]];

/** 纳税人类型 */
export const TAXPAYER_KIND_LABELS = {
  generalTaxpayer: '一般纳税人',
  smallScaleTaxpayer: '小规模纳税人',
} as const;
export type TaxpayerKind = keyof typeof TAXPAYER_KIND_LABELS;
export const TAXPAYER_KINDS = Object.keys(TAXPAYER_KIND_LABELS) as [TaxpayerKind, ...TaxpayerKind[]];
