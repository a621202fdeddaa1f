// 演示业务单据：期初库存（成品仓、原材料仓，部分物料低于安全库存）、不良品仓、采购订单（一张部分待检入库，
// 有待检验的检验单）与销售订单（各种状态）。
// 由 prisma/seed.ts 的 seedDemoDocuments 经真实的业务服务写入（库存账、预留、时间线一致）。
// 数量：期初为基本单位；订单为物料默认单位（成品按箱，盘条按吨）。

export interface SeedOpeningLine { itemCode: string; quantity: string; unitCost: string; batchNo?: string }
export interface SeedOpening { warehouseCode: string; reason: string; lines: SeedOpeningLine[] }

export const openingStock: SeedOpening[] = [
  {
    warehouseCode: 'WH02',
    reason: '期初库存：成品仓盘点结转',
    lines: [
      { itemCode: 'FG-BLT-M8X30', quantity: '60000', unitCost: '0.030000' },
      { itemCode: 'FG-BLT-M8X20', quantity: '45000', unitCost: '0.025100' },
      { itemCode: 'FG-BLT-M10X30', quantity: '25000', unitCost: '0.047500' },
      { itemCode: 'FG-BLT-M12X50', quantity: '1200', unitCost: '0.091700' }, // 安全库存 2,000
      { itemCode: 'FG-NUT-M8', quantity: '80000', unitCost: '0.010700' },
      { itemCode: 'FG-NUT-M10', quantity: '12000', unitCost: '0.017200' }, // 安全库存 20,000
      { itemCode: 'FG-WSH-FW-M8', quantity: '100000', unitCost: '0.004200' },
      { itemCode: 'FG-WSH-SW-M8', quantity: '60000', unitCost: '0.004600' }, // 安全库存 100,000
      { itemCode: 'FG-BLT-M8X25-A2', quantity: '20000', unitCost: '0.116900' },
      { itemCode: 'FG-SCR-SHC-M6X20', quantity: '80000', unitCost: '0.021300' },
      { itemCode: 'PP-EXP-M10X100', quantity: '1500', unitCost: '0.550000' }, // 安全库存 2,000
    ],
  },
  {
    warehouseCode: 'WH01',
    reason: '期初库存：原材料仓盘点结转',
    lines: [
      { itemCode: 'RM-WR-35K-6.5', quantity: '42000', unitCost: '5.330000', batchNo: 'L2611-0815' },
      { itemCode: 'RM-WR-35K-8.0', quantity: '3200', unitCost: '5.150000', batchNo: 'L2610-2203' }, // 安全库存 5,000
      { itemCode: 'RM-WR-08AL-13.0', quantity: '18000', unitCost: '4.960000', batchNo: 'L2611-0302' },
      { itemCode: 'PK-CTN-M', quantity: '4000', unitCost: '1.800000' },
      { itemCode: 'PK-CTN-S', quantity: '600', unitCost: '1.200000' }, // 安全库存 2,000
    ],
  },
];

export interface SeedPurchaseOrder {
  buyer: string; supplierCode: string; remark: string;
  /** draft: left as is; confirm: confirmed at once (under ¥50,000); submit: ≥ ¥50,000 waits for 总经理 */
  action: 'draft' | 'confirm' | 'submit';
  /** after confirming: 赵仓管 receives these quantities (order units) of the lines 待检, in line order (each opens a 检验单) */
  receivePending?: string[];
  lines: { itemCode: string; quantity: string; unitPrice: string }[];
}

export const purchaseOrders: SeedPurchaseOrder[] = [
  { buyer: 'wang.cg', supplierCode: 'S0002', action: 'confirm', remark: 'Φ8.0 盘条补库', lines: [{ itemCode: 'RM-WR-35K-8.0', quantity: '8', unitPrice: '5820' }] },
  {
    buyer: 'wang.cg', supplierCode: 'S0008', action: 'confirm', remark: '纸箱补库', receivePending: ['0', '500'],
    lines: [{ itemCode: 'PK-CTN-S', quantity: '3000', unitPrice: '1.36' }, { itemCode: 'PK-CTN-M', quantity: '2000', unitPrice: '2.03' }],
  },
  { buyer: 'wang.cg', supplierCode: 'S0001', action: 'submit', remark: '四季度 Φ6.5 盘条备料', lines: [{ itemCode: 'RM-WR-35K-6.5', quantity: '20', unitPrice: '6020' }] },
  { buyer: 'wang.cg', supplierCode: 'S0003', action: 'draft', remark: '询价中', lines: [{ itemCode: 'RM-WR-08AL-13.0', quantity: '5', unitPrice: '5600' }] },
];

export interface SeedSalesOrder {
  owner: string; customerCode: string; remark: string;
  /**
   * draft: left as is; confirm: confirmed (reserves stock); submit: discount over 10% → 待审批 (张经理);
   * cancel: confirmed, then cancelled (reservation released)
   */
  action: 'draft' | 'confirm' | 'submit' | 'cancel';
  /** after confirming: 赵仓管 ships these quantities (order units) of the lines, in line order */
  ship?: string[];
  lines: { itemCode: string; quantity: string; discountRate?: string }[];
}

export const salesOrders: SeedSalesOrder[] = [
  {
    owner: 'li.xs', customerCode: 'C0002', action: 'confirm', ship: ['5', '0'], remark: '分批发货',
    lines: [{ itemCode: 'FG-BLT-M8X30', quantity: '20' }, { itemCode: 'FG-NUT-M8', quantity: '10' }],
  },
  { owner: 'li.xs', customerCode: 'C0003', action: 'confirm', ship: ['10'], remark: '已全部发货', lines: [{ itemCode: 'FG-BLT-M10X30', quantity: '10' }] },
  { owner: 'zhang.jl', customerCode: 'C0001', action: 'confirm', remark: '缺货待补', lines: [{ itemCode: 'FG-BLT-M12X50', quantity: '10' }] },
  { owner: 'li.xs', customerCode: 'C0008', action: 'submit', remark: '老客户年底让利', lines: [{ itemCode: 'FG-BLT-M8X30', quantity: '10', discountRate: '0.15' }] },
  { owner: 'li.xs', customerCode: 'C0013', action: 'draft', remark: '待客户确认数量', lines: [{ itemCode: 'FG-WSH-FW-M8', quantity: '4' }] },
  { owner: 'li.xs', customerCode: 'C0010', action: 'cancel', remark: '客户取消', lines: [{ itemCode: 'FG-NUT-M10', quantity: '2' }] },
];
