// Every use case runs in one transaction with its company set for row-level security.
import type { Prisma } from '../generated/prisma/client.ts';
import type { Db } from './database.ts';

export type Tx = Prisma.TransactionClient;

export interface TransactionOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  timeoutMs?: number;
}

/** Runs fn in one transaction in which the database shows and accepts only this company's rows. */
export async function inCompany<T>(db: Db, companyId: string, fn: (tx: Tx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  return db.$transaction(
    async (tx) => {
      // `true` = local to this transaction: a pooled connection never carries it to the next user.
      await tx.$queryRaw`SELECT set_config('app.company_id', ${companyId}, true)`;
      return fn(tx);
    },
    { maxWait: 10_000, timeout: opts.timeoutMs ?? 30_000, isolationLevel: opts.isolationLevel },
  );
}
