// 审计: reading the audit log (who changed what, when, before and after). Writing it is the platform's
// recordAudit/recordChange (server/platform/audit.ts), inside each use case's own transaction.
// Other modules use nothing of it; its routes are mounted by server/modules/index.ts.
export {};
