// What a route handler can reach: the database clients, configuration, logger and signing keys.
import type { Logger } from 'pino';
import type { Database, Db } from '../db/database.ts';
import { inCompany, type Tx, type TransactionOptions } from '../db/transaction.ts';
import type { Actor } from './actor.ts';
import type { Config } from './config.ts';
import type { TokenSigner } from './auth.ts';
import type { ChannelAdapter, Platform } from '../../bot/types.ts';

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
}

export function useCaseContext(services: AppServices, actor: Actor, requestId?: string): UseCaseContext {
  return { db: services.database.app, actor, requestId };
}

/** One use case = one transaction, scoped to the actor's company. */
export function runUseCase<T>(ctx: UseCaseContext, fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T> {
  return inCompany(ctx.db, ctx.actor.companyId, fn, opts);
}
