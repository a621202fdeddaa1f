// Chat identities: who is asking from a chat (the chat organisation → our company via
// company_platform, the sender → the bound user via platform_identity), and where a user can be
// reached in chat (their bound platform identities).
import type { Db } from '../../db/database.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Platform } from '../../platform/channels.ts';

export type Asker =
  | { kind: 'unknownOrganisation' }
  | { kind: 'unbound'; companyId: string }
  | { kind: 'bound'; companyId: string; userId: string };

/** Read through the system role: nothing is known about the company until the organisation names it. */
export async function findAsker(system: Db, msg: { platform: Platform; orgKey: string; senderId: string }): Promise<Asker> {
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

export interface ChatIdentity {
  platform: Platform;
  externalUserId: string;
}

/** The user's bound chat identities, in platform order; in the caller's company transaction (RLS). */
export async function chatIdentitiesOf(tx: Tx, userId: string): Promise<ChatIdentity[]> {
  const rows = await tx.$queryRaw<{ platform: Platform; external_user_id: string }[]>`
    SELECT platform::text AS platform, external_user_id FROM platform_identity WHERE user_id = ${userId}::uuid ORDER BY platform`;
  return rows.map((r) => ({ platform: r.platform, externalUserId: r.external_user_id }));
}
