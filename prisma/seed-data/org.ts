// 演示企业：浙江云桥五金配件有限公司（宁波，紧固件制造兼贸易）——组织架构、角色与用户
import type { SeedDepartment, SeedRole, SeedUser } from './types.ts';

export const departments: SeedDepartment[] = [
  { code: 'D00', name: '浙江云桥五金配件有限公司', sort: 0 },
  { code: 'D01', name: '总经办', parentCode: 'D00', sort: 1 },
  { code: 'D02', name: '销售部', parentCode: 'D00', sort: 2 },
  { code: 'D03', name: '华东销售组', parentCode: 'D02', sort: 1 },
  { code: 'D04', name: '华南销售组', parentCode: 'D02', sort: 2 },
  { code: 'D05', name: '采购部', parentCode: 'D00', sort: 3 },
  { code: 'D06', name: '仓储物流部', parentCode: 'D00', sort: 4 },
  { code: 'D07', name: '生产部', parentCode: 'D00', sort: 5 },
  { code: 'D08', name: '冷镦车间', parentCode: 'D07', sort: 1 },
  { code: 'D09', name: '热处理车间', parentCode: 'D07', sort: 2 },
  { code: 'D10', name: '计划部', parentCode: 'D00', sort: 6 },
  { code: 'D11', name: '质检部', parentCode: 'D00', sort: 7 },
  { code: 'D12', name: '财务部', parentCode: 'D00', sort: 8 },
  { code: 'D13', name: '信息部', parentCode: 'D00', sort: 9 },
];

