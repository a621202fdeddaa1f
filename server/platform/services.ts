// What a route handler can reach: the database clients, configuration, logger and signing keys.
import type { Logger } from 'pino';
import type { Database, Db } from '../db/database.ts';
import { NeedsOrm, type SqlSession, type SqlTx } from '../db/sql-session.ts';
import { inCompany, type Tx, type TransactionOptions } from '../db/transaction.ts';
import type { Actor } from './actor.ts';
import type { Config } from './config.ts';
import type { TokenSigner } from './auth.ts';
import type { ChannelAdapter, Platform } from './channels.ts';

export interface AppServices {
  database: Database;
  config: Config;
  log: Logger;
  tokens: TokenSigner;
  /** the chat platforms that are switched on (built from config when not given) */
  chat?: ReadonlyMap<Platform, ChannelAdapter>;
}

/** What a use case needs: the app-role database, who is acting, and the request for the audit trail. */
export interface UseCaseContext {
  db: Db;
  actor: Actor;
  requestId?: string;
  /**
   * The request's transaction on the lean path, already begun with the sign-in read in it (routes
   * declared with `session: true`): the first runSqlUseCase runs in it and ends it.
   */
  session?: SqlSession;
}

export function useCaseContext(services: AppServices, actor: Actor, requestId?: string): UseCaseContext {
  return { db: services.database.app, actor, requestId };
}

/** One use case = one transaction, scoped to the actor's company. */
export function runUseCase<T>(ctx: UseCaseContext, fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T> {
  return inCompany(ctx.db, ctx.actor.companyId, fn, opts);
}

/**
 * One use case = one transaction, written in raw SQL (SqlTx): in the request's SqlSession when there
 * is one still open (pipelined, no ORM), else in a Prisma transaction. Code that needs the ORM asks
 * for it with ormOf(tx); on a session that throws NeedsOrm before anything is written, the session
 * is rolled back and the use case runs again in a Prisma transaction.
 */
export async function runSqlUseCase<T>(ctx: UseCaseContext, fn: (tx: SqlTx) => Promise<T>, opts?: TransactionOptions): Promise<T> {
  const session = ctx.session;
  if (!session?.isOpen) return runUseCase(ctx, fn, opts);
  ctx.session = undefined;
  let out: T;
  try {
    out = await fn(session);
    await session.commit();
  } catch (e) {
    const committed = !session.isOpen;
    await session.close();
    if (e instanceof NeedsOrm && !committed) return runUseCase(ctx, fn, opts);
    throw e;
  }
  await session.close();
  return out;
}
