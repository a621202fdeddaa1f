// What other modules may use of attachments: registering a document type, linking uploads to a document.
export { accessByPermission, registerAttachable, type AttachableAccess, type AttachableDocument } from './registry.ts';
export { linkAttachments } from './service.ts';
