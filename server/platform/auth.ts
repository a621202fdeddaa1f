// Sign-in: username + password (bcrypt), JWT (HS256 via jose). The signing secret is JWT_SECRET,
// or one generated once and kept in the database so every server process agrees on it.
import bcrypt from 'bcryptjs';
import crypto from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Request } from 'express';
import type { Db } from '../db/database.ts';
import { inCompany } from '../db/transaction.ts';
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
}

export class TokenSigner {
  constructor(private readonly secret: Uint8Array) {}

  sign(claims: TokenClaims): Promise<string> {
    return new SignJWT({ cid: claims.companyId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer('yunqiao')
      .setIssuedAt()
      .setExpirationTime(TOKEN_TTL)
      .sign(this.secret);
  }

  async verify(token: string): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: 'yunqiao', algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.cid !== 'string') throw new Error('claims');
      return { userId: payload.sub, companyId: payload.cid };
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

/** The user's permissions and data scope, read fresh on every request (a revoked role takes effect at once). */
export async function loadActor(app: Db, claims: TokenClaims): Promise<Actor> {
  return inCompany(app, claims.companyId, async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: claims.userId },
      select: { id: true, companyId: true, username: true, name: true, active: true, departmentId: true, roles: { select: { role: { select: { permissions: true, dataScope: true } } } } },
    });
    if (!user || !user.active) throw new AppError('UNAUTHENTICATED', '账号不存在或已停用');
    const roles = user.roles.map((r) => r.role);
    const dataScope = widestScope(roles.map((r) => r.dataScope));
    let departmentIds: string[] = [];
    if (dataScope === 'department' && user.departmentId) {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        WITH RECURSIVE sub AS (
          SELECT id FROM department WHERE id = ${user.departmentId}::uuid
          UNION ALL SELECT d.id FROM department d JOIN sub ON d.parent_id = sub.id)
        SELECT id::text AS id FROM sub`;
      departmentIds = rows.map((r) => r.id);
    }
    return {
      userId: user.id,
      companyId: user.companyId,
      username: user.username,
      name: user.name,
      departmentId: user.departmentId,
      permissions: new Set(roles.flatMap((r) => r.permissions)),
      dataScope,
      departmentIds,
    };
  });
}