export const roles: SeedRole[] = [
  { code: 'admin', name: '系统管理员', dataScope: 'all', permissions: '*' },
  { code: 'boss', name: '总经理', dataScope: 'all', permissions: '*' },
  {
    code: 'sales_manager',
    name: '销售经理',
    dataScope: 'department',
    permissions: [
      'customer:read', 'customer:create', 'customer:update', 'customer:delete', 'customer:import', 'customer:export',
      'item:read', 'unit:read', 'warehouse:read', 'currency:read', 'stock:read',
      'quotation:read', 'quotation:create', 'quotation:update', 'quotation:delete', 'quotation:confirm', 'quotation:cancel', 'quotation:export',
      'salesOrder:read', 'salesOrder:create', 'salesOrder:update', 'salesOrder:delete', 'salesOrder:confirm', 'salesOrder:cancel',
      'salesOrder:export', 'salesOrder:overrideCredit', 'shipment:read',
      'contract:read', 'contract:create', 'contract:update', 'contract:delete', 'contract:cancel', 'contract:export',
      'attachment:read', 'attachment:create',
      'user:read', 'department:read', 'kitting:read', 'forecast:read', 'forecast:write',
      'salesInvoice:read', 'customerReceipt:read', 'visit:read', 'visit:write', 'visit:confirm',
      'salesInvoice:read', 'customerReceipt:read',
      'lead:read', 'lead:create', 'lead:update', 'lead:delete', 'lead:assign', 'lead:convert',
      'opportunity:read', 'opportunity:create', 'opportunity:update', 'opportunity:delete', 'opportunityStage:write',
      'followUp:read', 'followUp:create', 'followUp:delete', 'project:read',
    ],
  },
  {
    code: 'sales',
    name: '销售员',
    dataScope: 'own',
    permissions: [
      'customer:read', 'customer:create', 'customer:update', 'customer:export',
      'item:read', 'unit:read', 'warehouse:read', 'currency:read', 'stock:read',
      'quotation:read', 'quotation:create', 'quotation:update', 'quotation:delete', 'quotation:confirm', 'quotation:cancel',
      'salesOrder:read', 'salesOrder:create', 'salesOrder:update', 'salesOrder:delete', 'salesOrder:confirm', 'salesOrder:cancel',
      'shipment:read',
      'contract:read', 'contract:create', 'contract:update', 'contract:delete', 'contract:cancel',
      'attachment:read', 'attachment:create', 'kitting:read', 'salesInvoice:read', 'customerReceipt:read', 'visit:read', 'visit:write',
      'attachment:read', 'attachment:create', 'kitting:read', 'salesInvoice:read', 'customerReceipt:read',
      'lead:read', 'lead:create', 'lead:update', 'lead:convert',
      'opportunity:read', 'opportunity:create', 'opportunity:update', 'followUp:read', 'followUp:create', 'project:read',
    ],
  },
  {
    code: 'purchaser',
    name: '采购员',
    dataScope: 'all',
    permissions: [
      'supplier:read', 'supplier:create', 'supplier:update', 'supplier:delete', 'supplier:import', 'supplier:export',
      'item:read', 'item:create', 'item:update', 'item:export', 'item:import',
      'unit:read', 'warehouse:read', 'currency:read', 'stock:read',
      'purchaseRequisition:read', 'purchaseRequisition:create', 'purchaseRequisition:update', 'purchaseRequisition:delete',
      'purchaseRequisition:confirm', 'purchaseRequisition:cancel', 'purchaseRequisition:export',
      'purchaseOrder:read', 'purchaseOrder:create', 'purchaseOrder:update', 'purchaseOrder:delete',
      'purchaseOrder:confirm', 'purchaseOrder:cancel', 'purchaseOrder:export', 'receipt:read',
      'attachment:read', 'attachment:create', 'bom:read', 'kitting:read', 'mrp:read',
      'purchaseInvoice:read', 'supplierPayment:read',
    ],
  },
  {
    code: 'warehouse',
    name: '仓管员',
    dataScope: 'all',
    permissions: [
      'item:read', 'item:update', 'item:export',
      'unit:read', 'unit:create', 'unit:update', 'unit:delete',
      'warehouse:read', 'warehouse:create', 'warehouse:update', 'warehouse:delete',
      'stock:read', 'stock:create', 'stock:export',
      'salesOrder:read', 'shipment:read', 'shipment:create', 'shipment:export',
      'purchaseOrder:read', 'receipt:read', 'receipt:create', 'receipt:export',
      'attachment:read', 'attachment:create', 'bom:read', 'kitting:read',
      'productionTask:read', 'productionTask:issue', 'qualityInspection:read',
    ],
  },
  {
    code: 'planner',
    name: '计划员',
    dataScope: 'all',
    permissions: [
      'item:read', 'item:create', 'item:update', 'item:export', 'item:import',
      'unit:read', 'warehouse:read', 'supplier:read', 'stock:read', 'salesOrder:read', 'purchaseOrder:read',
      'purchaseRequisition:read', 'purchaseRequisition:create', 'purchaseRequisition:update', 'purchaseRequisition:confirm',
      'bom:read', 'bom:write', 'kitting:read', 'mrp:read', 'mrp:run', 'mrp:write',
      'productionTask:read', 'productionTask:create', 'productionTask:update', 'productionTask:issue', 'productionTask:report',
      'forecast:read', 'forecast:write',
    ],
  },
  {
    // 车间工人 report their own work (报工) from the phone; they see the tasks, not others' reports
    code: 'worker',
    name: '车间工人',
    dataScope: 'own',
    permissions: ['productionTask:report'],
  },
  {
    code: 'qc',
    name: '质检员',
    dataScope: 'all',
    permissions: [
      'item:read', 'warehouse:read', 'stock:read', 'receipt:read', 'attachment:read', 'attachment:create', 'bom:read',
      'qualityInspection:read', 'qualityInspection:record',
    ],
  },
  {
    code: 'accountant',
    name: '会计',
    dataScope: 'all',
    permissions: [
      'customer:read', 'customer:export',
      'supplier:read', 'supplier:export',
      'currency:read', 'currency:create', 'currency:update', 'currency:delete',
      'item:read', 'audit:read', 'stock:read', 'stock:export',
      'salesOrder:read', 'salesOrder:export', 'shipment:read', 'purchaseOrder:read', 'purchaseOrder:export', 'receipt:read',
      'contract:read', 'contract:export',
      'expense:pay', 'attachment:read', 'bom:read', 'costClose:read', 'costClose:run',
      'account:read', 'account:create', 'voucher:read', 'voucher:write', 'voucher:reverse', 'period:close',
      'salesInvoice:read', 'salesInvoice:write', 'customerReceipt:read', 'customerReceipt:write', 'arMatch:write', 'arWriteOff:write',
      'purchaseInvoice:read', 'purchaseInvoice:write', 'supplierPayment:read', 'supplierPayment:write',
      'project:read', 'project:write',
    ],
  },
];

