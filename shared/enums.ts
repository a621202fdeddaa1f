// Chinese labels of the business's enums: what users see for each code value. Zod-free: the
// mini-app imports it as it is (labels and code lists), the server's schemas build on it.

/** The codes of a label map, as the non-empty tuple z.enum wants. */
function codesOf<K extends string>(labels: Readonly<Record<K, string>>): [K, ...K[]] {
  return Object.keys(labels) as [K, ...K[]];
}

/** 物料类型 */
export const ITEM_KIND_LABELS = {
  raw: '原材料',
  semiFinished: '半成品',
  finished: '产成品',
  purchased: '外购件',
  service: '服务',
} as const;
export type ItemKind = keyof typeof ITEM_KIND_LABELS;
export const ITEM_KINDS = codesOf(ITEM_KIND_LABELS);

/** 物料来源（自制 / 外购 / 委外） */
export const SOURCING_LABELS = {
  make: '自制',
  buy: '外购',
  outsource: '委外',
} as const;
export type Sourcing = keyof typeof SOURCING_LABELS;
export const SOURCINGS = codesOf(SOURCING_LABELS);

/** 数据范围（角色能看到哪些行） */
export const DATA_SCOPE_LABELS = {
  own: '本人',
  department: '本部门及下级',
  all: '全部',
} as const;
export type DataScope = keyof typeof DATA_SCOPE_LABELS;
export const DATA_SCOPES = codesOf(DATA_SCOPE_LABELS);

/** 平台身份绑定所在的平台 */
export const CHAT_PLATFORM_LABELS = {
  lark: '飞书',
  wecom: '企业微信',
  dingtalk: '钉钉',
  wechat: '微信',
} as const;
export type ChatPlatform = keyof typeof CHAT_PLATFORM_LABELS;
export const CHAT_PLATFORMS = codesOf(CHAT_PLATFORM_LABELS);

/** 纳税人类型 */
export const TAXPAYER_KIND_LABELS = {
  generalTaxpayer: '一般纳税人',
  smallScaleTaxpayer: '小规模纳税人',
} as const;
export type TaxpayerKind = keyof typeof TAXPAYER_KIND_LABELS;
export const TAXPAYER_KINDS = codesOf(TAXPAYER_KIND_LABELS);

/** 外币折算口径（小企业会计准则：交易日即期汇率，或当期平均汇率） */
export const EXCHANGE_RATE_BASIS_LABELS = {
  spot: '入库日即期汇率',
  monthlyAverage: '当月平均汇率',
} as const;
export type ExchangeRateBasis = keyof typeof EXCHANGE_RATE_BASIS_LABELS;
export const EXCHANGE_RATE_BASES = codesOf(EXCHANGE_RATE_BASIS_LABELS);

/** 单据状态（销售订单、请购单、采购订单） */
export const DOCUMENT_STATE_LABELS = {
  draft: '草稿',
  pendingApproval: '待审批',
  confirmed: '已确认',
  closed: '已关闭',
  cancelled: '已取消',
} as const;
export type DocumentState = keyof typeof DOCUMENT_STATE_LABELS;
export const DOCUMENT_STATES = codesOf(DOCUMENT_STATE_LABELS);

/** 报价单状态 */
export const QUOTATION_STATE_LABELS = { draft: '草稿', sent: '已发送', accepted: '已接受', expired: '已过期', cancelled: '已取消' } as const;

/** 进度（发货 / 开票 / 收款 / 入库：无 / 部分 / 全部） */
export const PROGRESS_LABELS = { none: '无', partial: '部分', full: '全部' } as const;
export type Progress = keyof typeof PROGRESS_LABELS;
export const PROGRESSES = codesOf(PROGRESS_LABELS);

/** 请购来源 */
export const REQUISITION_SOURCE_LABELS = { manual: '手工', shortage: '缺料', mrp: 'MRP' } as const;
export type RequisitionSource = keyof typeof REQUISITION_SOURCE_LABELS;
export const REQUISITION_SOURCES = codesOf(REQUISITION_SOURCE_LABELS);

/** 质检状态: only 合格 stock is available */
export const QUALITY_STATUS_LABELS = { pending: '待检', passed: '合格', rejected: '不合格' } as const;
export type QualityStatus = keyof typeof QUALITY_STATUS_LABELS;
export const QUALITY_STATUSES = codesOf(QUALITY_STATUS_LABELS);

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
  productionIssue: '生产领料',
  productionReceipt: '完工入库',
  costAdjustment: '成本调整',
  qualityInspection: '质检',
} as const;
export type StockMoveKind = keyof typeof STOCK_MOVE_KIND_LABELS;
export const STOCK_MOVE_KINDS = codesOf(STOCK_MOVE_KIND_LABELS);

