// The app's entries: the 工作台 grid on a phone, the side navigation on a wide screen.

export interface MenuEntry {
  key: string;
  text: string;
  icon: string;
  /** none: 即将上线 */
  to?: string;
  /** needed to open it; several = any one of them */
  permission?: string | readonly string[];
  /**
   * Historical marker: every entry is now hidden from a user without `permission` (the 工作台
   * never shows a tile that would answer 暂无权限). Kept so entries written with it still compile.
   */
  hiddenWithoutPermission?: boolean;
}

// 审批, 报销 and 请假 need only a sign-in: everyone has their own.
export const WORKBENCH_ENTRIES: readonly MenuEntry[] = [
  { key: 'approvals', text: '审批', icon: 'todo-list-o', to: '/approvals' },
  { key: 'customers', text: '客户', icon: 'friends-o', to: '/customers', permission: 'customer:read' },
  { key: 'leads', text: '线索', icon: 'add-square', to: '/leads', permission: 'lead:read', hiddenWithoutPermission: true },
  { key: 'opportunities', text: '商机', icon: 'gem-o', to: '/opportunities', permission: 'opportunity:read', hiddenWithoutPermission: true },
  { key: 'pipeline', text: '销售漏斗', icon: 'filter-o', to: '/opportunities/pipeline', permission: 'opportunity:read', hiddenWithoutPermission: true },
  { key: 'sales-orders', text: '销售订单', icon: 'orders-o', to: '/sales-orders', permission: 'salesOrder:read' },
  { key: 'quotations', text: '报价单', icon: 'description', to: '/quotations', permission: 'quotation:read' },
  { key: 'stock', text: '库存', icon: 'bag-o', to: '/stock', permission: 'stock:read' },
  { key: 'low-stock', text: '低库存', icon: 'warning-o', to: '/stock?belowSafety=true', permission: 'stock:read' },
  { key: 'boms', text: '物料清单', icon: 'cluster-o', to: '/boms', permission: 'bom:read', hiddenWithoutPermission: true },
  { key: 'mrp', text: '物料需求计划', icon: 'chart-trending-o', to: '/mrp/suggestions', permission: 'mrp:read', hiddenWithoutPermission: true },
  { key: 'forecasts', text: '销售预测', icon: 'bar-chart-o', to: '/forecasts', permission: 'forecast:read', hiddenWithoutPermission: true },
  { key: 'production-shortage', text: '足缺料分析', icon: 'warn-o', to: '/production-shortage', permission: 'productionTask:read', hiddenWithoutPermission: true },
  { key: 'vouchers', text: '凭证', icon: 'notes-o', to: '/vouchers', permission: 'voucher:read', hiddenWithoutPermission: true },
  { key: 'trial-balance', text: '科目余额表', icon: 'balance-o', to: '/trial-balance', permission: 'voucher:read', hiddenWithoutPermission: true },
  { key: 'opening-balances', text: '期初余额', icon: 'edit', to: '/opening-balances', permission: 'voucher:write', hiddenWithoutPermission: true },
  { key: 'receivables', text: '应收账款', icon: 'gold-coin-o', to: '/receivables', permission: 'salesInvoice:read', hiddenWithoutPermission: true },
  { key: 'payables', text: '应付款', icon: 'paid', to: '/payables', permission: 'purchaseInvoice:read', hiddenWithoutPermission: true },
  { key: 'balance-sheet', text: '资产负债表', icon: 'balance-pay', to: '/balance-sheet', permission: 'voucher:read', hiddenWithoutPermission: true },
  { key: 'profit-statement', text: '利润表', icon: 'chart-trending-o', to: '/profit-statement', permission: 'voucher:read', hiddenWithoutPermission: true },
  { key: 'ledger', text: '明细账', icon: 'records-o', to: '/ledger', permission: 'voucher:read', hiddenWithoutPermission: true },
  // for who keeps the books or the projects; salespeople read projects only where they pick one
  { key: 'projects', text: '项目', icon: 'cluster-o', to: '/projects', permission: ['project:write', 'voucher:read'], hiddenWithoutPermission: true },
  { key: 'month-end', text: '期末处理', icon: 'calendar-o', to: '/month-end', permission: 'period:close', hiddenWithoutPermission: true },
  { key: 'boss-dashboard', text: '经营看板', icon: 'bar-chart-o', to: '/boss', permission: 'dashboard:read', hiddenWithoutPermission: true },
  // the planner reads them, the worker reports on them (报工)
  {
    key: 'production-tasks', text: '生产任务', icon: 'setting-o', to: '/production-tasks',
    permission: ['productionTask:read', 'productionTask:report'], hiddenWithoutPermission: true,
  },
  { key: 'quality-inspections', text: '质检任务', icon: 'passed', to: '/quality-inspections', permission: 'qualityInspection:read', hiddenWithoutPermission: true },
  { key: 'expense-claims', text: '报销', icon: 'balance-list-o', to: '/expense-claims' },
  { key: 'leave-requests', text: '请假', icon: 'calendar-o', to: '/leave-requests' },
  { key: 'cost-closes', text: '成本计算', icon: 'gold-coin-o', to: '/cost-closes', permission: 'costClose:read', hiddenWithoutPermission: true },
  { key: 'visits', text: '拜访计划', icon: 'location-o', to: '/visits/today', permission: 'visit:read', hiddenWithoutPermission: true },
];

