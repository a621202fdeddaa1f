// 演示销售预测（备货生产）：M8 螺栓和螺母未来三个月的预计销量（基本单位：个）。月份相对种子日期
// （0 = 当月），所以新启动时第一次运行物料需求计算就有要生产和采购的建议：螺栓库存 6 万、安全库存
// 2 万，当月预测 5 万即须生产，再往下展开到镀锌件、调质件、冷镦坯和盘条。
export interface SeedForecast {
  itemCode: string;
  /** months after the seed date's month */
  monthOffset: number;
  quantity: string;
  remark?: string;
}

export const forecasts: SeedForecast[] = [
  { itemCode: 'FG-BLT-M8X30', monthOffset: 0, quantity: '50000', remark: '年底备货' },
  { itemCode: 'FG-BLT-M8X30', monthOffset: 1, quantity: '60000' },
  { itemCode: 'FG-BLT-M8X30', monthOffset: 2, quantity: '60000' },
  { itemCode: 'FG-NUT-M8', monthOffset: 0, quantity: '60000', remark: '与 M8 螺栓配套' },
  { itemCode: 'FG-NUT-M8', monthOffset: 1, quantity: '80000' },
  { itemCode: 'FG-NUT-M8', monthOffset: 2, quantity: '80000' },
];
