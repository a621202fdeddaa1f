// The demo company 浙江云桥五金配件有限公司: organisation, users, master data, and (seedDemoDocuments)
// its opening stock and orders. Written by `npm start` into an empty database and by
// `npm run db:seed` (which adds it if missing); the test template gets the master data only.
import { Prisma } from '../server/generated/prisma/client.ts';
import type { Database, Db } from '../server/db/database.ts';
import { hashPassword, loadActor } from '../server/platform/auth.ts';
import type { UseCaseContext } from '../server/platform/services.ts';
import { createStockAdjustment } from '../server/modules/inventory/stock/adjustments.ts';
import { createPurchaseOrder } from '../server/modules/purchase/orders/service.ts';
import { confirmPurchaseOrder, submitPurchaseOrder } from '../server/modules/purchase/orders/state.ts';
import { createOrder } from '../server/modules/sales/orders/service.ts';
import { cancelOrder, confirmOrder, submitOrder } from '../server/modules/sales/orders/lifecycle.ts';
import { createShipment } from '../server/modules/sales/shipments/service.ts';
import { createProductionTask, issueProductionTask, receiveProductionTask, releaseProductionTask } from '../server/modules/manufacturing/production/service.ts';
import { reportWork } from '../server/modules/manufacturing/work-reports/service.ts';
import { todayInShanghai } from '../server/modules/finance/index.ts';
import { ProductionTaskCreate, WorkReportCreate } from '../shared/schemas/manufacturing.ts';
import { receivePurchaseOrder } from '../server/modules/purchase/receipts/service.ts';
import { createWarehouse } from '../server/modules/inventory/warehouses/service.ts';
import { registerApprovalDocuments, registerPostingRules } from '../server/modules/index.ts';
import { seedChartOfAccounts } from '../server/modules/finance/index.ts';
import { StockAdjustmentCreate } from '../shared/schemas/stock.ts';
import { PurchaseOrderCreate, ReceiptCreate } from '../shared/schemas/purchasing.ts';
import { WarehouseCreate } from '../shared/schemas/warehouse.ts';
import { SalesOrderCreate } from '../shared/schemas/sales/orders.ts';
import { ShipmentCreate } from '../shared/schemas/sales/shipments.ts';
import { openingStock, purchaseOrders, salesOrders } from './seed-data/documents.ts';
import { ALL_PERMISSIONS } from '../shared/permissions.ts';
import { customers } from './seed-data/customers.ts';
import { items, units, categories, warehouses, currencies } from './seed-data/items.ts';
import { departments, roles, users } from './seed-data/org.ts';
import { notificationRoutes } from './seed-data/notices.ts';
import { suppliers } from './seed-data/suppliers.ts';
import { approvalFlows, departmentHeads } from './seed-data/approvals.ts';
import { workCalendar2026 } from './seed-data/calendar.ts';
import { FlowSteps } from '../shared/schemas/approvals.ts';
import { boms } from './seed-data/boms.ts';
import { forecasts } from './seed-data/forecasts.ts';
import { cycleMessage, cycleThrough, edgesOf } from '../server/modules/manufacturing/bom/rules.ts';
import { convert, distanceCheck } from '../server/modules/crm/visits/geo.ts';
import { createLead, updateLead } from '../server/modules/crm/leads/service.ts';
import { createOpportunity, moveOpportunityStage } from '../server/modules/crm/opportunities/service.ts';
import { createFollowUp } from '../server/modules/crm/follow-ups/service.ts';
import { createProject } from '../server/modules/finance/projects/service.ts';
import { createManualVoucher } from '../server/modules/finance/vouchers/service.ts';
import { ProjectCreate } from '../shared/schemas/projects.ts';
import { FollowUpCreate, LeadCreate, OpportunityCreate } from '../shared/schemas/crm-pipeline.ts';
import { followUps as demoFollowUps, leads as demoLeads, opportunities as demoOpportunities } from './seed-data/crm.ts';

