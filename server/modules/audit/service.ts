// 审计日志查询: who changed what, when, with the row before and after.
import type { AuditLogEntry, AuditLogQuery } from '../../../shared/schemas/audit.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { escapeLike, findPage, orderByOf, type Page } from '../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { isoShanghai } from '../../../shared/time.ts';

export async function listAuditLog(ctx: UseCaseContext, query: AuditLogQuery): Promise<Page<AuditLogEntry>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.AuditLogWhereInput = {
      entity: query.entity,
      entityId: query.entityId,
      userId: query.userId,
      action: query.action,
      at: { gte: query.from ? new Date(query.from) : undefined, lte: query.to ? new Date(query.to) : undefined },
      ...(query.q ? { OR: [{ entityId: { contains: escapeLike(query.q) } }, { entity: { contains: escapeLike(query.q) } }] } : {}),
    };
    const orderBy = orderByOf(query.sort, '-at') as Prisma.AuditLogOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.auditLog.findMany({ where, orderBy, ...w }), () => tx.auditLog.count({ where }), (r) => r);
    const userIds = [...new Set(page.items.flatMap((r) => (r.userId ? [r.userId] : [])))];
    const users = new Map((await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u]));
    return {
      ...page,
      items: page.items.map((r) => ({
        id: r.id.toString(), at: isoShanghai(r.at), user: r.userId ? users.get(r.userId) ?? null : null, action: r.action,
        entity: r.entity, entityId: r.entityId, before: r.before ?? null, after: r.after ?? null, requestId: r.requestId,
      })),
    };
  });
}
