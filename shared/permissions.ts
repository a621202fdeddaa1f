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
} as const;

export const ACTIONS = {
  read: '查看',
  create: '新增',
  update: '修改',
  delete: '删除',
  import: '导入',
  export: '导出',
} as const;

export type Resource = keyof typeof RESOURCES;
export type Action = keyof typeof ACTIONS;
export type Permission = `${Resource}:${Action}`;

export const ALL_PERMISSIONS: Permission[] = (Object.keys(RESOURCES) as Resource[]).flatMap((r) =>
  (Object.keys(ACTIONS) as Action[]).map((a) => `${r}:${a}` as Permission),
);

export function permissionLabel(p: Permission): string {
  const [r, a] = p.split(':') as [Resource, Action];
  return `${RESOURCES[r]}·${ACTIONS[a]}`;
}
