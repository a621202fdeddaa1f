import { Attachment, AttachmentIdParams, AttachmentListQuery, AttachmentPage, AttachmentUpload } from '../../../shared/schemas/attachments.ts';
import type { ApiRouter } from '../../platform/http.ts';
import { deleteAttachment, getAttachment, listAttachments, readAttachmentContent, uploadAttachment } from './service.ts';

export function attachmentRoutes(api: ApiRouter): void {
  const tag = '附件';
  api.route({
    method: 'post', path: '/attachments', tag, summary: '上传附件（multipart，字段 file；可带 entity、entityId 关联业务对象）', permission: 'attachment:create',
    upload: { field: 'file' }, body: AttachmentUpload, response: Attachment, status: 201,
    handler: ({ ctx, req, body }) => uploadAttachment(ctx, req.file, body),
  });
  api.route({
    method: 'get', path: '/attachments', tag, summary: '附件列表', permission: 'attachment:read',
    query: AttachmentListQuery, response: AttachmentPage,
    handler: ({ ctx, query }) => listAttachments(ctx, query),
  });
  api.route({
    method: 'get', path: '/attachments/:id', tag, summary: '附件信息', permission: 'attachment:read',
    params: AttachmentIdParams, response: Attachment,
    handler: ({ ctx, params }) => getAttachment(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/attachments/:id/content', tag, summary: '下载附件内容', permission: 'attachment:read',
    params: AttachmentIdParams, rawResponse: { contentType: 'application/octet-stream', description: '文件内容' },
    handler: async ({ ctx, params, res }) => {
      const file = await readAttachmentContent(ctx, params.id);
      res.setHeader('Content-Type', file.mimeType);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
      res.send(Buffer.from(file.data));
    },
  });
  api.route({
    method: 'delete', path: '/attachments/:id', tag, summary: '删除附件', permission: 'attachment:delete', status: 204,
    params: AttachmentIdParams,
    handler: ({ ctx, params }) => deleteAttachment(ctx, params.id),
  });
}
