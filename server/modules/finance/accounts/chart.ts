// 会计科目表 of 小企业会计准则 (财会〔2011〕17号, 附录《会计科目、主要账务处理和财务报表》): the 66
// first-level accounts with the codes the appendix gives, 5403 named 税金及附加 as 财会〔2016〕22号
// renamed it, and the sub-accounts the posting rules need. Codes of sub-accounts are ours (each level
// two more digits, as the appendix leaves 明细科目 to the company):
//   2202 应付账款 → 220201 应付货款, 220202 暂估应付款 (receipts before their invoice);
//   2221 应交税费 → 222101 应交增值税 → 22210101 进项税额, 22210102 销项税额, 22210103 进项税额转出,
//                   22210104 转出未交增值税; 222102 未交增值税; 222103 待转销项税额 (财会〔2016〕22号);
//                   222104 应交城市维护建设税, 222105 应交教育费附加, 222106 应交地方教育附加, 222107 应交所得税 (month end);
//   3104 利润分配 → 310401 未分配利润 (year end moves 本年利润 here).
// A 小规模纳税人 keeps only 222101 应交增值税, itself a leaf (no 进项/销项 split, no 未交/待转).
// 外币核算 (FX_ACCOUNTS): 应收账款, 预付账款, 应付账款 (and its sub-accounts), 预收账款 take a foreign
// amount per line; a company's foreign bank sub-account (银行存款—美元) is 外币核算 in its one currency.
// Pure data: no database.
import type { AccountCategory, BalanceDirection, TaxpayerKind } from '../../../generated/prisma/enums.ts';

export interface ChartAccount {
  code: string;
  name: string;
  category: AccountCategory;
  direction: BalanceDirection;
}

const a = (category: AccountCategory, direction: BalanceDirection) => (code: string, name: string): ChartAccount => ({ code, name, category, direction });
const asset = a('asset', 'debit');
const contraAsset = a('asset', 'credit');
const liability = a('liability', 'credit');
const equity = a('equity', 'credit');
const cost = a('cost', 'debit');
const income = a('profitLoss', 'credit');
const expense = a('profitLoss', 'debit');

/** The first-level accounts, in the appendix's order. */
export const FIRST_LEVEL_ACCOUNTS: readonly ChartAccount[] = [
  asset('1001', '库存现金'), asset('1002', '银行存款'), asset('1012', '其他货币资金'), asset('1101', '短期投资'),
  asset('1121', '应收票据'), asset('1122', '应收账款'), asset('1123', '预付账款'), asset('1131', '应收股利'),
  asset('1132', '应收利息'), asset('1221', '其他应收款'), asset('1401', '材料采购'), asset('1402', '在途物资'),
  asset('1403', '原材料'), asset('1404', '材料成本差异'), asset('1405', '库存商品'), contraAsset('1407', '商品进销差价'),
  asset('1408', '委托加工物资'), asset('1411', '周转材料'), asset('1421', '消耗性生物资产'), asset('1501', '长期债券投资'),
  asset('1511', '长期股权投资'), asset('1601', '固定资产'), contraAsset('1602', '累计折旧'), asset('1604', '在建工程'),
  asset('1605', '工程物资'), asset('1606', '固定资产清理'), asset('1621', '生产性生物资产'), contraAsset('1622', '生产性生物资产累计折旧'),
  asset('1701', '无形资产'), contraAsset('1702', '累计摊销'), asset('1801', '长期待摊费用'), asset('1901', '待处理财产损溢'),
  liability('2001', '短期借款'), liability('2201', '应付票据'), liability('2202', '应付账款'), liability('2203', '预收账款'),
  liability('2211', '应付职工薪酬'), liability('2221', '应交税费'), liability('2231', '应付利息'), liability('2232', '应付利润'),
  liability('2241', '其他应付款'), liability('2401', '递延收益'), liability('2501', '长期借款'), liability('2701', '长期应付款'),
  equity('3001', '实收资本'), equity('3002', '资本公积'), equity('3101', '盈余公积'), equity('3103', '本年利润'), equity('3104', '利润分配'),
  cost('4001', '生产成本'), cost('4101', '制造费用'), cost('4301', '研发支出'), cost('4401', '工程施工'), cost('4403', '机械作业'),
  income('5001', '主营业务收入'), income('5051', '其他业务收入'), income('5111', '投资收益'), income('5301', '营业外收入'),
  expense('5401', '主营业务成本'), expense('5402', '其他业务成本'), expense('5403', '税金及附加'), expense('5601', '销售费用'),
  expense('5602', '管理费用'), expense('5603', '财务费用'), expense('5711', '营业外支出'), expense('5801', '所得税费用'),
];

