// 附件: kept in PostgreSQL (bytea) so every server process serves the same files. The type is
// read from the content's magic bytes, never trusted from the name or the client's header.
import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Attachment } from '../../../shared/schemas/attachments.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page, type PageParams } from '../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { isoShanghai } from '../../../shared/time.ts';

/** What people attach in a back office: photos, scans, PDFs and Office files. */
export const ALLOWED_TYPES: Record<string, string> = {
  'image/jpeg': '图片', 'image/png': '图片', 'image/webp': '图片', 'image/gif': '图片', 'image/heic': '图片',
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'application/zip': '压缩包',
};

const select = {
  id: true, fileName: true, mimeType: true, size: true, sha256: true, entity: true, entityId: true, uploadedById: true, createdAt: true,
} satisfies Prisma.AttachmentSelect;
type Row = Prisma.AttachmentGetPayload<{ select: typeof select }>;

async function toDtos(rows: Row[], tx: Prisma.TransactionClient): Promise<Attachment[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.uploadedById ? [r.uploadedById] : [])))];
  const users = new Map((await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((u) => [u.id, u]));
  return rows.map((r) => ({
    id: r.id, fileName: r.fileName, mimeType: r.mimeType, size: r.size, sha256: r.sha256, entity: r.entity, entityId: r.entityId,
    uploadedBy: r.uploadedById ? users.get(r.uploadedById) ?? null : null, createdAt: isoShanghai(r.createdAt),
  }));
}

export async function uploadAttachment(
  ctx: UseCaseContext,
  file: { originalname: string; buffer: Buffer } | undefined,
  link: { entity?: string; entityId?: string },
): Promise<Attachment> {
  if (!file || file.buffer.length === 0) throw new AppError('VALIDATION_FAILED', '请选择要上传的文件（表单字段 file）', [{ field: 'file', message: '必填' }]);
  if ((link.entity === undefined) !== (link.entityId === undefined)) {
    throw new AppError('VALIDATION_FAILED', 'entity 与 entityId 必须同时提供', [{ field: 'body.entityId', message: '必须与 entity 同时提供' }]);
  }
  const detected = await fileTypeFromBuffer(file.buffer);
  if (!detected || !ALLOWED_TYPES[detected.mime]) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `不支持的文件类型${detected ? `（${detected.mime}）` : ''}：只能上传图片、PDF、Office 文档或压缩包`, [{ field: 'file', message: '文件内容类型不允许' }]);
  }
  const sha256 = crypto.createHash('sha256').update(file.buffer).digest('hex');
  const fileName = file.originalname.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || `附件.${detected.ext}`;
  return runUseCase(ctx, async (tx) => {
    const row = await tx.attachment.create({
      data: {
        companyId: ctx.actor.companyId, fileName, mimeType: detected.mime, size: file.buffer.length, sha256,
        data: new Uint8Array(file.buffer), entity: link.entity ?? null, entityId: link.entityId ?? null, uploadedById: ctx.actor.userId,
      },
      select,
    });
    await recordAudit(tx, ctx, { action: 'create', entity: 'attachment', entityId: row.id, after: row });
    return (await toDtos([row], tx))[0]!;
  });
}

export async function listAttachments(ctx: UseCaseContext, query: PageParams & { entity?: string; entityId?: string }): Promise<Page<Attachment>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.AttachmentWhereInput = { AND: [keywordWhere(query.q, ['fileName']), { entity: query.entity, entityId: query.entityId }] };
    const orderBy = orderByOf(query.sort, '-createdAt') as Prisma.AttachmentOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.attachment.findMany({ where, orderBy, select, ...w }), () => tx.attachment.count({ where }), (r) => r);
    return { ...page, items: await toDtos(page.items, tx) };
  });
}

export async function getAttachment(ctx: UseCaseContext, id: string): Promise<Attachment> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.attachment.findUnique({ where: { id }, select });
    if (!row) throw notFound('附件');
    return (await toDtos([row], tx))[0]!;
  });
}

export async function readAttachmentContent(ctx: UseCaseContext, id: string): Promise<{ fileName: string; mimeType: string; data: Uint8Array }> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.attachment.findUnique({ where: { id }, select: { fileName: true, mimeType: true, data: true } });
    if (!row) throw notFound('附件');
    return row;
  });
}

export async function deleteAttachment(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await tx.attachment.findUnique({ where: { id }, select });
    if (!before) throw notFound('附件');
    await tx.attachment.delete({ where: { id } });
    await recordAudit(tx, ctx, { action: 'delete', entity: 'attachment', entityId: id, before });
  });
}
