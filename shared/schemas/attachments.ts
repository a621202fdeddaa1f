import { Id, pageOf, pageQuery, Timestamp, z } from './common.ts';

export const EntityRef = z.string().trim().regex(/^[a-z][a-zA-Z]{1,39}$/, '业务对象类型格式不正确，如 customer');

export const AttachmentUpload = z.object({
  entity: EntityRef.optional().openapi({ description: '关联的单据类型：customer、supplier、salesOrder、contract、purchaseOrder、expenseClaim（须在其数据范围内且可修改）' }),
  entityId: z.string().trim().min(1).max(64).optional().openapi({ description: '关联的业务对象 ID' }),
});

export const Attachment = z
  .object({
    id: z.string(),
    fileName: z.string(),
    mimeType: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    entity: z.string().nullable(),
    entityId: z.string().nullable(),
    uploadedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    createdAt: Timestamp,
  })
  .openapi('Attachment');

export const AttachmentListQuery = pageQuery(['createdAt', 'fileName', 'size']).extend({
  entity: EntityRef.optional(),
  entityId: z.string().trim().max(64).optional(),
});
export const AttachmentPage = pageOf(Attachment).openapi('AttachmentPage');
export const AttachmentIdParams = z.object({ id: Id });
export type Attachment = z.infer<typeof Attachment>;
