// 附件: uploaded files and their links to documents; each document type registers who may see or add.
// What other modules may use of it: registering a document type, linking uploads to a document.
export { accessByPermission, registerAttachable, type AttachableAccess, type AttachableDocument } from './registry.ts';
export { linkAttachments, linkedAttachments, uploadAttachment } from './service.ts';
