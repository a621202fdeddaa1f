// 附件: kept in PostgreSQL (bytea) so every server process serves the same files. The type is
// read from the content's magic bytes, never trusted from the name or the client's header.
// An attachment is visible, and can be added to, exactly as its document (./registry.ts).
import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Attachment } from '../../../shared/schemas/attachments.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { FieldIssue } from '../../../shared/errors.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Actor } from '../../platform/actor.ts';
import { AppError, forbidden, invalid, issuesMessage, notFound } from '../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page, type PageParams } from '../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { isoShanghai } from '../../../shared/time.ts';
import { attachableEntities, attachableOf, type AttachableAccess, type AttachableDocument } from './registry.ts';

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The registered document type, or 400 naming the types that take attachments. */
function documentType(entity: string, field: string): AttachableDocument {
  const doc = attachableOf(entity);
  if (!doc) throw invalid(field, `不支持的业务对象类型 ${entity}，可选：${attachableEntities().join('、')}`);
  return doc;
}

async function documentAccess(tx: Tx, actor: Actor, doc: AttachableDocument, entityId: string): Promise<AttachableAccess> {
  return UUID.test(entityId) ? doc.access(tx, actor, entityId) : 'none';
}

/**
 * What the actor may do with an attachment: as with its document; one not linked to a document
 * (uploaded for a draft) is its uploader's alone.
 */
async function attachmentAccess(tx: Tx, actor: Actor, row: { entity: string | null; entityId: string | null; uploadedById: string | null }): Promise<AttachableAccess> {
  const doc = row.entity ? attachableOf(row.entity) : undefined;
  if (!doc || !row.entityId) return row.uploadedById === actor.userId ? 'attach' : 'none';
  return documentAccess(tx, actor, doc, row.entityId);
}

/** The attachment if the actor may see it, else 404 (as if it did not exist). */
async function findVisible<S extends Prisma.AttachmentSelect>(tx: Tx, actor: Actor, id: string, sel: S) {
  const row = await tx.attachment.findUnique({ where: { id }, select: { ...sel, entity: true, entityId: true, uploadedById: true } });
  if (!row) throw notFound('附件');
  const access = await attachmentAccess(tx, actor, row as { entity: string | null; entityId: string | null; uploadedById: string | null });
  if (access === 'none') throw notFound('附件');
  return { row, access };
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
  const doc = link.entity ? documentType(link.entity, 'body.entity') : undefined;
  const detected = await fileTypeFromBuffer(file.buffer);
  if (doc?.imagesOnly && (!detected || ALLOWED_TYPES[detected.mime] !== '图片')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `${doc.label}只能上传照片（JPEG、PNG、WebP、GIF 或 HEIC 图片）${detected ? `，这个文件是 ${detected.mime}` : '，这个文件不是图片'}`, [{ field: 'file', message: '不是图片' }]);
  }
  if (!detected || !ALLOWED_TYPES[detected.mime]) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `不支持的文件类型${detected ? `（${detected.mime}）` : ''}：只能上传图片、PDF、Office 文档或压缩包`, [{ field: 'file', message: '文件内容类型不允许' }]);
  }
  const sha256 = crypto.createHash('sha256').update(file.buffer).digest('hex');
  const fileName = file.originalname.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || `附件.${detected.ext}`;
  return runUseCase(ctx, async (tx) => {
    if (doc && link.entityId) {
      const access = await documentAccess(tx, ctx.actor, doc, link.entityId);
      if (access === 'none') throw notFound(doc.label);
      if (access === 'read') throw forbidden(`没有权限给这个${doc.label}添加附件`);
    }
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

/** A document's attachments (404 if the document is not visible); without one, the actor's own not yet linked uploads. */
export async function listAttachments(ctx: UseCaseContext, query: PageParams & { entity?: string; entityId?: string }): Promise<Page<Attachment>> {
  if ((query.entity === undefined) !== (query.entityId === undefined)) {
    throw new AppError('VALIDATION_FAILED', 'entity 与 entityId 必须同时提供', [{ field: 'query.entityId', message: '必须与 entity 同时提供' }]);
  }
  const doc = query.entity ? documentType(query.entity, 'query.entity') : undefined;
  return runUseCase(ctx, async (tx) => {
    if (doc && query.entityId && (await documentAccess(tx, ctx.actor, doc, query.entityId)) === 'none') throw notFound(doc.label);
    const owner: Prisma.AttachmentWhereInput = doc ? { entity: query.entity, entityId: query.entityId } : { entity: null, uploadedById: ctx.actor.userId };
    const where: Prisma.AttachmentWhereInput = { AND: [keywordWhere(query.q, ['fileName']), owner] };
    const orderBy = orderByOf(query.sort, '-createdAt') as Prisma.AttachmentOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.attachment.findMany({ where, orderBy, select, ...w }), () => tx.attachment.count({ where }), (r) => r);
    return { ...page, items: await toDtos(page.items, tx) };
  });
}

export async function getAttachment(ctx: UseCaseContext, id: string): Promise<Attachment> {
  return runUseCase(ctx, async (tx) => {
    const { row } = await findVisible(tx, ctx.actor, id, select);
    return (await toDtos([row], tx))[0]!;
  });
}

export async function readAttachmentContent(ctx: UseCaseContext, id: string): Promise<{ fileName: string; mimeType: string; data: Uint8Array }> {
  return runUseCase(ctx, async (tx) => (await findVisible(tx, ctx.actor, id, { fileName: true, mimeType: true, data: true })).row);
}

/** Needs attachment:delete and, for a linked one, the right to change its document. */
export async function deleteAttachment(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const { row: before, access } = await findVisible(tx, ctx.actor, id, select);
    if (access !== 'attach') throw forbidden('没有权限修改这个附件所属的单据');
    await tx.attachment.delete({ where: { id } });
    await recordAudit(tx, ctx, { action: 'delete', entity: 'attachment', entityId: id, before });
  });
}

