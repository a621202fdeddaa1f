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

/** 外币折算口径（小企业会计准则：交易日即期汇率，或当期平均汇率） */
export const EXCHANGE_RATE_BASIS_LABELS = {
  spot: '入库日即期汇率',
  monthlyAverage: '当月平均汇率',
} as const;
export type ExchangeRateBasis = keyof typeof EXCHANGE_RATE_BASIS_LABELS;
export const EXCHANGE_RATE_BASES = Object.keys(EXCHANGE_RATE_BASIS_LABELS) as [ExchangeRateBasis, ...ExchangeRateBasis[]];

/** 单据状态（销售订单、请购单、采购订单） */
export const DOCUMENT_STATE_LABELS = {
  draft: '草稿',
  pendingApproval: '待审批',
  confirmed: '已确认',
  closed: '已关闭',
  cancelled: '已取消',
} as const;
export type DocumentState = keyof typeof DOCUMENT_STATE_LABELS;
export const DOCUMENT_STATES = Object.keys(DOCUMENT_STATE_LABELS) as [DocumentState, ...DocumentState[]];

/** 报价单状态 */
export const QUOTATION_STATE_LABELS = { draft: '草稿', sent: '已发送', accepted: '已接受', expired: '已过期', cancelled: '已取消' } as const;

/** 进度（发货 / 开票 / 收款 / 入库：无 / 部分 / 全部） */
export const PROGRESS_LABELS = { none: '无', partial: '部分', full: '全部' } as const;
export type Progress = keyof typeof PROGRESS_LABELS;
export const PROGRESSES = Object.keys(PROGRESS_LABELS) as [Progress, ...Progress[]];

/** 请购来源 */
export const REQUISITION_SOURCE_LABELS = { manual: '手工', shortage: '缺料', mrp: 'MRP' } as const;
export type RequisitionSource = keyof typeof REQUISITION_SOURCE_LABELS;
export const REQUISITION_SOURCES = Object.keys(REQUISITION_SOURCE_LABELS) as [RequisitionSource, ...RequisitionSource[]];

/** 质检状态: only 合格 stock is available */
export const QUALITY_STATUS_LABELS = { pending: '待检', passed: '合格', rejected: '不合格' } as const;
export type QualityStatus = keyof typeof QUALITY_STATUS_LABELS;
export const QUALITY_STATUSES = Object.keys(QUALITY_STATUS_LABELS) as [QualityStatus, ...QualityStatus[]];

/** 库存流水类型 */
export const STOCK_MOVE_KIND_LABELS = {
  opening: '期初',
  purchaseReceipt: '采购入库',
  purchaseReturn: '采购退货',
  salesShipment: '销售出库',
  salesReturn: '销售退货',
  transferOut: '调拨出库',
  transferIn: '调拨入库',
  adjustment: '库存调整',
  countVariance: '盘点差异',
} as const;
export type StockMoveKind = keyof typeof STOCK_MOVE_KIND_LABELS;
export const STOCK_MOVE_KINDS = Object.keys(STOCK_MOVE_KIND_LABELS) as [StockMoveKind, ...StockMoveKind[]];

/** 盘点单状态 */
export const STOCK_COUNT_STATE_LABELS = { counting: '盘点中', posted: '已过账', cancelled: '已取消' } as const;
export type StockCountState = keyof typeof STOCK_COUNT_STATE_LABELS;
export const STOCK_COUNT_STATES = Object.keys(STOCK_COUNT_STATE_LABELS) as [StockCountState, ...StockCountState[]];

/** 通知主题: which domain events become chat notices. */
export const NOTICE_TOPIC_LABELS = { 'stock.shortage': '缺料提醒', 'order.progress': '订单进度' } as const;
export type NoticeTopic = keyof typeof NOTICE_TOPIC_LABELS;
export const NOTICE_TOPICS = Object.keys(NOTICE_TOPIC_LABELS) as [NoticeTopic, ...NoticeTopic[]];

export const NOTICE_TARGET_KIND_LABELS = { group: '群聊', user: '个人' } as const;
export type NoticeTargetKind = keyof typeof NOTICE_TARGET_KIND_LABELS;
export const NOTICE_TARGET_KINDS = Object.keys(NOTICE_TARGET_KIND_LABELS) as [NoticeTargetKind, ...NoticeTargetKind[]];

export const DELIVERY_STATUS_LABELS = { pending: '待发送', sent: '已送达', failed: '发送失败' } as const;
export type DeliveryStatus = keyof typeof DELIVERY_STATUS_LABELS;
export const DELIVERY_STATUSES = Object.keys(DELIVERY_STATUS_LABELS) as [DeliveryStatus, ...DeliveryStatus[]];

// ---- 审批流程的显示（移动端审批详情）----

/** 审批节点状态 */
export const APPROVAL_STEP_STATE_LABELS = {
  waiting: '未开始',
  active: '审批中',
  agreed: '已通过',
  rejected: '已驳回',
  skipped: '已跳过',
  cancelled: '已终止',
} as const;
export type ApprovalStepState = keyof typeof APPROVAL_STEP_STATE_LABELS;

/** 审批人（任务）状态 */
export const APPROVAL_TASK_STATE_LABELS = {
  pending: '待审批',
  agreed: '已同意',
  rejected: '已驳回',
  transferred: '已转交',
  skipped: '已跳过',
  cancelled: '无需处理',
} as const;
export type ApprovalTaskState = keyof typeof APPROVAL_TASK_STATE_LABELS;

/** 审批人为何在这个节点上（按流程规则的不标） */
export const APPROVAL_TASK_ORIGIN_LABELS = {
  transfer: '转交',
  addApprover: '加签',
  escalation: '升级',
  fallback: '兜底',
  recusal: '申请人回避',
} as const;
