// The permission catalogue: "resource:action". Roles carry a subset; routes name the one they need.
export const RESOURCES = {
  company: '公司设置',
  customer: '客户',
  supplier: '供应商',
  item: '物料',
  unit: '计量单位',
  warehouse: '仓库',
  currency: '币别与汇率',
  department: '部门',
  user: '用户',
  role: '角色',
  attachment: '附件',
  audit: '审计日志',
  stock: '库存',
  quotation: '报价单',
  salesOrder: '销售订单',
  contract: '销售合同',
  shipment: '销售出库与退货',
  purchaseRequisition: '请购单',
  purchaseOrder: '采购订单',
  receipt: '采购入库与退货',
  notificationRoute: '通知路由',
  noticeDelivery: '通知投递',
  approvalFlow: '审批流程',
  approval: '审批',
  expense: '费用报销',
  bom: '物料清单',
  kitting: '齐套分析',
  mrp: '物料需求计划',
  productionTask: '生产任务单',
  forecast: '销售预测',
  costClose: '成本计算',
  account: '会计科目',
  voucher: '凭证',
  period: '会计期间',
  qualityInspection: '质量检验',
  salesInvoice: '销售发票与应收',
  customerReceipt: '收款单',
  arMatch: '应收核销',
  arWriteOff: '坏账核销',
  purchaseInvoice: '采购发票与应付',
  supplierPayment: '付款与核销',
  dashboard: '经营看板',
  visit: '拜访',
} as const;

export const ACTIONS = {
  read: '查看',
  create: '新增',
  update: '修改',
  delete: '删除',
  import: '导入',
  export: '导出',
  confirm: '审核',
  cancel: '取消',
  overrideCredit: '超信用额度放行',
  resend: '重新发送',
  pay: '付款',
  write: '维护',
  run: '运行',
  issue: '领料入库',
  report: '报工',
  reverse: '冲销',
  close: '结账',
  reopen: '反结账',
  record: '录入结果',
} as const;

export type Resource = keyof typeof RESOURCES;
export type Action = keyof typeof ACTIONS;
export type Permission = `${Resource}:${Action}`;

const CRUD: Action[] = ['read', 'create', 'update', 'delete'];
const MASTER: Action[] = [...CRUD, 'import', 'export'];
const DOCUMENT: Action[] = [...CRUD, 'confirm', 'cancel', 'export'];

/** Which actions make sense on each resource. */
export const RESOURCE_ACTIONS: Record<Resource, Action[]> = {
  company: ['read', 'update'],
  customer: MASTER,
  supplier: MASTER,
  item: MASTER,
  unit: CRUD,
  warehouse: CRUD,
  currency: CRUD,
  department: CRUD,
  user: CRUD,
  role: CRUD,
  attachment: CRUD,
  audit: ['read'],
  stock: ['read', 'create', 'export'],
  quotation: DOCUMENT,
  salesOrder: [...DOCUMENT, 'overrideCredit'],
  contract: ['read', 'create', 'update', 'delete', 'cancel', 'export'],
  shipment: ['read', 'create', 'export'],
  purchaseRequisition: DOCUMENT,
  purchaseOrder: DOCUMENT,
  receipt: ['read', 'create', 'export'],
  notificationRoute: CRUD,
  noticeDelivery: ['read', 'resend'],
  approvalFlow: CRUD,
  approval: ['read'],
  expense: ['pay'],
  bom: ['read', 'write'],
  kitting: ['read'],
  mrp: ['read', 'run', 'write'],
  productionTask: ['read', 'create', 'update', 'issue', 'report'],
  forecast: ['read', 'write'],
  costClose: ['read', 'run'],
  account: ['read', 'create'],
  voucher: ['read', 'write', 'reverse'],
  period: ['close', 'reopen'],
  qualityInspection: ['read', 'record'],
  salesInvoice: ['read', 'write'],
  customerReceipt: ['read', 'write'],
  arMatch: ['write'],
  arWriteOff: ['write'],
  purchaseInvoice: ['read', 'write'],
  supplierPayment: ['read', 'write'],
  dashboard: ['read'],
  visit: ['read', 'write', 'confirm'],
};

export const ALL_PERMISSIONS: Permission[] = (Object.keys(RESOURCE_ACTIONS) as Resource[]).flatMap((r) =>
  RESOURCE_ACTIONS[r].map((a) => `${r}:${a}` as Permission),
);

/**
 * What a permission lets its holder do, in words ("发货"), where "新增销售出库与退货" would not
 * read as Chinese; the rest are the action and the resource ("审核销售订单").
 */
const ACTION_NAMES: Partial<Record<Permission, string>> = {
  'company:read': '查看公司设置',
  'company:update': '修改公司设置',
  'currency:read': '查看币别与汇率',
  'currency:create': '新增币别或汇率',
  'currency:update': '修改币别',
  'currency:delete': '删除币别',
  'stock:read': '查看库存',
  'stock:create': '调整库存、调拨和盘点',
  'stock:export': '导出库存',
  'contract:cancel': '作废销售合同',
  'shipment:read': '查看销售出库与退货',
  'shipment:create': '发货和销售退货',
  'shipment:export': '导出销售出库与退货',
  'receipt:read': '查看采购入库与退货',
  'receipt:create': '采购入库和采购退货',
  'receipt:export': '导出采购入库与退货',
  'purchaseInvoice:read': '查看采购发票、应付账龄和供应商对账单',
  'purchaseInvoice:write': '登记采购发票',
  'supplierPayment:read': '查看付款单和核销',
  'supplierPayment:write': '登记付款和核销',
  'salesOrder:overrideCredit': '超信用额度放行销售订单',
  'noticeDelivery:resend': '重新发送通知',
  'approval:read': '查看全部审批',
  'audit:read': '查看审计日志',
  'bom:write': '维护物料清单',
  'kitting:read': '查看齐套分析',
  'mrp:run': '运行物料需求计算',
  'mrp:write': '修改、确认和投放物料需求建议',
  'productionTask:issue': '生产领料和完工入库',
  'productionTask:report': '报工',
  'forecast:write': '维护销售预测',
  'costClose:run': '成本计算',
  'account:create': '新增明细科目',
  'voucher:read': '查看凭证和账表',
  'voucher:write': '录入凭证',
  'voucher:reverse': '红字冲销凭证',
  'period:close': '结账',
  'period:reopen': '反结账',
  'qualityInspection:read': '查看检验单',
  'qualityInspection:record': '录入质检结果',
  'salesInvoice:read': '查看销售发票、账龄和对账单',
  'salesInvoice:write': '录入和开具销售发票',
  'customerReceipt:read': '查看收款单',
  'customerReceipt:write': '登记收款',
  'arMatch:write': '核销和取消核销应收',
  'arWriteOff:write': '坏账核销',
  'visit:read': '查看拜访',
  'visit:write': '安排拜访、签到签退和填写拜访记录',
  'visit:confirm': '采用拜访定位作为客户位置',
};

/** The permission as an action in words, for "没有发货的权限". */
export function permissionAction(p: Permission): string {
  const [r, a] = p.split(':') as [Resource, Action];
  return ACTION_NAMES[p] ?? `${ACTIONS[a]}${RESOURCES[r]}`;
}

export function permissionLabel(p: Permission): string {
  const [r, a] = p.split(':') as [Resource, Action];
  return `${RESOURCES[r]}·${ACTIONS[a]}`;
}