/** The side navigation: 工作台, the entries there are pages for, 我的. */
export const SIDE_ENTRIES: readonly MenuEntry[] = [
  { key: 'home', text: '工作台', icon: 'apps-o', to: '/' },
  ...WORKBENCH_ENTRIES.filter((e) => e.to),
  { key: 'me', text: '我的', icon: 'user-o', to: '/me' },
];

/** May the user open `entry` (no permission named, or one of those named)? */
export function entryAllowed(entry: MenuEntry, may: (permission: string) => boolean): boolean {
  if (!entry.permission) return true;
  return typeof entry.permission === 'string' ? may(entry.permission) : entry.permission.some(may);
}

/** The 工作台 entries the user may open (from the same permissions the side navigation uses). */
export function workbenchEntries(may: (permission: string) => boolean): MenuEntry[] {
  return WORKBENCH_ENTRIES.filter((e) => entryAllowed(e, may));
}

/** 快捷操作 on the 工作台: creating what the user may create. */
export const QUICK_ACTIONS: readonly (MenuEntry & { to: string })[] = [
  { key: 'new-sales-order', text: '新建订单', icon: 'add-o', to: '/sales-orders/new', permission: 'salesOrder:create' },
  { key: 'new-quotation', text: '新建报价', icon: 'description', to: '/quotations/new', permission: 'quotation:create' },
  { key: 'new-customer', text: '新建客户', icon: 'user-circle-o', to: '/customers/new', permission: 'customer:create' },
  { key: 'new-expense-claim', text: '新建报销', icon: 'balance-list-o', to: '/expense-claims/new' },
  { key: 'new-leave-request', text: '请假申请', icon: 'calendar-o', to: '/leave-requests/new' },
];

export function quickActions(may: (permission: string) => boolean): MenuEntry[] {
  return QUICK_ACTIONS.filter((e) => entryAllowed(e, may));
}

/** The 提醒 the 工作台 asks for, each only for those it concerns (and who may read its source). */
export type WorkbenchAlert = 'overdueReceivables' | 'lowStock' | 'productionShortage';

export function workbenchAlerts(may: (permission: string) => boolean): WorkbenchAlert[] {
  const out: WorkbenchAlert[] = [];
  // 逾期应收: the salesperson chasing their customers' money and the accountant (the API scopes it)
  if (may('salesInvoice:read')) out.push('overdueReceivables');
  // 低于安全库存: those who replenish (仓管, 采购), not everyone who may look stock up
  if (may('stock:read') && (may('stock:create') || may('purchaseOrder:create'))) out.push('lowStock');
  // 缺料: those who issue material to production tasks or plan them
  if (may('productionTask:read') && (may('productionTask:issue') || may('productionTask:create'))) out.push('productionShortage');
  return out;
}

/** Is `entry` the page at path + query? (低库存 is 库存 with its filter on.) */
export function isCurrentEntry(entry: MenuEntry, path: string, query: Record<string, unknown>): boolean {
  if (!entry.to) return false;
  const [entryPath, entryQuery = ''] = entry.to.split('?');
  const filtered = new URLSearchParams(entryQuery).get('belowSafety') === 'true';
  if (entryPath === '/') return path === '/';
  const inSection = path === entryPath || path.startsWith(`${entryPath}/`);
  return inSection && filtered === (query.belowSafety === 'true');
}
