// 演示 BOM：M8 螺栓、螺母、平垫圈，从盘条/钢带到装箱成品。
// 螺栓 4 层：盘条 → 冷镦坯 → 调质件 → 镀锌件 → 装箱成品；螺母的攻牙件是虚拟件（跳层）；
// 小号纸箱是三种成品共用的子件。坯料按千件用量（母件基数 1000），盘条按吨录入，按换算率折成千克。
import type { SeedBom } from './types.ts';

export const boms: SeedBom[] = [
  {
    code: 'BOM-FG-BLT-M8X30', parentCode: 'FG-BLT-M8X30', remark: '1000 个装一箱',
    lines: [
      { componentCode: 'SF-ZN-M8X30', quantity: '1', operation: '包装' },
      { componentCode: 'PK-CTN-S', quantity: '0.001', scrapRate: '0', operation: '包装', issueMethod: 'backflush' },
    ],
  },
  {
    code: 'BOM-SF-ZN-M8X30', parentCode: 'SF-ZN-M8X30',
    lines: [{ componentCode: 'SF-HT-M8X30', quantity: '1', operation: '镀锌' }],
  },
  {
    code: 'BOM-SF-HT-M8X30', parentCode: 'SF-HT-M8X30',
    lines: [{ componentCode: 'SF-BLK-M8X30', quantity: '1', operation: '调质' }],
  },
  {
    code: 'BOM-SF-BLK-M8X30', parentCode: 'SF-BLK-M8X30', batchQuantity: '1000', remark: '千件用量：单件约 13 克',
    lines: [{ componentCode: 'RM-WR-35K-6.5', unit: 'T', quantity: '0.0130', operation: '冷镦' }],
  },
  {
    code: 'BOM-FG-NUT-M8', parentCode: 'FG-NUT-M8', remark: '2000 个装一箱',
    lines: [
      { componentCode: 'SF-ZN-NUT-M8', quantity: '1', operation: '包装' },
      { componentCode: 'PK-CTN-S', quantity: '0.0005', scrapRate: '0', operation: '包装', issueMethod: 'backflush' },
    ],
  },
  {
    code: 'BOM-SF-ZN-NUT-M8', parentCode: 'SF-ZN-NUT-M8',
    lines: [{ componentCode: 'SF-TAP-NUT-M8', quantity: '1', operation: '镀锌', phantom: true }],
  },
  {
    code: 'BOM-SF-TAP-NUT-M8', parentCode: 'SF-TAP-NUT-M8',
    lines: [{ componentCode: 'SF-BLK-NUT-M8', quantity: '1', operation: '攻牙', issueMethod: 'backflush' }],
  },
  {
    code: 'BOM-SF-BLK-NUT-M8', parentCode: 'SF-BLK-NUT-M8', batchQuantity: '1000', remark: '千件用量：单件约 5 克',
    lines: [{ componentCode: 'RM-WR-08AL-13.0', unit: 'KG', quantity: '5.2', operation: '多工位冷镦' }],
  },
  {
    code: 'BOM-FG-WSH-FW-M8', parentCode: 'FG-WSH-FW-M8', remark: '5000 个装一箱',
    lines: [
      { componentCode: 'SF-ZN-WSH-FW-M8', quantity: '1', operation: '包装' },
      { componentCode: 'PK-CTN-S', quantity: '0.0002', scrapRate: '0', operation: '包装', issueMethod: 'backflush' },
    ],
  },
  {
    code: 'BOM-SF-ZN-WSH-FW-M8', parentCode: 'SF-ZN-WSH-FW-M8', batchQuantity: '1000', remark: '冲压含边角料：千件耗钢带 3.1 千克',
    lines: [{ componentCode: 'RM-ST-Q235-1.6', unit: 'KG', quantity: '3.1', operation: '冲压+镀锌', scrapRate: '0.02' }],
  },
];