export const DEMO_COMPANY = { code: 'YUNQIAO', name: '浙江云桥五金配件有限公司', taxNo: '91330212MA2H8K3Q7X' } as const;
export const DEMO_PASSWORD = 'yunqiao123';

type Tx = Prisma.TransactionClient;

function need<V>(map: Map<string, V>, key: string | undefined, what: string): V {
  const v = key === undefined ? undefined : map.get(key);
  if (v === undefined) throw new Error(`演示数据引用了不存在的${what}: ${key}`);
  return v;
}

export async function seedDemoCompany(
  system: Db,
  opts: {
    onlyIfEmpty: boolean;
    log?: (m: string) => void;
    env?: NodeJS.ProcessEnv;
    /** the demo notification routes (default on; the test template leaves them out: each story sets its own) */
    noticeRoutes?: boolean;
  },
): Promise<boolean> {
  const env = opts.env ?? process.env;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return system.$transaction(
    async (tx) => {
      // Several processes may start at once on one database: only one seeds.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7202612)`;
      const existing = opts.onlyIfEmpty ? await tx.company.count() : await tx.company.count({ where: { code: DEMO_COMPANY.code } });
      if (existing > 0) return false;
      await writeDemoCompany(tx, passwordHash, env, opts.noticeRoutes ?? true);
      return true;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** The IM organisations the demo company answers for: WECOM_CORP_ID, LARK_TENANT_KEY, DINGTALK_CORP_ID. */
export function configuredOrganisations(env: Record<string, unknown>): { platform: 'wecom' | 'lark' | 'dingtalk'; orgKey: string }[] {
  const orgs = [
    ['wecom', env.WECOM_CORP_ID],
    ['lark', env.LARK_TENANT_KEY],
    ['dingtalk', env.DINGTALK_CORP_ID],
  ] as const;
  return orgs.flatMap(([platform, key]) => (typeof key === 'string' && key.trim() ? [{ platform, orgKey: key.trim() }] : []));
}

/**
 * Binds each configured organisation to the demo company where that organisation is bound to no
 * company yet (on every start, so settings added after the first start take effect). Returns
 * one line per configured organisation saying what happened; `warning` when it belongs elsewhere.
 */
export async function bindDemoOrganisations(db: Tx, env: Record<string, unknown>): Promise<{ message: string; warning: boolean }[]> {
  const orgs = configuredOrganisations(env);
  if (!orgs.length) return [];
  const label = { wecom: '企业微信企业（WECOM_CORP_ID）', lark: '飞书租户（LARK_TENANT_KEY）', dingtalk: '钉钉组织（DINGTALK_CORP_ID）' } as const;
  const demo = await db.company.findUnique({ where: { code: DEMO_COMPANY.code } });
  if (!demo) return orgs.map((o) => ({ message: `${label[o.platform]} ${o.orgKey}：没有演示公司 ${DEMO_COMPANY.code}，未绑定`, warning: true }));
  const where = { OR: orgs.map((o) => ({ platform: o.platform, orgKey: o.orgKey })) };
  const before = new Set((await db.companyPlatform.findMany({ where, select: { platform: true, orgKey: true } })).map((r) => `${r.platform}:${r.orgKey}`));
  // An administrator who unbound the organisation (DELETE /company/platforms/:id, audited as
  // unbindPlatform) meant it: the setting alone does not bind it back on the next start.
  const unbound = new Set((await db.auditLog.findMany({
    where: {
      companyId: demo.id, entity: 'company', action: 'unbindPlatform',
      OR: orgs.map((o) => ({ AND: [{ before: { path: ['platform'], equals: o.platform } }, { before: { path: ['orgKey'], equals: o.orgKey } }] })),
    },
    select: { before: true },
  })).map((a) => { const b = a.before as { platform: string; orgKey: string }; return `${b.platform}:${b.orgKey}`; }));
  const toBind = orgs.filter((o) => before.has(`${o.platform}:${o.orgKey}`) || !unbound.has(`${o.platform}:${o.orgKey}`));
  // ON CONFLICT DO NOTHING: two processes starting at once may both find the binding free.
  await db.companyPlatform.createMany({ data: toBind.map((o) => ({ companyId: demo.id, ...o })), skipDuplicates: true });
  const rows = await db.companyPlatform.findMany({ where, select: { platform: true, orgKey: true, companyId: true, company: { select: { code: true, name: true } } } });
  return orgs.map((o) => {
    const row = rows.find((r) => r.platform === o.platform && r.orgKey === o.orgKey);
    if (!row) return { message: `${label[o.platform]} ${o.orgKey} 已由管理员从演示公司 ${DEMO_COMPANY.name} 解绑，未重新绑定`, warning: true };
    if (row.companyId !== demo.id) return { message: `${label[o.platform]} ${o.orgKey} 已绑定到 ${row.company.name}（${row.company.code}），未改动`, warning: true };
    const bound = before.has(`${o.platform}:${o.orgKey}`) ? '已是' : '已绑定到';
    return { message: `${label[o.platform]} ${o.orgKey} ${bound}演示公司 ${DEMO_COMPANY.name}`, warning: false };
  });
}

async function writeDemoCompany(tx: Tx, passwordHash: string, env: NodeJS.ProcessEnv, withNoticeRoutes: boolean): Promise<void> {
  const company = await tx.company.create({ data: { ...DEMO_COMPANY } });
  const companyId = company.id;
  await bindDemoOrganisations(tx, env);
  await seedChartOfAccounts(tx, companyId, company.taxpayerKind); // 小企业会计准则

  // Organisation: departments parent-first, roles, users, then managers.
  const deptIds = new Map<string, string>();
  for (const d of departments) {
    const row = await tx.department.create({
      data: { companyId, code: d.code, name: d.name, sort: d.sort ?? 0, parentId: d.parentCode ? need(deptIds, d.parentCode, '部门') : null },
    });
    deptIds.set(d.code, row.id);
  }
  const roleIds = new Map<string, string>();
  for (const r of roles) {
    const unknown = r.permissions === '*' ? [] : r.permissions.filter((p) => !ALL_PERMISSIONS.includes(p));
    if (unknown.length) throw new Error(`演示角色 ${r.code} 含有不存在的权限: ${unknown.join(', ')}`);
    const row = await tx.role.create({
      data: { companyId, code: r.code, name: r.name, dataScope: r.dataScope, permissions: r.permissions === '*' ? ['*'] : r.permissions },
    });
    roleIds.set(r.code, row.id);
  }
  const userIds = new Map<string, string>();
  for (const u of users) {
    const row = await tx.user.create({
      data: {
        companyId, username: u.username, passwordHash, name: u.name, employeeNo: u.employeeNo, mobile: u.mobile, email: u.email ?? null,
        departmentId: need(deptIds, u.departmentCode, '部门'),
        roles: { create: u.roleCodes.map((c) => ({ companyId, roleId: need(roleIds, c, '角色') })) },
        identities: {
          create: [
            { companyId, platform: 'wecom', externalUserId: u.username },
            { companyId, platform: 'dingtalk', externalUserId: u.username },
            { companyId, platform: 'lark', externalUserId: `ou_${u.username}` },
          ],
        },
      },
    });
    userIds.set(u.username, row.id);
  }
  for (const u of users) {
    if (u.managerUsername) await tx.user.update({ where: { id: userIds.get(u.username)! }, data: { managerId: need(userIds, u.managerUsername, '用户') } });
  }

  // 部门负责人 and the approval flows (story 1: 销售折扣).
  for (const h of departmentHeads) {
    await tx.department.update({ where: { id: need(deptIds, h.departmentCode, '部门') }, data: { headId: need(userIds, h.username, '用户') } });
  }
  for (const f of approvalFlows) {
    await tx.approvalFlow.create({
      data: {
        companyId, businessType: f.businessType, name: f.name, version: 1, current: true, active: true,
        // Named approvers are written as usernames in the seed data.
        steps: FlowSteps.parse(f.steps.map((s) => (s.approvers.kind === 'users'
          ? { ...s, approvers: { ...s.approvers, userIds: s.approvers.userIds.map((u) => need(userIds, u, '用户')) } }
          : s))) as Prisma.InputJsonValue,
        ccUserIds: (f.ccUsernames ?? []).map((u) => need(userIds, u, '用户')),
        remindAfterHours: f.remindAfterHours ?? null, escalateAfterHours: f.escalateAfterHours ?? null,
      },
    });
  }

  // 工作日历: the 2026 statutory holidays and 调休 workdays.
  await tx.workCalendarDay.createMany({ data: workCalendar2026.map((d) => ({ companyId, date: new Date(`${d.date}T00:00:00Z`), kind: d.kind, name: d.name })) });

  // Currencies and today's rates.
  const today = new Date(new Date().toISOString().slice(0, 10));
  for (const c of currencies) {
    await tx.currency.create({
      data: {
        companyId, code: c.code, name: c.name, symbol: c.symbol, isBase: c.isBase,
        rates: c.rate ? { create: [{ companyId, rateDate: today, rate: c.rate }] } : undefined,
      },
    });
  }

  // Units, categories, warehouses, items with their unit conversions.
  await tx.unit.createMany({ data: units.map((u) => ({ companyId, code: u.code, name: u.name, precision: u.precision })) });
  const unitIds = new Map((await tx.unit.findMany({ where: { companyId }, select: { id: true, code: true } })).map((u) => [u.code, u.id]));
  const categoryIds = new Map<string, string>();
  for (const c of categories) {
    const row = await tx.itemCategory.create({
      data: { companyId, code: c.code, name: c.name, parentId: c.parentCode ? need(categoryIds, c.parentCode, '物料分类') : null },
    });
    categoryIds.set(c.code, row.id);
  }
  await tx.warehouse.createMany({
    data: warehouses.map((w) => ({ companyId, code: w.code, name: w.name, address: w.address ?? null, managerId: w.managerUsername ? need(userIds, w.managerUsername, '用户') : null })),
  });
  await tx.item.createMany({
    data: items.map((i) => ({
      companyId, code: i.code, name: i.name, spec: i.spec ?? null, categoryId: need(categoryIds, i.categoryCode, '物料分类'),
      kind: i.kind, sourcing: i.sourcing,
      baseUnitId: need(unitIds, i.baseUnit, '计量单位'),
      purchaseUnitId: i.purchaseUnit ? need(unitIds, i.purchaseUnit, '计量单位') : null,
      salesUnitId: i.salesUnit ? need(unitIds, i.salesUnit, '计量单位') : null,
      safetyStock: i.safetyStock, leadTimeDays: i.leadTimeDays, scrapRate: i.scrapRate, standardCost: i.standardCost,
      salePrice: i.salePrice, taxRate: i.taxRate, batchTracked: i.batchTracked, moq: i.moq ?? '0', orderMultiple: i.orderMultiple ?? '1',
      inspectionRequired: i.inspectionRequired ?? false,
    })),
  });
  const itemIds = new Map((await tx.item.findMany({ where: { companyId }, select: { id: true, code: true } })).map((i) => [i.code, i.id]));
  await tx.unitConversion.createMany({
    data: items.flatMap((i) =>
      (i.conversions ?? []).map((c) => ({ companyId, itemId: itemIds.get(i.code)!, unitId: need(unitIds, c.unit, '计量单位'), factor: c.factor })),
    ),
  });
  await writeDemoBoms(tx, companyId, itemIds, unitIds);
  // 销售预测 for the next three months (the month's first day, in UTC like every date column)
  await tx.salesForecast.createMany({
    data: forecasts.map((f) => ({
      companyId, itemId: need(itemIds, f.itemCode, '物料'), quantity: f.quantity, remark: f.remark ?? null,
      period: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + f.monthOffset, 1)),
    })),
  });

  // Customers and suppliers with their contacts.
  for (const c of customers) {
    const { contacts, ownerUsername, ...fields } = c;
    await tx.customer.create({
      data: { ...fields, companyId, ownerId: need(userIds, ownerUsername, '用户'), contacts: { create: contacts.map((k) => ({ ...k, companyId })) } },
    });
  }
  for (const s of suppliers) {
    const { contacts, ...fields } = s;
    await tx.supplier.create({ data: { ...fields, companyId, contacts: { create: contacts.map((k) => ({ ...k, companyId })) } } });
  }

  // Which chat gets which notice.
  if (!withNoticeRoutes) return;
  const customerIds = new Map((await tx.customer.findMany({ where: { companyId }, select: { id: true, code: true } })).map((c) => [c.code, c.id]));
  await tx.notificationRoute.createMany({
    data: notificationRoutes.map(({ customerCode, ...r }) => ({ ...r, companyId, customerId: customerCode ? need(customerIds, customerCode, '客户') : null })),
  });
}

/**
 * The demo BOMs, first version valid from 2026-01-01. Checked as the API checks them: a line's unit
 * is the component's base unit or has a conversion (never 1:1), and no BOM closes a cycle.
 */
async function writeDemoBoms(tx: Tx, companyId: string, itemIds: Map<string, string>, unitIds: Map<string, string>): Promise<void> {
  const seedItems = new Map(items.map((i) => [i.code, i]));
  const edges = edgesOf(boms.flatMap((b) => b.lines.map((l) => ({ parentItemId: b.parentCode, componentItemId: l.componentCode }))));
  for (const b of boms) {
    const cycle = cycleThrough(edges, b.parentCode);
    if (cycle) throw new Error(`演示数据：${cycleMessage(cycle, (c) => c)}`);
  }
  for (const b of boms) {
    const lines = b.lines.map((l, n) => {
      const component = need(seedItems, l.componentCode, '物料');
      const unit = l.unit ?? component.baseUnit;
      const factor = unit === component.baseUnit ? '1' : component.conversions?.find((c) => c.unit === unit)?.factor;
      if (!factor) throw new Error(`演示数据：BOM ${b.code} 第 ${n + 1} 行，物料 ${l.componentCode} 没有 ${unit} 的换算率`);
      return {
        companyId, lineNo: n + 1, componentItemId: need(itemIds, l.componentCode, '物料'), unitId: need(unitIds, unit, '计量单位'),
        quantity: l.quantity, factor, baseQuantity: new Prisma.Decimal(l.quantity).times(factor), scrapRate: l.scrapRate ?? null,
        issueMethod: l.issueMethod ?? 'kit', operation: l.operation ?? null, phantom: l.phantom ?? false,
      };
    });
    await tx.bom.create({
      data: {
        companyId, code: b.code, parentItemId: need(itemIds, b.parentCode, '物料'), remark: b.remark ?? null,
        versions: {
          create: [{ companyId, versionNo: 1, validFrom: new Date('2026-01-01T00:00:00Z'), batchQuantity: b.batchQuantity ?? '1', lines: { create: lines } }],
        },
      },
    });
  }
}

/**
 * The demo company's business documents — 期初库存, purchase orders, sales orders in each state —
 * written through the same use cases as the API (as the demo users), so the stock ledger,
 * reservations, approvals and timelines agree. For `npm start` and `npm run db:seed` right after
 * seedDemoCompany wrote the company; the test template has the master data only.
 */
export async function seedDemoDocuments(database: Pick<Database, 'app' | 'system'>, log: (m: string) => void = () => {}): Promise<void> {
  registerApprovalDocuments(); // submitting orders may start approvals (also when run without the app)
  registerPostingRules(); // shipments post their vouchers
  const sys = database.system;
  const company = await sys.company.findUniqueOrThrow({ where: { code: DEMO_COMPANY.code } });
  const companyId = company.id;
  const byCode = async <T extends { code: string; id: string }>(rows: Promise<T[]>) => new Map((await rows).map((r) => [r.code, r.id]));
  const itemIds = await byCode(sys.item.findMany({ where: { companyId }, select: { code: true, id: true } }));
  const warehouseIds = await byCode(sys.warehouse.findMany({ where: { companyId }, select: { code: true, id: true } }));
  const customerIds = await byCode(sys.customer.findMany({ where: { companyId }, select: { code: true, id: true } }));
  const supplierIds = await byCode(sys.supplier.findMany({ where: { companyId }, select: { code: true, id: true } }));
  const userIds = new Map((await sys.user.findMany({ where: { companyId }, select: { username: true, id: true } })).map((u) => [u.username, u.id]));
  const contexts = new Map<string, UseCaseContext>();
  const as = async (username: string): Promise<UseCaseContext> => {
    if (!contexts.has(username)) {
      const actor = await loadActor(sys, { userId: need(userIds, username, '用户'), companyId });
      contexts.set(username, { db: database.app, actor, requestId: 'seed' });
    }
    return contexts.get(username)!;
  };
  const item = (code: string) => need(itemIds, code, '物料');

  const warehouse = await as('zhao.ck');
  // 不良品仓: where failed inspection quantities go (the company's setting names it)
  const rejects = await createWarehouse(warehouse, WarehouseCreate.parse({ code: 'WH03', name: '不良品仓', address: '浙江省宁波市鄞州区姜山镇科技园区明州西路577号5号库' }));
  await sys.company.update({ where: { id: companyId }, data: { rejectWarehouseId: rejects.id } });
  for (const o of openingStock) {
    await createStockAdjustment(warehouse, StockAdjustmentCreate.parse({
      warehouseId: need(warehouseIds, o.warehouseCode, '仓库'), reason: o.reason, opening: true,
      lines: o.lines.map((l) => ({ itemId: item(l.itemCode), quantity: l.quantity, unitCost: l.unitCost, batchNo: l.batchNo })),
    }));
  }
  // Purchase and sales documents touch different items: the two series run side by side.
  const purchasing = async () => {
    for (const p of purchaseOrders) {
      const buyer = await as(p.buyer);
      const order = await createPurchaseOrder(buyer, PurchaseOrderCreate.parse({
        supplierId: need(supplierIds, p.supplierCode, '供应商'), remark: p.remark,
        lines: p.lines.map((l) => ({ itemId: item(l.itemCode), quantity: l.quantity, unitPrice: l.unitPrice })),
      }));
      if (p.action === 'confirm') await confirmPurchaseOrder(buyer, order.id);
      const pending = (p.receivePending ?? []).flatMap((quantity, n) => (Number(quantity) > 0 ? [{ orderLineId: order.lines[n]!.id, quantity, qualityStatus: 'pending' }] : []));
      if (pending.length) await receivePurchaseOrder(warehouse, order.id, ReceiptCreate.parse({ lines: pending }));
      if (p.action === 'submit') await submitPurchaseOrder(buyer, order.id);
    }
  };
  const selling = async () => {
    for (const s of salesOrders) {
      const owner = await as(s.owner);
      const order = await createOrder(owner, SalesOrderCreate.parse({
        customerId: need(customerIds, s.customerCode, '客户'), remark: s.remark,
        lines: s.lines.map((l) => ({ itemId: item(l.itemCode), quantity: l.quantity, discountRate: l.discountRate })),
      }));
      if (s.action === 'submit') await submitOrder(owner, order.id, {});
      if (s.action === 'confirm' || s.action === 'cancel') await confirmOrder(owner, order.id, {});
      if (s.action === 'cancel') await cancelOrder(owner, order.id, s.remark);
      const ship = (s.ship ?? []).flatMap((quantity, n) => (Number(quantity) > 0 ? [{ orderLineId: order.lines![n]!.id, quantity }] : []));
      if (ship.length) await createShipment(warehouse, order.id, ShipmentCreate.parse({ lines: ship }));
    }
  };
  await Promise.all([purchasing(), selling()]);

  // 生产: the planner's tasks in three states, so the task pages, 报工 and 足缺料 show something.
  const planner = await as('sun.jh');
  const wh = (code: string) => need(warehouseIds, code, '仓库');
  const day = (n: number) => {
    const d = new Date(`${todayInShanghai()}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  };
  const task = (itemCode: string, quantity: string, start: number, finish: number, warehouseCode: string, remark: string) => createProductionTask(planner, ProductionTaskCreate.parse({
    itemId: item(itemCode), quantity, materialWarehouseId: wh('WH01'), warehouseId: wh(warehouseCode), plannedStart: day(start), plannedFinish: day(finish), remark,
  }));
  // 冷镦 50,000 blanks from Φ6.5 wire rod: released, kit-issued (659.899 kg with the rod's scrap, from its 炉号), 30,000 reported by 陈工人 and received
  const blanks = await task('SF-BLK-M8X30', '50000', 0, 3, 'WH01', '冷镦车间本周计划');
  await releaseProductionTask(planner, blanks.id);
  await issueProductionTask(warehouse, blanks.id, { quantity: '50000' });
  await reportWork(await as('chen.gr'), blanks.id, WorkReportCreate.parse({ operation: '冷镦', goodQuantity: '30000', scrapQuantity: '120', hours: '7.5' }));
  await receiveProductionTask(warehouse, blanks.id, { quantity: '30000' });
  // 10,000 M8 nuts released without plated nuts in stock: 足缺料 shows the task short
  const nuts = await task('FG-NUT-M8', '10000', 2, 5, 'WH02', '螺母包装');
  await releaseProductionTask(planner, nuts.id);
  // 20,000 M8×30 bolts planned for next week
  await task('FG-BLT-M8X30', '20000', 7, 9, 'WH02', '下周包装计划');
  // CRM: leads, opportunities moved along their stages, follow-ups (one due today for 李销售)
  for (const l of demoLeads) {
    const ctx = await as(l.owner);
    const lead = await createLead(ctx, LeadCreate.parse({ contactName: l.contactName, company: l.company, title: l.title, phone: l.phone, source: l.source, remark: l.remark }));
    if (l.status) await updateLead(ctx, lead.id, { status: l.status, invalidReason: l.invalidReason, version: lead.version });
  }
  const opportunityIds = new Map<string, string>();
  for (const o of demoOpportunities) {
    const ctx = await as(o.owner);
    const created = await createOpportunity(ctx, OpportunityCreate.parse({ customerId: need(customerIds, o.customerCode, '客户'), title: o.title, amount: o.amount, expectedCloseDate: day(o.closeInDays) }));
    opportunityIds.set(o.title, created.id);
    if (o.stage !== created.stage.name) {
      const stage = await sys.opportunityStage.findFirstOrThrow({ where: { companyId, name: o.stage } });
      await moveOpportunityStage(ctx, created.id, { stageId: stage.id, reason: o.reason, version: created.version });
    }
  }
  for (const f of demoFollowUps) {
    await createFollowUp(await as(f.owner), FollowUpCreate.parse({
      customerId: need(customerIds, f.customerCode, '客户'), opportunityId: f.opportunity ? need(opportunityIds, f.opportunity, '商机') : null,
      type: f.type, content: f.content, nextContactOn: f.nextContactInDays === undefined ? null : day(f.nextContactInDays),
    }));
  }
  await seedDemoVisits(sys, companyId, need(userIds, 'li.xs', '用户'), customerIds, day);
  // 项目 (辅助核算): a customer's supply project and the plant refit, whose design fee is booked to 在建工程 by project.
  const accountant = await as('qian.kj');
  await createProject(accountant, ProjectCreate.parse({
    code: 'P001', name: '港城汽车 M8 螺栓配套项目', customerId: need(customerIds, 'C0002', '客户'), managerId: need(userIds, 'zhang.jl', '用户'),
    startDate: day(-30), remark: '港城汽车新车型 M8×30 高强度螺栓年度配套',
  }));
  const refit = await createProject(accountant, ProjectCreate.parse({
    code: 'P002', name: '新厂房改造', managerId: need(userIds, 'boss', '用户'), startDate: day(-10), endDate: day(80), remark: '3 号厂房改造为热处理车间',
  }));
  const accountIds = await byCode(sys.account.findMany({ where: { companyId, code: { in: ['1604', '2241'] } }, select: { code: true, id: true } }));
  await createManualVoucher(accountant, {
    date: todayInShanghai(), summary: '新厂房改造设计费（宁波市建筑设计院，未付）',
    lines: [
      { accountId: need(accountIds, '1604', '科目'), debit: '18000.00', projectId: refit.id },
      { accountId: need(accountIds, '2241', '科目'), credit: '18000.00' },
    ],
  });
  log(`已写入演示单据：不良品仓、期初库存 ${openingStock.length} 张、采购订单 ${purchaseOrders.length} 张、销售订单 ${salesOrders.length} 张、生产任务单 3 张、线索 ${demoLeads.length} 条、商机 ${demoOpportunities.length} 个、跟进记录 ${demoFollowUps.length} 条、拜访 2 次、项目 2 个（手工凭证 1 张）`);
}

/**
 * 拜访 for 李销售: today's plan at 宁波北仑港城汽车零部件 (C0002, GCJ-02 pin) and yesterday's
 * finished visit at 宁波镇海甬兴电力金具 (C0003), checked in from WeCom (WGS-84) about 80 m from its pin.
 * Written as rows: a check-in's times are the server's, which a use case run today cannot backdate.
 */
async function seedDemoVisits(sys: Db, companyId: string, salespersonId: string, customerIds: Map<string, string>, day: (n: number) => string): Promise<void> {
  const at = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`);
  const today = day(0);
  const yesterday = day(-1);
  await sys.visit.create({
    data: { companyId, salespersonId, createdById: salespersonId, customerId: need(customerIds, 'C0002', '客户'), plannedAt: at(today, '15:00'), purpose: '回访 M8 螺栓试用情况，商谈年度框架报价' },
  });
  const c3 = await sys.customer.findUniqueOrThrow({ where: { id: need(customerIds, 'C0003', '客户') } });
  const pin = { lat: c3.latitude!.toNumber(), lng: c3.longitude!.toNumber() };
  const gcj = { lat: pin.lat + 0.0006, lng: pin.lng + 0.0004 }; // at the gate, ~80 m from the pin
  const wgs = convert(gcj, 'gcj02', 'wgs84');
  const { distanceMeters, warning } = distanceCheck(gcj, pin, 500);
  const d7 = (n: number) => new Prisma.Decimal(n.toFixed(7));
  const checkInAt = at(yesterday, '10:02');
  await sys.visit.create({
    data: {
      companyId, salespersonId, createdById: salespersonId, customerId: c3.id, plannedAt: at(yesterday, '10:00'), purpose: '了解电力金具配套螺栓需求',
      state: 'done', checkInAt, capturedAt: new Date(checkInAt.getTime() - 4_000), sentAt: checkInAt, positionSource: 'wecom', coordSystem: 'wgs84',
      rawLat: d7(wgs.lat), rawLng: d7(wgs.lng), accuracyMeters: new Prisma.Decimal('12.0'), wgsLat: d7(wgs.lat), wgsLng: d7(wgs.lng), gcjLat: d7(gcj.lat), gcjLng: d7(gcj.lng),
      distanceMeters, radiusMeters: 500, distanceWarning: warning,
      notes: '黄总确认明年热镀锌螺栓需求约 80 万件，要求提供盐雾试验报告', nextStep: '本周内发送 M12 热镀锌螺栓报价和检测报告',
      checkOutAt: at(yesterday, '10:47'), durationMinutes: 45, minMinutes: 5, tooShort: false,
    },
  });
}

// `npm run db:seed`: add the demo company to the configured database if it is not there yet.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { openDatabase } = await import('../server/db/database.ts');
  const { loadConfig } = await import('../server/platform/config.ts');
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log: console.log });
  try {
    const done = await seedDemoCompany(db.system, { onlyIfEmpty: false, log: console.log });
    if (done) await seedDemoDocuments(db, console.log);
    console.log(done ? `已写入演示公司 ${DEMO_COMPANY.name}` : `演示公司 ${DEMO_COMPANY.name} 已存在，未做改动`);
  } finally {
    await db.close();
  }
}
