// 演示销售预测（备货生产）：M8 螺栓和螺母接下来三个月的预计销量（基本单位：个）。月份相对种子日期
// （1 = 下个月），所以新启动时第一次运行物料需求计算就有要生产和采购的建议，且开始日期还没过：
// 螺栓库存 6 万、安全库存 2 万，下月预测 6 万即须生产（不足最小批量 1 万按 1 万），再往下展开到镀锌件、
// 调质件、冷镦坯和盘条。
export interface SeedForecast {
  itemCode: string;
  /** months after the seed date's month */
  monthOffset: number;
  quantity: string;
  remark?: string;
}

export const forecasts: SeedForecast[] = [
  { itemCode: 'FG-BLT-M8X30', monthOffset: 1, quantity: '60000', remark: '春节前备货' },
  { itemCode: 'FG-BLT-M8X30', monthOffset: 2, quantity: '50000' },
  { itemCode: 'FG-BLT-M8X30', monthOffset: 3, quantity: '60000' },
  { itemCode: 'FG-NUT-M8', monthOffset: 1, quantity: '80000', remark: '与 M8 螺栓配套' },
  { itemCode: 'FG-NUT-M8', monthOffset: 2, quantity: '60000' },
  { itemCode: 'FG-NUT-M8', monthOffset: 3, quantity: '80000' },
];
