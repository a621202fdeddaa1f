// 质检: 检验单 (inspection records) of stock received 待检 from purchase and production receipts,
// and the result an inspector records (合格 / 不合格 / 让步接收).
import { Id, OptionalText, pageOf, pageQuery, Quantity, Timestamp, z } from './common.ts';
import { CodeRef } from './inventory.ts';
import { ItemRef, UserRef } from './purchasing.ts';
import { QUALITY_INSPECTION_SOURCES, QUALITY_INSPECTION_STATES } from '../enums.ts';

export { QUALITY_INSPECTION_SOURCE_LABELS, QUALITY_INSPECTION_STATE_LABELS } from '../enums.ts';
export type { QualityInspectionSource, QualityInspectionState } from '../enums.ts';

const StateEnum = z.enum(QUALITY_INSPECTION_STATES, { message: `状态只能是 ${QUALITY_INSPECTION_STATES.join(', ')}` });

export const QualityInspectionListQuery = pageQuery(['number', 'createdAt']).extend({
  state: StateEnum.optional().openapi({ description: 'open 待检验，done 已检验' }),
  itemId: Id.optional(),
});
export type QualityInspectionListQuery = z.output<typeof QualityInspectionListQuery>;

/**
 * 录入质检结果: the quantities (base unit) add up to what is inspected now, at most what still waits.
 * 合格 and 让步接收 become 合格 stock where they are; 不合格 goes to the reject warehouse.
 */
export const QualityInspectionRecord = z
  .object({
    passedQuantity: Quantity().default('0').openapi({ description: '合格数量（基本单位）' }),
    failedQuantity: Quantity().default('0').openapi({ description: '不合格数量（基本单位），转入不良品仓' }),
    concessionQuantity: Quantity().default('0').openapi({ description: '让步接收数量（基本单位），按合格入库' }),
    rejectWarehouseId: Id.nullish().openapi({ description: '不良品仓；空 = 公司设置的不良品仓' }),
    remark: OptionalText(500),
    version: z.number({ message: '版本号必须是整数' }).int().min(1).optional().openapi({ description: '检验单版本号（可选；给出时须与当前一致，防止重复录入）' }),
  })
  .openapi('QualityInspectionRecord');
export type QualityInspectionRecord = z.output<typeof QualityInspectionRecord>;

export const QualityInspection = z
  .object({
    id: z.string(),
    number: z.string(),
    sourceType: z.enum(QUALITY_INSPECTION_SOURCES),
    sourceTypeLabel: z.string(),
    sourceId: z.string(),
    sourceNo: z.string(),
    item: ItemRef,
    unit: z.string(),
    warehouse: CodeRef,
    batchNo: z.string(),
    quantity: z.string(),
    inspectedQuantity: z.string(),
    pendingQuantity: z.string(),
    passedQuantity: z.string(),
    failedQuantity: z.string(),
    concessionQuantity: z.string(),
    state: StateEnum,
    stateLabel: z.string(),
    remark: z.string().nullable(),
    inspectedBy: UserRef.nullable(),
    inspectedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .openapi('QualityInspection');
export type QualityInspection = z.output<typeof QualityInspection>;

export const QualityInspectionEvent = z.object({ at: Timestamp, action: z.string(), user: z.string().nullable(), detail: z.unknown() });
export const QualityInspectionDetail = QualityInspection.extend({ events: z.array(QualityInspectionEvent) }).openapi('QualityInspectionDetail');
export type QualityInspectionDetail = z.output<typeof QualityInspectionDetail>;

export const QualityInspectionPage = pageOf(QualityInspection).openapi('QualityInspectionPage');
