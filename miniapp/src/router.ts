import { createRouter, createWebHashHistory, START_LOCATION, type LocationQueryValue, type RouteRecordRaw, type RouterHistory } from 'vue-router';
import HomePage from './pages/HomePage.vue';
import LoginPage from './pages/LoginPage.vue';
import { isBindPlatform, savePendingBind } from './platform';
import { useAuthStore } from './stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** reachable without login */
    public?: boolean;
    /** show the bottom tabbar */
    tabbar?: boolean;
  }
}

/** a query value as one string ('' when absent; ?a=1&a=2 → '1') */
function firstQuery(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  return v ?? '';
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: LoginPage,
    meta: { title: '登录', public: true },
  },
  {
    path: '/',
    name: 'home',
    component: HomePage,
    meta: { title: '工作台', tabbar: true },
  },
  {
    path: '/customers',
    name: 'customers',
    component: () => import('./pages/CustomerListPage.vue'),
    meta: { title: '客户', tabbar: true },
  },
  {
    // before /customers/:id (a fixed path, not an id)
    path: '/customers/new',
    name: 'customer-new',
    component: () => import('./pages/CustomerFormPage.vue'),
    meta: { title: '新建客户' },
  },
  {
    path: '/customers/:id/edit',
    name: 'customer-edit',
    component: () => import('./pages/CustomerFormPage.vue'),
    props: true,
    meta: { title: '编辑客户' },
  },
  {
    path: '/customers/:id',
    name: 'customer-detail',
    component: () => import('./pages/CustomerDetailPage.vue'),
    props: true,
    meta: { title: '客户详情' },
  },
  {
    path: '/visits/today',
    name: 'visits-today',
    component: () => import('./pages/VisitTodayPage.vue'),
    meta: { title: '今日拜访' },
  },
  {
    path: '/visits',
    name: 'visits',
    component: () => import('./pages/VisitListPage.vue'),
    meta: { title: '拜访记录' },
  },
  {
    path: '/visits/:id',
    name: 'visit-detail',
    component: () => import('./pages/VisitPage.vue'),
    props: true,
    meta: { title: '拜访' },
  },
  {
    path: '/leads',
    name: 'leads',
    component: () => import('./pages/LeadListPage.vue'),
    meta: { title: '线索' },
  },
  {
    path: '/leads/new',
    name: 'lead-new',
    component: () => import('./pages/LeadFormPage.vue'),
    meta: { title: '新增线索' },
  },
  {
    path: '/leads/:id',
    name: 'lead-detail',
    component: () => import('./pages/LeadDetailPage.vue'),
    props: true,
    meta: { title: '线索详情' },
  },
  {
    path: '/leads/:id/edit',
    name: 'lead-edit',
    component: () => import('./pages/LeadFormPage.vue'),
    props: true,
    meta: { title: '编辑线索' },
  },
  {
    path: '/opportunities',
    name: 'opportunities',
    component: () => import('./pages/OpportunityListPage.vue'),
    meta: { title: '商机' },
  },
  {
    path: '/opportunities/pipeline',
    name: 'pipeline',
    component: () => import('./pages/PipelinePage.vue'),
    meta: { title: '销售漏斗' },
  },
  {
    path: '/opportunities/new',
    name: 'opportunity-new',
    component: () => import('./pages/OpportunityFormPage.vue'),
    meta: { title: '新建商机' },
  },
  {
    path: '/opportunities/:id',
    name: 'opportunity-detail',
    component: () => import('./pages/OpportunityDetailPage.vue'),
    props: true,
    meta: { title: '商机详情' },
  },
  {
    path: '/follow-ups/new',
    name: 'follow-up-new',
    component: () => import('./pages/FollowUpFormPage.vue'),
    meta: { title: '写跟进' },
  },
  {
    path: '/stock',
    name: 'stock',
    component: () => import('./pages/StockListPage.vue'),
    meta: { title: '库存' },
  },
  {
    path: '/stock/:itemId',
    name: 'stock-detail',
    component: () => import('./pages/StockDetailPage.vue'),
    props: true,
    meta: { title: '物料库存' },
  },
  {
    path: '/sales-orders',
    name: 'sales-orders',
    component: () => import('./pages/SalesOrderListPage.vue'),
    meta: { title: '销售订单' },
  },
  {
    // before /sales-orders/:id; ?customerId= starts it for that customer
    path: '/sales-orders/new',
    name: 'sales-order-new',
    component: () => import('./pages/SalesDocumentFormPage.vue'),
    props: { kind: 'order' },
    meta: { title: '新建销售订单' },
  },
  {
    path: '/sales-orders/:id',
    name: 'sales-order-detail',
    component: () => import('./pages/SalesOrderDetailPage.vue'),
    props: true,
    meta: { title: '销售订单' },
  },
  {
    path: '/quotations',
    name: 'quotations',
    component: () => import('./pages/QuotationListPage.vue'),
    meta: { title: '报价单' },
  },
  {
    path: '/quotations/new',
    name: 'quotation-new',
    component: () => import('./pages/SalesDocumentFormPage.vue'),
    props: { kind: 'quotation' },
    meta: { title: '新建报价单' },
  },
  {
    path: '/quotations/:id',
    name: 'quotation-detail',
    component: () => import('./pages/QuotationDetailPage.vue'),
    props: true,
    meta: { title: '报价单' },
  },
  {
    path: '/purchase-orders/:id',
    name: 'purchase-order-detail',
    component: () => import('./pages/PurchaseOrderDetailPage.vue'),
    props: true,
    meta: { title: '采购订单' },
  },
  {
    path: '/vouchers',
    name: 'vouchers',
    component: () => import('./pages/VoucherListPage.vue'),
    meta: { title: '凭证' },
  },
  {
    // before /vouchers/:id (a fixed path, not an id); the page itself refuses users without voucher:write
    path: '/vouchers/new',
    name: 'voucher-new',
    component: () => import('./pages/VoucherEntryPage.vue'),
    meta: { title: '录入凭证' },
  },
  {
    path: '/vouchers/:id',
    name: 'voucher-detail',
    component: () => import('./pages/VoucherDetailPage.vue'),
    props: true,
    meta: { title: '记账凭证' },
  },
  {
    path: '/receivables',
    name: 'receivables',
    component: () => import('./pages/ReceivablesPage.vue'),
    meta: { title: '应收账款' },
  },
  {
    path: '/receivables/entry',
    name: 'receivable-entry',
    component: () => import('./pages/ReceivableEntryPage.vue'),
    meta: { title: '录入发票与收款' },
  },
  {
    path: '/receivables/:id',
    name: 'customer-statement',
    component: () => import('./pages/CustomerStatementPage.vue'),
    props: true,
    meta: { title: '对账单' },
  },
  {
    path: '/opening-balances',
    name: 'opening-balances',
    component: () => import('./pages/OpeningBalancesPage.vue'),
    meta: { title: '期初余额' },
  },
  {
    path: '/trial-balance',
    name: 'trial-balance',
    component: () => import('./pages/TrialBalancePage.vue'),
    meta: { title: '科目余额表' },
  },
  {
    path: '/payables',
    name: 'payables',
    component: () => import('./pages/PayablesPage.vue'),
    meta: { title: '应付款' },
  },
  {
    // before /payables/:supplierId (fixed paths, not ids)
    path: '/payables/invoices/new',
    name: 'purchase-invoice-new',
    component: () => import('./pages/PurchaseInvoiceFormPage.vue'),
    meta: { title: '登记采购发票' },
  },
  {
    path: '/payables/payments/new',
    name: 'supplier-payment-new',
    component: () => import('./pages/SupplierPaymentFormPage.vue'),
    meta: { title: '登记付款' },
  },
  {
    path: '/payables/:supplierId',
    name: 'supplier-statement',
    component: () => import('./pages/SupplierStatementPage.vue'),
    props: true,
    meta: { title: '供应商对账单' },
  },
  {
    path: '/balance-sheet',
    name: 'balance-sheet',
    component: () => import('./pages/BalanceSheetPage.vue'),
    meta: { title: '资产负债表' },
  },
  {
    path: '/profit-statement',
    name: 'profit-statement',
    component: () => import('./pages/ProfitStatementPage.vue'),
    meta: { title: '利润表' },
  },
  {
    path: '/ledger',
    name: 'ledger',
    component: () => import('./pages/LedgerPage.vue'),
    meta: { title: '明细账' },
  },
  {
    path: '/projects',
    name: 'projects',
    component: () => import('./pages/ProjectListPage.vue'),
    meta: { title: '项目' },
  },
  {
    path: '/month-end',
    name: 'month-end',
    component: () => import('./pages/MonthEndPage.vue'),
    meta: { title: '期末处理' },
  },
  {
    path: '/boss',
    name: 'boss-dashboard',
    component: () => import('./pages/BossDashboardPage.vue'),
    meta: { title: '经营看板' },
  },
  {
    path: '/boms',
    name: 'boms',
    component: () => import('./pages/BomListPage.vue'),
    meta: { title: '物料清单' },
  },
  {
    // before /boms/:id (a fixed path, not an id)
    path: '/boms/where-used',
    name: 'bom-where-used',
    component: () => import('./pages/BomWhereUsedPage.vue'),
    props: (route) => ({ itemId: typeof route.query.itemId === 'string' ? route.query.itemId : '' }),
    meta: { title: '反查 BOM' },
  },
  {
    path: '/boms/:id',
    name: 'bom-detail',
    component: () => import('./pages/BomDetailPage.vue'),
    props: true,
    meta: { title: '物料清单' },
  },
  {
    path: '/cost-closes',
    name: 'cost-closes',
    component: () => import('./pages/CostCloseListPage.vue'),
    meta: { title: '成本计算' },
  },
  {
    path: '/cost-closes/:id',
    name: 'cost-close-detail',
    component: () => import('./pages/CostCloseDetailPage.vue'),
    props: true,
    meta: { title: '成本计算' },
  },
  {
    // the bot's 齐套 card links here: ?itemId=&quantity= (base unit) and optionally &date= (BOM version)
    path: '/kitting',
    name: 'kitting',
    component: () => import('./pages/KittingPage.vue'),
    props: (route) => ({ itemId: firstQuery(route.query.itemId), quantity: firstQuery(route.query.quantity), date: firstQuery(route.query.date) }),
    meta: { title: '齐套分析' },
  },
  {
    path: '/kitting/sales-orders/:id',
    name: 'sales-order-kitting',
    component: () => import('./pages/KittingPage.vue'),
    props: (route) => ({ orderId: String(route.params.id), date: firstQuery(route.query.date) }),
    meta: { title: '齐套分析' },
  },
  {
    // the production task list's 齐套分析 of the chosen tasks: ?ids=a,b
    path: '/kitting/production-tasks',
    name: 'production-task-kitting',
    component: () => import('./pages/KittingPage.vue'),
    props: (route) => ({ taskIds: firstQuery(route.query.ids) }),
    meta: { title: '齐套分析' },
  },
  {
    // the bot's MRP card links here with ?runId= (only that run's suggestions)
    path: '/mrp/suggestions',
    name: 'mrp',
    component: () => import('./pages/MrpPage.vue'),
    props: (route) => ({ runId: firstQuery(route.query.runId) }),
    meta: { title: '物料需求计划' },
  },
  {
    path: '/forecasts',
    name: 'forecasts',
    component: () => import('./pages/ForecastListPage.vue'),
    meta: { title: '销售预测' },
  },
  {
    // the purchasing group's 缺料预警 card links here
    path: '/production-shortage',
    name: 'production-shortage',
    component: () => import('./pages/ProductionShortagePage.vue'),
    meta: { title: '足缺料分析' },
  },
  {
    path: '/production-tasks',
    name: 'production-tasks',
    component: () => import('./pages/ProductionTaskListPage.vue'),
    meta: { title: '生产任务' },
  },
  {
    path: '/production-tasks/:id',
    name: 'production-task-detail',
    component: () => import('./pages/ProductionTaskDetailPage.vue'),
    props: true,
    meta: { title: '生产任务单' },
  },
  {
    path: '/quality-inspections',
    name: 'quality-inspections',
    component: () => import('./pages/QualityInspectionListPage.vue'),
    meta: { title: '质检任务' },
  },
  {
    // the bot's 待检 card links here
    path: '/quality-inspections/:id',
    name: 'quality-inspection-detail',
    component: () => import('./pages/QualityInspectionDetailPage.vue'),
    props: true,
    meta: { title: '检验单' },
  },
  {
    path: '/approvals',
    name: 'approvals',
    component: () => import('./pages/ApprovalListPage.vue'),
    meta: { title: '审批' },
  },
  {
    path: '/approvals/:id',
    name: 'approval-detail',
    component: () => import('./pages/ApprovalDetailPage.vue'),
    props: true,
    meta: { title: '审批详情' },
  },
  {
    path: '/expense-claims',
    name: 'expense-claims',
    component: () => import('./pages/ExpenseClaimListPage.vue'),
    meta: { title: '费用报销' },
  },
  {
    path: '/expense-claims/new',
    name: 'expense-claim-new',
    component: () => import('./pages/ExpenseClaimFormPage.vue'),
    meta: { title: '新建报销单' },
  },
  {
    path: '/expense-claims/:id',
    name: 'expense-claim-detail',
    component: () => import('./pages/ExpenseClaimDetailPage.vue'),
    props: true,
    meta: { title: '报销单' },
  },
  {
    path: '/contracts/:id',
    name: 'contract-detail',
    component: () => import('./pages/ContractDetailPage.vue'),
    props: true,
    meta: { title: '销售合同' },
  },
  {
    path: '/leave-requests',
    name: 'leave-requests',
    component: () => import('./pages/LeaveRequestListPage.vue'),
    meta: { title: '请假' },
  },
  {
    path: '/leave-requests/new',
    name: 'leave-request-new',
    component: () => import('./pages/LeaveRequestFormPage.vue'),
    meta: { title: '请假申请' },
  },
  {
    path: '/leave-requests/:id',
    name: 'leave-request-detail',
    component: () => import('./pages/LeaveRequestDetailPage.vue'),
    props: true,
    meta: { title: '请假单' },
  },
  {
    path: '/bind',
    name: 'bind',
    component: () => import('./pages/BindPage.vue'),
    meta: { title: '绑定聊天账号' },
  },
  {
    path: '/me',
    name: 'me',
    component: () => import('./pages/MePage.vue'),
    meta: { title: '我的', tabbar: true },
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

export function createAppRouter(history: RouterHistory = createWebHashHistory('/m/')) {
  const router = createRouter({
    history,
    routes,
    // The first navigation of a fresh load is already at the top: scrolling there would force a
    // layout before the first paint (100+ ms on a slow phone).
    scrollBehavior: (_to, from, savedPosition) => savedPosition ?? (from === START_LOCATION ? false : { top: 0 }),
  });

  router.beforeEach((to) => {
    // The bot's bind link carries a 10-minute proof (bindToken): keep it for this tab and take it
    // out of the address (and of ?redirect= when the login page comes first).
    if (to.name === 'bind' && typeof to.query.bindToken === 'string') {
      const { bindToken, ...query } = to.query;
      if (isBindPlatform(to.query.platform) && bindToken) savePendingBind(to.query.platform, bindToken);
      return { name: 'bind', query, replace: true };
    }
    const auth = useAuthStore();
    if (!to.meta.public && !auth.isLoggedIn) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath }, replace: true };
    }
    if (to.name === 'login' && auth.isLoggedIn) return { path: '/', replace: true };
    return true;
  });

  router.afterEach((to) => {
    // The Feishu / WeCom / DingTalk containers show document.title in their title bar.
    document.title = to.meta.title ? `${to.meta.title} · 云桥` : '云桥';
  });

  return router;
}
