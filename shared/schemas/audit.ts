import { Id, pageOf, pageQuery, Timestamp, z } from './common.ts';

export const AuditLogQuery = pageQuery(['at']).extend({
  entity: z.string().trim().max(40).optional(),
  entityId: z.string().trim().max(64).optional(),
  userId: Id.optional(),
  action: z.string().trim().max(40).optional(),
  from: z.iso.datetime({ offset: true, message: '起始时间格式应为 ISO 8601，如 2026-11-01T00:00:00+08:00' }).optional(),
  to: z.iso.datetime({ offset: true, message: '结束时间格式应为 ISO 8601' }).optional(),
});

export const AuditLogEntry = z
  .object({
    id: z.string(),
    at: Timestamp,
    user: z.object({ id: z.string(), name: z.string() }).nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    requestId: z.string().nullable(),
  })
  .openapi('AuditLogEntry');
export const AuditLogPage = pageOf(AuditLogEntry).openapi('AuditLogPage');
export type AuditLogEntry = z.infer<typeof AuditLogEntry>;
export type AuditLogQuery = z.infer<typeof AuditLogQuery>;