/** 外币核算 accounts of the standard chart (any currency, per line); their sub-accounts inherit it. */
export const FX_ACCOUNTS: readonly string[] = ['1122', '1123', '2202', '2203'];
export const isFxAccountCode = (code: string) => FX_ACCOUNTS.some((c) => code.startsWith(c));

/** The accounts posting rules name, by code. */
export const ACCOUNTS = {
  receivable: '1122',
  rawMaterials: '1403',
  goods: '1405',
  payableGoods: '220201',
  payableProvisional: '220202',
  vat: '222101',
  inputVat: '22210101',
  outputVat: '22210102',
  inputVatTransferredOut: '22210103',
  unpaidVatTransferredOut: '22210104',
  unpaidVat: '222102',
  deferredOutputVat: '222103',
  urbanConstructionTax: '222104',
  educationSurcharge: '222105',
  localEducationSurcharge: '222106',
  incomeTaxPayable: '222107',
  incomeTaxExpense: '5801',
  currentYearProfit: '3103',
  undistributedProfit: '310401',
  revenue: '5001',
  otherRevenue: '5051',
  costOfSales: '5401',
  // returns, stock counts, production and expense claims
  bank: '1002',
  payroll: '2211',
  otherPayable: '2241',
  productionCost: '4001',
  manufacturingOverhead: '4101',
  nonOperatingIncome: '5301',
  sellingExpenses: '5601',
  adminExpenses: '5602',
  nonOperatingExpenses: '5711',
  taxesAndSurcharges: '5403',
  cash: '1001',
  /** 期末调汇: 汇兑损益 (a company's sub-account of 财务费用 named 汇兑损益 when it has one) */
  financeExpenses: '5603',
} as const;

/** Sub-accounts every company gets (parent first). */
function subAccounts(taxpayerKind: TaxpayerKind): ChartAccount[] {
  const common = [
    liability(ACCOUNTS.payableGoods, '应付货款'), liability(ACCOUNTS.payableProvisional, '暂估应付款'), liability(ACCOUNTS.vat, '应交增值税'),
    liability(ACCOUNTS.urbanConstructionTax, '应交城市维护建设税'), liability(ACCOUNTS.educationSurcharge, '应交教育费附加'),
    liability(ACCOUNTS.localEducationSurcharge, '应交地方教育附加'), liability(ACCOUNTS.incomeTaxPayable, '应交所得税'), equity(ACCOUNTS.undistributedProfit, '未分配利润'),
  ];
  if (taxpayerKind === 'smallScaleTaxpayer') return common;
  return [
    ...common,
    a('liability', 'debit')(ACCOUNTS.inputVat, '进项税额'),
    liability(ACCOUNTS.outputVat, '销项税额'),
    liability(ACCOUNTS.inputVatTransferredOut, '进项税额转出'),
    a('liability', 'debit')(ACCOUNTS.unpaidVatTransferredOut, '转出未交增值税'),
    liability(ACCOUNTS.unpaidVat, '未交增值税'),
    liability(ACCOUNTS.deferredOutputVat, '待转销项税额'),
  ];
}

export interface SeedAccount extends ChartAccount {
  parentCode: string | null;
  level: number;
  fullName: string;
  hasChildren: boolean;
}

/** The whole chart a new company starts with, parents before children. */
export function standardChart(taxpayerKind: TaxpayerKind): SeedAccount[] {
  const all = [...FIRST_LEVEL_ACCOUNTS, ...subAccounts(taxpayerKind)];
  const byCode = new Map(all.map((x) => [x.code, x]));
  const parentOf = (code: string): string | null => (code.length > 4 ? code.slice(0, code.length - 2) : null);
  const fullName = (code: string): string => {
    const p = parentOf(code);
    return p ? `${fullName(p)}—${byCode.get(code)!.name}` : byCode.get(code)!.name;
  };
  const parents = new Set(all.map((x) => parentOf(x.code)).filter((c): c is string => c !== null));
  return all.map((x) => ({
    ...x, parentCode: parentOf(x.code), level: (x.code.length - 2) / 2, fullName: fullName(x.code), hasChildren: parents.has(x.code),
  }));
}

/** The stock account an item's kind is kept in: 原材料 for raw materials, 库存商品 for the rest (产成品, 外购商品, 自制半成品). */
export function inventoryAccount(kind: string): string {
  return kind === 'raw' ? ACCOUNTS.rawMaterials : ACCOUNTS.goods;
}
