// 销售单据明细行: the line input shared by quotations and sales orders, and the references
// (customer, salesperson, item, unit, warehouse) the replies name.
import { DateOnly, Id, Quantity, Rate, UnitPrice, z } from '../common.ts';

/** A line quantity: > 0, at most 4 decimals (the unit's own precision is checked on the server). */
export const LineQuantity = () => Quantity().refine((v) => Number(v) > 0, { message: '数量必须大于 0' });

export const SalesLineInput = z.object({
  itemId: Id,
  unitId: Id.nullish().openapi({ description: '计量单位；默认物料的销售单位，其次基本单位' }),
  quantity: LineQuantity(),
  listPrice: UnitPrice().optional().openapi({
    description: '提议的折前含税单价：成交单价 = 它 ×（1 − 折扣率）。明细的牌价（listPrice）始终是公司价——物料售价 × 换算率（外币按汇率折算），审批看到的折扣按牌价计算',
  }),
  unitPrice: UnitPrice().optional().openapi({ description: '提议的成交含税单价（不能与 listPrice、discountRate 同时填写）；折扣按公司牌价计算' }),
  discountRate: Rate().optional().openapi({ description: '折扣率 0–1，默认 0（没有提议单价时为对公司牌价的折扣）' }),
  taxRate: Rate().optional().openapi({ description: '税率，默认物料税率（一般 0.13）' }),
  requestedDate: DateOnly.nullish().openapi({ description: '要求交期' }),
});
export type SalesLineInput = z.infer<typeof SalesLineInput>;

export const SalesLines = z.array(SalesLineInput).min(1, '至少需要一行明细').max(2000, '明细最多 2000 行');

export const Ref = z.object({ id: z.string(), name: z.string() });
export const CodedRef = z.object({ id: z.string(), code: z.string(), name: z.string() });
export const ItemRef = z.object({ id: z.string(), code: z.string(), name: z.string(), spec: z.string().nullable() });

/** What every sales line says about money and quantities. */
export const salesLineFields = {
  id: z.string(),
  lineNo: z.number().int(),
  item: ItemRef,
  unit: Ref,
  factor: z.string(),
  quantity: z.string(),
  baseQuantity: z.string(),
  listPrice: z.string(),
  unitPrice: z.string(),
  discountRate: z.string(),
  taxRate: z.string(),
  amount: z.string(),
  taxAmount: z.string(),
  amountWithTax: z.string(),
};

export const QuotationState = z.enum(['draft', 'sent', 'accepted', 'expired', 'cancelled']);
export const OrderState = z.enum(['draft', 'pendingApproval', 'confirmed', 'closed', 'cancelled']);
export const ProgressValue = z.enum(['none', 'partial', 'full']);
export const QualityStatusValue = z.enum(['pending', 'passed', 'rejected'], { message: '质检状态只能是 pending（待检）、passed（合格）、rejected（不合格）' });

export type Ref = z.infer<typeof Ref>;
export type CodedRef = z.infer<typeof CodedRef>;
export type ItemRef = z.infer<typeof ItemRef>;