/** 盘点单状态 */
export const STOCK_COUNT_STATE_LABELS = { counting: '盘点中', posted: '已过账', cancelled: '已取消' } as const;
export type StockCountState = keyof typeof STOCK_COUNT_STATE_LABELS;
export const STOCK_COUNT_STATES = codesOf(STOCK_COUNT_STATE_LABELS);

/** 通知主题: which domain events become chat notices. */
export const NOTICE_TOPIC_LABELS = { 'stock.shortage': '缺料提醒', 'order.progress': '订单进度', 'mrp.completed': '物料需求建议' } as const;
export type NoticeTopic = keyof typeof NOTICE_TOPIC_LABELS;
export const NOTICE_TOPICS = codesOf(NOTICE_TOPIC_LABELS);

export const NOTICE_TARGET_KIND_LABELS = { group: '群聊', user: '个人' } as const;
export type NoticeTargetKind = keyof typeof NOTICE_TARGET_KIND_LABELS;
export const NOTICE_TARGET_KINDS = codesOf(NOTICE_TARGET_KIND_LABELS);

export const DELIVERY_STATUS_LABELS = { pending: '待发送', sent: '已送达', failed: '发送失败' } as const;
export type DeliveryStatus = keyof typeof DELIVERY_STATUS_LABELS;
export const DELIVERY_STATUSES = codesOf(DELIVERY_STATUS_LABELS);

// ---------------------------------------------------------------- 审批 (OA)

/** 业务类型 */
export const BUSINESS_TYPE_LABELS = {
  salesDiscount: '销售折扣',
  salesOrderAmount: '销售订单金额',
  purchaseOrder: '采购订单',
  expenseClaim: '费用报销',
  leaveRequest: '请假',
  contractReview: '合同评审',
  general: '通用',
} as const;
export type BusinessType = keyof typeof BUSINESS_TYPE_LABELS;
export const BUSINESS_TYPES = codesOf(BUSINESS_TYPE_LABELS);

export const APPROVAL_STATE_LABELS = { pending: '审批中', approved: '已同意', rejected: '已驳回', withdrawn: '已撤回' } as const;
export type ApprovalStateValue = keyof typeof APPROVAL_STATE_LABELS;
export const APPROVAL_STATES = codesOf(APPROVAL_STATE_LABELS);

export const STEP_MODE_LABELS = { anyOf: '或签', allOf: '会签' } as const;
export type StepMode = keyof typeof STEP_MODE_LABELS;

/** 审批节点的状态 */
export const APPROVAL_STEP_STATE_LABELS = {
  waiting: '未开始',
  active: '审批中',
  agreed: '已通过',
  rejected: '已驳回',
  skipped: '已跳过',
  cancelled: '已终止',
} as const;

/** 审批人任务的状态 */
export const APPROVAL_TASK_STATE_LABELS = {
  pending: '待审批',
  agreed: '已同意',
  rejected: '已驳回',
  transferred: '已转交',
  skipped: '已跳过',
  cancelled: '无需处理',
} as const;

/** why an approver is in a step (nothing for the flow's own rule) */
export const APPROVAL_TASK_ORIGIN_LABELS = { transfer: '转交', addApprover: '加签', escalation: '升级', fallback: '兜底', recusal: '申请人回避' } as const;

/** 审批动作 in the history */
export const APPROVAL_ACTION_LABELS = {
  submit: '提交', agree: '同意', reject: '驳回', withdraw: '撤回', transfer: '转交', addApprover: '加签',
  comment: '评论', remind: '催办', escalate: '升级', skip: '自动跳过',
} as const;

// ---------------------------------------------------------------- 费用报销 / 请假 / 合同

export const EXPENSE_CATEGORY_LABELS = {
  travel: '差旅', meal: '餐饮', transport: '交通', office: '办公', entertainment: '招待', other: '其他',
} as const;
export type ExpenseCategory = keyof typeof EXPENSE_CATEGORY_LABELS;
export const EXPENSE_CATEGORIES = codesOf(EXPENSE_CATEGORY_LABELS);

