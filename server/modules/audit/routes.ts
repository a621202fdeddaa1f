import { AuditLogPage, AuditLogQuery } from '../../../shared/schemas/audit.ts';
import type { ApiRouter } from '../../platform/http.ts';
import { listAuditLog } from './service.ts';

export function auditRoutes(api: ApiRouter): void {
  api.route({
    method: 'get', path: '/audit-logs', tag: '审计日志', summary: '审计日志（谁、何时、对什么、改前改后）', permission: 'audit:read',
    query: AuditLogQuery, response: AuditLogPage,
    handler: ({ ctx, query }) => listAuditLog(ctx, query),
  });
}
