// Sign-in: username + password (bcrypt), JWT (HS256 via jose). The signing secret is JWT_SECRET,
// or one generated once and kept in the database so every server process agrees on it.
import bcrypt from 'bcryptjs';
import crypto from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Request } from 'express';
import type { Db } from '../db/database.ts';
import type { SqlTx } from '../db/sql-session.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { DataScope } from '../generated/prisma/enums.ts';
import { widestScope, type Actor } from './actor.ts';
import { AppError } from './errors.ts';

const BCRYPT_COST = 10;
const TOKEN_TTL = '12h';

export const hashPassword = (plain: string) => bcrypt.hash(plain, BCRYPT_COST);
export const verifyPassword = (plain: string, hash: string) => bcrypt.compare(plain, hash);

export async function loadJwtSecret(system: Db, fromEnv?: string): Promise<Uint8Array> {
  if (fromEnv) return new TextEncoder().encode(fromEnv);
  const candidate = crypto.randomBytes(48).toString('base64url');
  // First writer wins; everyone reads the winner.
  await system.$executeRaw`INSERT INTO system_setting (key, value) VALUES ('jwt_secret', ${candidate}) ON CONFLICT (key) DO NOTHING`;
  const row = await system.systemSetting.findUniqueOrThrow({ where: { key: 'jwt_secret' } });
  return new TextEncoder().encode(row.value);
}

export interface TokenClaims {
  userId: string;
  companyId: string;
  /** milliseconds since the epoch: the token's `ims` claim, or its iat (whole seconds) for older tokens */
  issuedAtMs?: number;
}

const BIND_ISSUER = 'yunqiao-bind';
const VERIFIED_TOKENS_KEPT = 10_000;

export interface PlatformBindingClaims {
  platform: string;
  externalUserId: string;
  /** the company the platform's org is bound to, when known */
  companyId?: string;
}

export class TokenSigner {
  constructor(private readonly secret: Uint8Array) {}

  sign(claims: TokenClaims): Promise<string> {
    // iat has whole seconds; ims keeps the millisecond, so a password reset in the same second still ends this token.
    const now = Date.now();
    return new SignJWT({ cid: claims.companyId, ims: now })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer('yunqiao')
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(TOKEN_TTL)
      .sign(this.secret);
  }

  /**
   * 绑定凭证: proof (10 minutes) that the platform vouched for this member, so the mini-app can bind
   * them after a password login without a second one-time code. Never accepted as a session token
   * (another issuer).
   */
  signBinding(b: PlatformBindingClaims): Promise<string> {
    return new SignJWT({ plt: b.platform, ...(b.companyId ? { cid: b.companyId } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(b.externalUserId)
      .setIssuer(BIND_ISSUER)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(this.secret);
  }

  async verifyBinding(token: string): Promise<PlatformBindingClaims> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: BIND_ISSUER, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.plt !== 'string') throw new Error('claims');
      return { platform: payload.plt, externalUserId: payload.sub, companyId: typeof payload.cid === 'string' ? payload.cid : undefined };
    } catch {
      throw new AppError('UNAUTHENTICATED', '绑定凭证无效或已过期，请从聊天里重新打开应用');
    }
  }

  /** tokens already verified, until they expire: a phone sends the same token with every request (signature checks were ~4 % of order entry's CPU) */
  private readonly verified = new Map<string, { claims: TokenClaims; expiresAt: number }>();

  async verify(token: string): Promise<TokenClaims> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.claims;
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: 'yunqiao', algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.cid !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number') throw new Error('claims');
      const claims = { userId: payload.sub, companyId: payload.cid, issuedAtMs: typeof payload.ims === 'number' ? payload.ims : payload.iat * 1000 };
      if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { claims, expiresAt: payload.exp * 1000 });
      return claims;
    } catch {
      throw new AppError('UNAUTHENTICATED', '登录已失效，请重新登录');
    }
  }
}

export function bearerToken(req: Request): string {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new AppError('UNAUTHENTICATED', '请先登录（缺少 Authorization: Bearer 令牌）');
  return m[1]!;
}

/**
 * The user's permissions and data scope, read fresh on every request (a revoked role takes effect
 * at once). One statement, filtered by the token's company: through the system role (like login,
 * before the request's company context exists) or in the request's SqlSession, already set to it.
 */
export async function loadActor(db: SqlTx, claims: TokenClaims): Promise<Actor> {
  const [row] = await db.$queryRaw<ActorRow[]>(actorSql(claims));
  return actorFrom(row, claims);
}

interface ActorRow {
  id: string;
  company_id: string;
  username: string;
  name: string;
  active: boolean;
  department_id: string | null;
  credentials_changed_at: Date;
  permissions: string[];
  scopes: DataScope[];
  department_ids: string[];
}

/**
 * The statement behind loadActor, filtered by the token's company: runs through the system role
 * (before the request's company context exists) or inside a transaction already set to that company.
 */
function actorSql(claims: TokenClaims): Prisma.Sql {
  return Prisma.sql`
    SELECT u.id::text, u.company_id::text, u.username, u.name, u.active, u.department_id::text, u.credentials_changed_at,
           coalesce((SELECT array_agg(DISTINCT p) FROM user_role ur JOIN role r ON r.id = ur.role_id, unnest(r.permissions) p
                      WHERE ur.user_id = u.id), '{}') AS permissions,
           coalesce((SELECT array_agg(r.data_scope::text) FROM user_role ur JOIN role r ON r.id = ur.role_id
                      WHERE ur.user_id = u.id), '{}') AS scopes,
           coalesce((WITH RECURSIVE sub AS (
                       SELECT d.id FROM department d WHERE d.id = u.department_id AND d.company_id = u.company_id
                       UNION ALL SELECT d.id FROM department d JOIN sub ON d.parent_id = sub.id)
                     SELECT array_agg(id::text) FROM sub), '{}') AS department_ids
      FROM app_user u
     WHERE u.id = ${claims.userId}::uuid AND u.company_id = ${claims.companyId}::uuid`;
}

/** The actor from actorSql's row; 401 when the user is gone, disabled, or signed in before a password reset. */
function actorFrom(row: ActorRow | undefined, claims: TokenClaims): Actor {
  if (!row || !row.active) throw new AppError('UNAUTHENTICATED', '账号不存在或已停用');
  // Millisecond precision; a token from the very millisecond of the change counts as old (the safe side).
  if (claims.issuedAtMs !== undefined && claims.issuedAtMs <= row.credentials_changed_at.getTime()) {
    throw new AppError('UNAUTHENTICATED', '密码已重置，请重新登录');
  }
  const dataScope = widestScope(row.scopes);
  return {
    userId: row.id,
    companyId: row.company_id,
    username: row.username,
    name: row.name,
    departmentId: row.department_id,
    permissions: new Set(row.permissions),
    dataScope,
    departmentIds: dataScope === 'department' ? row.department_ids : [],
  };
}