/** 报销发票类型: 专票 (税额 as entered) and the 国内旅客运输 tickets (税额 computed) carry deductible input VAT. */
export const EXPENSE_INVOICE_KIND_LABELS = {
  special: '增值税专用发票', ordinary: '普通发票', airTicket: '旅客运输电子客票-航空', railTicket: '旅客运输电子客票-铁路',
  roadWaterTicket: '旅客运输电子客票-公路水路', none: '无发票',
} as const;
export type ExpenseInvoiceKind = keyof typeof EXPENSE_INVOICE_KIND_LABELS;
export const EXPENSE_INVOICE_KINDS = codesOf(EXPENSE_INVOICE_KIND_LABELS);
/** the kinds whose 税额 is computed from the ticket (财政部 税务总局 海关总署公告2019年第39号) */
export const PASSENGER_TICKET_KINDS: readonly ExpenseInvoiceKind[] = ['airTicket', 'railTicket', 'roadWaterTicket'];

export const LEAVE_KIND_LABELS = {
  annual: '年假', personal: '事假', sick: '病假', marriage: '婚假', maternity: '产假', compensatory: '调休', other: '其他',
} as const;
export type LeaveKind = keyof typeof LEAVE_KIND_LABELS;
export const LEAVE_KINDS = codesOf(LEAVE_KIND_LABELS);

/** OA 单据（报销、请假）的状态: an approved one is 已批准 */
export const OA_DOCUMENT_STATE_LABELS = { draft: '草稿', pendingApproval: '待审批', confirmed: '已批准', closed: '已关闭', cancelled: '已取消' } as const;
/** 报销单: a paid claim is closed, shown as 已付款 */
export const EXPENSE_STATE_LABELS = { ...OA_DOCUMENT_STATE_LABELS, closed: '已付款' } as const;

/** 销售合同 */
export const CONTRACT_STATE_LABELS = { draft: '草稿', pendingApproval: '评审中', confirmed: '已生效', closed: '已关闭', cancelled: '已作废' } as const;
export type ContractState = keyof typeof CONTRACT_STATE_LABELS;
export const CONTRACT_STATES = codesOf(CONTRACT_STATE_LABELS);

/** BOM 行的发料方式 */
export const BOM_ISSUE_METHOD_LABELS = { kit: '配套领料', backflush: '倒冲' } as const;
export type BomIssueMethod = keyof typeof BOM_ISSUE_METHOD_LABELS;
export const BOM_ISSUE_METHODS = codesOf(BOM_ISSUE_METHOD_LABELS);

// ---------------------------------------------------------------- 成本: BOM 成本卷积（模拟报价）与月末成本计算

/** 计价口径 of a BOM cost roll-up */
export const COST_BASIS_LABELS = { standard: '标准成本', latestPurchase: '最新采购价', movingAverage: '移动平均成本' } as const;
export type CostBasis = keyof typeof COST_BASIS_LABELS;
export const COST_BASES = codesOf(COST_BASIS_LABELS);
/** 分配标准 of a month's labour and overhead pools */
export const COST_ALLOCATION_BASIS_LABELS = { hours: '按报工工时', output: '按完工产量' } as const;
export type CostAllocationBasis = keyof typeof COST_ALLOCATION_BASIS_LABELS;
export const COST_ALLOCATION_BASES = codesOf(COST_ALLOCATION_BASIS_LABELS);

// ---------------------------------------------------------------- 齐套分析 / 物料需求计划 (MRP)

export const KITTING_ARRIVAL_LABELS = {
  covered: '库存足够',
  arrives: '在途可补齐',
  undated: '在途未定交期',
  insufficient: '在途不足',
  none: '无在途',
} as const;
export const MRP_RUN_STATE_LABELS = { running: '运行中', completed: '已完成', failed: '失败' } as const;
export const MRP_SUGGESTION_KIND_LABELS = { purchase: '采购', production: '生产' } as const;
export const MRP_SUGGESTION_STATE_LABELS = { suggested: '建议', firmed: '已确认', released: '已投放' } as const;
/** what a pegging row's demand is */
export const MRP_DEMAND_KIND_LABELS = {
  salesOrder: '销售订单',
  forecast: '预测',
  productionMaterial: '生产用料',
  suggestion: '上级建议',
  safetyStock: '安全库存',
} as const;

/** 生产任务单状态 */
export const PRODUCTION_TASK_STATE_LABELS = {
  planned: '计划', released: '已下达', inProgress: '生产中', completed: '已完工', closed: '已关闭', cancelled: '已取消',
} as const;
export type ProductionTaskState = keyof typeof PRODUCTION_TASK_STATE_LABELS;
export const PRODUCTION_TASK_STATES = codesOf(PRODUCTION_TASK_STATE_LABELS);

