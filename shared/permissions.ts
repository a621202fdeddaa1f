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
};

export const ALL_PERMISSIONS: Permission[] = (Object.keys(RESOURCE_ACTIONS) as Resource[]).flatMap((r) =>
  RESOURCE_ACTIONS[r].map((a) => `${r}:${a}` as Permission),
);

export function permissionLabel(p: Permission): string {
  const [r, a] = p.split(':') as [Resource, Action];
  return `${RESOURCES[r]}·${ACTIONS[a]}`;
}
