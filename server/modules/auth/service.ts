// 登录: find the account by username (across companies, with the system role, since the company
// is not known yet), check the password, sign a token. Attempts are throttled per account and per
// client IP (./throttle.ts); which company to sign in to is asked only of someone whose password
// matched, so the question does not tell a stranger that a username exists.
import type { CurrentUser, LoginRequest } from '../../../shared/schemas/auth.ts';
import type { ChatPlatform } from '../../../shared/enums.ts';
import type { Db } from '../../db/database.ts';
import { inCompany } from '../../db/transaction.ts';
import type { Actor } from '../../platform/actor.ts';
import { hashPassword, verifyPassword, type TokenSigner } from '../../platform/auth.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { ACCOUNT_RULE, accountKey, claimAttempt, ipKey, settleSuccess, userKey } from './throttle.ts';

const WRONG = () => new AppError('UNAUTHENTICATED', '用户名或密码错误');
// Compared against when no account matches, so a wrong username costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;
const DUMMY_HASH = () => (dummyHash ??= hashPassword('no-such-account'));

export interface LoginClient {
  /** the client's address (req.ip: X-Forwarded-For only through TRUST_PROXY hops) */
  ip: string;
  requestId?: string;
}

export async function login(db: { app: Db; system: Db }, tokens: TokenSigner, input: LoginRequest, client: LoginClient): Promise<{ token: string; user: CurrentUser }> {
  const ip = ipKey(client.ip);
  const candidates = await db.system.user.findMany({
    where: { username: input.username, active: true },
    select: { id: true, companyId: true, passwordHash: true },
    take: 10,
  });
  let inCompanyAsked = candidates;
  if (input.companyCode) {
    const company = await db.system.company.findUnique({ where: { code: input.companyCode }, select: { id: true } });
    inCompanyAsked = candidates.filter((c) => c.companyId === company?.id);
  }
  // Each user the password is tried against is counted on its own; a name nobody has, under the name.
  const claim = await claimAttempt(db.system, inCompanyAsked.length ? inCompanyAsked.map((c) => userKey(c.id)) : [accountKey(input.username)], ip);
  const tried = inCompanyAsked.filter((c) => claim.open.has(userKey(c.id)));
  const matches: typeof candidates = [];
  for (const c of tried) if (await verifyPassword(input.password, c.passwordHash)) matches.push(c);
  if (tried.length === 0) await verifyPassword(input.password, await DUMMY_HASH());
  if (matches.length === 0) {
    await auditFailure(db.app, tried.map((c) => ({ ...c, failures: claim.open.get(userKey(c.id))! })), client);
    // the password may have been meant for a user with this name who must wait: tell them so
    const [waiting] = claim.refused.values();
    throw waiting ?? WRONG();
  }
  await settleSuccess(db.system, matches.map((m) => userKey(m.id)), ip);
  if (matches.length > 1) {
    throw new AppError('VALIDATION_FAILED', '该用户名和密码对应多个公司的账号，请同时提供公司编码 companyCode', [{ field: 'body.companyCode', message: '必填' }]);
  }
  return startSession(db.app, tokens, matches[0]!, client.requestId);
}

/** 登录失败 (and 账号锁定 when this failure locks it) in the audit log of each company whose user the password was tried against. */
async function auditFailure(app: Db, accounts: { id: string; companyId: string; failures: number }[], client: LoginClient): Promise<void> {
  for (const a of accounts) {
    const failures = a.failures;
    await inCompany(app, a.companyId, async (tx) => {
      const ctx = { db: app, actor: { userId: a.id, companyId: a.companyId } as Actor, requestId: client.requestId };
      await recordAudit(tx, ctx, { action: 'loginFailed', entity: 'user', entityId: a.id, after: { ip: client.ip, failures } });
      if (failures === ACCOUNT_RULE.lockAt) {
        await recordAudit(tx, ctx, { action: 'loginLocked', entity: 'user', entityId: a.id, after: { ip: client.ip, failures, minutes: ACCOUNT_RULE.lockMs / 60_000 } });
      }
    });
  }
}

/** A signed token and the profile; the login is audited (with how, for sign-in from chat). */
export async function startSession(
  app: Db,
  tokens: TokenSigner,
  account: { id: string; companyId: string },
  requestId?: string,
  via?: { platform: ChatPlatform; externalUserId: string },
): Promise<{ token: string; user: CurrentUser }> {
  const token = await tokens.sign({ userId: account.id, companyId: account.companyId });
  const user = await inCompany(app, account.companyId, async (tx) => {
    const profile = await currentUserIn(tx, account.id);
    await recordAudit(tx, { db: app, actor: { userId: account.id, companyId: account.companyId } as Actor, requestId }, {
      action: 'login', entity: 'user', entityId: account.id, ...(via ? { after: { via: via.platform, externalUserId: via.externalUserId } } : {}),
    });
    return profile;
  });
  return { token, user };
}

async function currentUserIn(tx: Parameters<Parameters<typeof inCompany>[2]>[0], userId: string): Promise<CurrentUser> {
  const u = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    include: { department: { select: { name: true } }, roles: { include: { role: true } } },
  });
  const company = await tx.company.findUniqueOrThrow({ where: { id: u.companyId }, select: { name: true } });
  const scopes = u.roles.map((r) => r.role.dataScope);
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    companyId: u.companyId,
    companyName: company.name,
    departmentId: u.departmentId,
    departmentName: u.department?.name ?? null,
    roles: u.roles.map((r) => r.role.name),
    permissions: [...new Set(u.roles.flatMap((r) => r.role.permissions))].sort(),
    dataScope: scopes.includes('all') ? 'all' : scopes.includes('department') ? 'department' : 'own',
  };
}

export async function currentUser(app: Db, actor: Actor): Promise<CurrentUser> {
  return inCompany(app, actor.companyId, (tx) => currentUserIn(tx, actor.userId));
}