/** 检验单状态 */
export const QUALITY_INSPECTION_STATE_LABELS = { open: '待检验', done: '已检验' } as const;
export type QualityInspectionState = keyof typeof QUALITY_INSPECTION_STATE_LABELS;
export const QUALITY_INSPECTION_STATES = codesOf(QUALITY_INSPECTION_STATE_LABELS);

/** 检验单来源 */
export const QUALITY_INSPECTION_SOURCE_LABELS = { purchaseReceipt: '采购入库', productionReceipt: '完工入库' } as const;
export type QualityInspectionSource = keyof typeof QUALITY_INSPECTION_SOURCE_LABELS;
export const QUALITY_INSPECTION_SOURCES = codesOf(QUALITY_INSPECTION_SOURCE_LABELS);

/** 采购发票类型 */
export const PURCHASE_INVOICE_TYPE_LABELS = { special: '增值税专用发票', ordinary: '普通发票' } as const;
export type PurchaseInvoiceType = keyof typeof PURCHASE_INVOICE_TYPE_LABELS;
export const PURCHASE_INVOICE_TYPES = codesOf(PURCHASE_INVOICE_TYPE_LABELS);

/** 应付账龄区间 (days from the invoice date) */
export const AGING_BUCKET_LABELS = { days0to30: '0-30 天', days31to60: '31-60 天', days61to90: '61-90 天', over90: '90 天以上' } as const;
export type AgingBucket = keyof typeof AGING_BUCKET_LABELS;
export const AGING_BUCKETS = codesOf(AGING_BUCKET_LABELS);

/** 拜访状态 */
export const VISIT_STATE_LABELS = { planned: '计划中', inProgress: '拜访中', done: '已完成', cancelled: '已取消', missed: '已错过' } as const;
export type VisitState = keyof typeof VISIT_STATE_LABELS;
export const VISIT_STATES = codesOf(VISIT_STATE_LABELS);

/** 签到定位来源 */
export const POSITION_SOURCE_LABELS = { browser: '浏览器', lark: '飞书', wecom: '企业微信', dingtalk: '钉钉' } as const;
export type PositionSource = keyof typeof POSITION_SOURCE_LABELS;
export const POSITION_SOURCES = codesOf(POSITION_SOURCE_LABELS);

/** 坐标系: WGS-84 (GPS, browsers, WeCom by default), GCJ-02 (Chinese maps, DingTalk coordinate 1, Feishu gcj02), BD-09 (Baidu) */
export const COORD_SYSTEM_LABELS = { wgs84: 'WGS-84', gcj02: 'GCJ-02', bd09: 'BD-09' } as const;
export type CoordSystem = keyof typeof COORD_SYSTEM_LABELS;
export const COORD_SYSTEMS = codesOf(COORD_SYSTEM_LABELS);
/** 线索来源 */
export const LEAD_SOURCE_LABELS = {
  website: '官网',
  exhibition: '展会',
  referral: '转介绍',
  phone: '电话',
  other: '其他',
} as const;
export type LeadSource = keyof typeof LEAD_SOURCE_LABELS;
export const LEAD_SOURCES = codesOf(LEAD_SOURCE_LABELS);

/** 线索状态 */
export const LEAD_STATUS_LABELS = {
  new: '新建',
  following: '跟进中',
  converted: '已转化',
  invalid: '无效',
} as const;
export type LeadStatus = keyof typeof LEAD_STATUS_LABELS;
export const LEAD_STATUSES = codesOf(LEAD_STATUS_LABELS);

/** 商机阶段类别：进行中，或结束于赢单 / 输单 / 无效 */
export const OPPORTUNITY_STAGE_KIND_LABELS = {
  open: '进行中',
  won: '赢单',
  lost: '输单',
  invalid: '无效',
} as const;
export type OpportunityStageKind = keyof typeof OPPORTUNITY_STAGE_KIND_LABELS;
export const OPPORTUNITY_STAGE_KINDS = codesOf(OPPORTUNITY_STAGE_KIND_LABELS);

/** 跟进方式 */
export const FOLLOW_UP_TYPE_LABELS = {
  phone: '电话',
  visit: '拜访',
  wechat: '微信',
  email: '邮件',
  other: '其他',
} as const;
export type FollowUpType = keyof typeof FOLLOW_UP_TYPE_LABELS;
export const FOLLOW_UP_TYPES = codesOf(FOLLOW_UP_TYPE_LABELS);