export const users: SeedUser[] = [
  {
    username: 'boss', name: '老板', employeeNo: 'YQ0001', mobile: '13905748801',
    email: 'boss@yunqiao-demo.cn', departmentCode: 'D01', roleCodes: ['boss'],
  },
  {
    username: 'admin', name: '系统管理员', employeeNo: 'YQ0002', mobile: '18058216630',
    email: 'admin@yunqiao-demo.cn', departmentCode: 'D13', managerUsername: 'boss', roleCodes: ['admin'],
  },
  {
    username: 'zhang.jl', name: '张经理', employeeNo: 'YQ0003', mobile: '13806617452',
    email: 'zhang.jl@yunqiao-demo.cn', departmentCode: 'D02', managerUsername: 'boss', roleCodes: ['sales_manager'],
  },
  {
    username: 'li.xs', name: '李销售', employeeNo: 'YQ0004', mobile: '15867420913',
    email: 'li.xs@yunqiao-demo.cn', departmentCode: 'D03', managerUsername: 'zhang.jl', roleCodes: ['sales'],
  },
  {
    username: 'wu.xs', name: '吴销售', employeeNo: 'YQ0005', mobile: '18857431276',
    email: 'wu.xs@yunqiao-demo.cn', departmentCode: 'D03', managerUsername: 'zhang.jl', roleCodes: ['sales'],
  },
  {
    username: 'liu.xs', name: '刘销售', employeeNo: 'YQ0006', mobile: '13928745016',
    email: 'liu.xs@yunqiao-demo.cn', departmentCode: 'D04', managerUsername: 'zhang.jl', roleCodes: ['sales'],
  },
  {
    username: 'wang.cg', name: '王采购', employeeNo: 'YQ0007', mobile: '15057489324',
    email: 'wang.cg@yunqiao-demo.cn', departmentCode: 'D05', managerUsername: 'boss', roleCodes: ['purchaser'],
  },
  {
    username: 'zhao.ck', name: '赵仓管', employeeNo: 'YQ0008', mobile: '13567830148',
    email: 'zhao.ck@yunqiao-demo.cn', departmentCode: 'D06', managerUsername: 'boss', roleCodes: ['warehouse'],
  },
  {
    username: 'sun.jh', name: '孙计划', employeeNo: 'YQ0009', mobile: '18267459037',
    email: 'sun.jh@yunqiao-demo.cn', departmentCode: 'D10', managerUsername: 'boss', roleCodes: ['planner'],
  },
  {
    username: 'zhou.zj', name: '周质检', employeeNo: 'YQ0010', mobile: '15968841725',
    email: 'zhou.zj@yunqiao-demo.cn', departmentCode: 'D11', managerUsername: 'boss', roleCodes: ['qc'],
  },
  {
    username: 'qian.kj', name: '钱会计', employeeNo: 'YQ0011', mobile: '13858290463',
    email: 'qian.kj@yunqiao-demo.cn', departmentCode: 'D12', managerUsername: 'boss', roleCodes: ['accountant'],
  },
  {
    username: 'chen.gr', name: '陈工人', employeeNo: 'YQ0012', mobile: '13757461285',
    email: 'chen.gr@yunqiao-demo.cn', departmentCode: 'D08', managerUsername: 'sun.jh', roleCodes: ['worker'],
  },
];