/**
 * A document takes the attachments its fields name (an expense claim line's invoice, a contract's
 * scan): each must be the actor's own upload not linked yet, or already this document's; it is
 * then linked to the document and shares its visibility. Anything else is 400 on its field — one
 * the actor may not see reads "附件不存在", exactly like an id that does not exist.
 */
export async function linkAttachments(tx: Tx, actor: Actor, document: { entity: string; id: string }, refs: { id: string; field: string }[]): Promise<void> {
  const ids = [...new Set(refs.map((r) => r.id))];
  if (!ids.length) return;
  const rows = new Map((await tx.attachment.findMany({ where: { id: { in: ids } }, select: { id: true, entity: true, entityId: true, uploadedById: true } })).map((r) => [r.id, r]));
  const issues: FieldIssue[] = [];
  const toLink = new Set<string>(); // two lines may name the same upload
  for (const ref of refs) {
    const row = rows.get(ref.id);
    if (row && row.entity === document.entity && row.entityId === document.id) continue;
    if (row && row.entity === null && row.uploadedById === actor.userId) {
      toLink.add(row.id);
      continue;
    }
    const visible = row && (await attachmentAccess(tx, actor, row)) !== 'none';
    issues.push({ field: ref.field, message: visible ? '附件已属于其他单据' : '附件不存在' });
  }
  if (issues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
  if (!toLink.size) return;
  // A concurrent request may have linked the same upload since it was read: the row lock makes
  // this update wait for it, then skip the row, so fewer rows than named means another document won.
  const linked = await tx.attachment.updateMany({ where: { id: { in: [...toLink] }, entity: null }, data: { entity: document.entity, entityId: document.id } });
  if (linked.count !== toLink.size) throw new AppError('CONFLICT', '附件已被其他单据引用，请重新上传');
}

/** The attachments linked to these documents of one type, oldest first (the caller has checked the documents are visible). */
export async function linkedAttachments(tx: Tx, entity: string, entityIds: string[]): Promise<{ id: string; entityId: string; fileName: string; mimeType: string; size: number; createdAt: Date }[]> {
  if (!entityIds.length) return [];
  const rows = await tx.attachment.findMany({
    where: { entity, entityId: { in: entityIds } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, entityId: true, fileName: true, mimeType: true, size: true, createdAt: true },
  });
  return rows.map((r) => ({ ...r, entityId: r.entityId! }));
}
