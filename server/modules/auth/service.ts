// 登录: find the account by username (across companies, with the system role, since the company
// is not known yet), check the password, sign a token.
import type { CurrentUser, LoginRequest } from '../../../shared/schemas/auth.ts';
import type { ChatPlatform } from '../../../shared/enums.ts';
import type { Db } from '../../db/database.ts';
import { inCompany } from '../../db/transaction.ts';
import type { Actor } from '../../platform/actor.ts';
import { hashPassword, verifyPassword, type TokenSigner } from '../../platform/auth.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';

const WRONG = () => new AppError('UNAUTHENTICATED', '用户名或密码错误');
// Compared against when no account matches, so a wrong username costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;
const DUMMY_HASH = () => (dummyHash ??= hashPassword('no-such-account'));

export async function login(db: { app: Db; system: Db }, tokens: TokenSigner, input: LoginRequest, requestId?: string): Promise<{ token: string; user: CurrentUser }> {
  const candidates = await db.system.user.findMany({
    where: { username: input.username, active: true },
    select: { id: true, companyId: true, passwordHash: true },
    take: 10,
  });
  let matches = candidates;
  if (input.companyCode) {
    const company = await db.system.company.findUnique({ where: { code: input.companyCode }, select: { id: true } });
    matches = candidates.filter((c) => c.companyId === company?.id);
  }
  if (matches.length > 1) {
    throw new AppError('VALIDATION_FAILED', '该用户名存在于多个公司，请同时提供公司编码 companyCode', [{ field: 'body.companyCode', message: '必填' }]);
  }
  const account = matches[0];
  const ok = await verifyPassword(input.password, account?.passwordHash ?? (await DUMMY_HASH()));
  if (!account || !ok) throw WRONG();
  return startSession(db.app, tokens, account, requestId);
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
