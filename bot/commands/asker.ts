// Who is asking: the chat organisation → our company (company_platform), the sender → the bound
// user (platform_identity). Read through the system role: nothing is known about the company yet.
import type { Db } from '../../server/db/database.ts';
import type { InboundMessage } from '../../server/platform/channels.ts';

export type Asker =
  | { kind: 'unknownOrganisation' }
  | { kind: 'unbound'; companyId: string }
  | { kind: 'bound'; companyId: string; userId: string };

export async function findAsker(system: Db, msg: Pick<InboundMessage, 'platform' | 'orgKey' | 'senderId'>): Promise<Asker> {
  if (!msg.orgKey) return { kind: 'unknownOrganisation' };
  const org = await system.companyPlatform.findUnique({
    where: { platform_orgKey: { platform: msg.platform, orgKey: msg.orgKey } },
    select: { companyId: true },
  });
  if (!org) return { kind: 'unknownOrganisation' };
  if (!msg.senderId) return { kind: 'unbound', companyId: org.companyId };
  const identity = await system.platformIdentity.findUnique({
    where: { companyId_platform_externalUserId: { companyId: org.companyId, platform: msg.platform, externalUserId: msg.senderId } },
    select: { userId: true },
  });
  return identity ? { kind: 'bound', companyId: org.companyId, userId: identity.userId } : { kind: 'unbound', companyId: org.companyId };
}
