// 登录限速: failed sign-ins are counted per account and per client IP, in PostgreSQL so that
// every server process agrees. An account is a user (keyed by id: usernames are unique only within a
// company, so one company's sign-ins must never reset or lock another's); a username that names no
// active user (in the company asked for) is counted under the name typed, so it is answered exactly
// like a known one. From the 5th failure of an account the next attempt must wait a
// growing delay (1 s, 2 s, 4 s … at most 5 min); at 20 the account is locked for 15 minutes (an
// administrator can unlock it). An IP gets the same treatment from 20 failures, locked at 100 (an
// office behind one address has many people). A waiting or locked attempt is refused at once with
// 429 and Retry-After, before the password is looked at — nothing is learnt from it.
//
// Each attempt is counted as a failure before the password is checked (in one short transaction
// that locks both counters), and taken back when it succeeds: 50 guesses sent at once are counted
// one after another instead of all slipping through before the first failure is written.
import type { Db } from '../../db/database.ts';
import type { Tx } from '../../db/transaction.ts';
import { AppError } from '../../platform/errors.ts';

export interface ThrottleRule {
  /** failures from which each further attempt waits */
  delayFrom: number;
  /** failures at which the key is locked */
  lockAt: number;
  lockMs: number;
  maxDelayMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { delayFrom: 5, lockAt: 20, lockMs: 15 * 60_000, maxDelayMs: 5 * 60_000 };
export const IP_RULE: ThrottleRule = { delayFrom: 20, lockAt: 100, lockMs: 15 * 60_000, maxDelayMs: 5 * 60_000 };
/** failures older than this (with no lock running) are forgotten */
export const FORGET_MS = 60 * 60_000;

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
}

export interface Block {
  until: Date;
  locked: boolean;
}

/** The failures that still count at `now`. */
export function countingFailures(state: ThrottleState, now: Date): number {
  return now.getTime() - state.lastFailureAt.getTime() > FORGET_MS ? 0 : state.failures;
}

/** Until when the next attempt must wait (undefined: it may go ahead). Pure, so the clock is the caller's. */
export function blockOf(state: ThrottleState | undefined, now: Date, rule: ThrottleRule): Block | undefined {
  if (!state) return undefined;
  const failures = countingFailures(state, now);
  const last = state.lastFailureAt.getTime();
  let block: Block | undefined;
  if (failures >= rule.lockAt) block = { until: new Date(last + rule.lockMs), locked: true };
  else if (failures >= rule.delayFrom) block = { until: new Date(last + Math.min(1000 * 2 ** (failures - rule.delayFrom), rule.maxDelayMs)), locked: false };
  return block && block.until > now ? block : undefined;
}

/** The counter of a username that names no user: never one a real account is judged by. */
export const accountKey = (username: string) => `account:${username.trim().toLowerCase()}`;
/** The counter of one user (ids are unique across companies, names are not). */
export const userKey = (userId: string) => `user:${userId}`;
export const ipKey = (ip: string) => `ip:${ip}`;

export class LoginThrottled extends AppError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super('TOO_MANY_REQUESTS', message);
  }
}

function refusal(block: Block, now: Date, what: 'account' | 'ip', rule: ThrottleRule): LoginThrottled {
  const seconds = Math.max(1, Math.ceil((block.until.getTime() - now.getTime()) / 1000));
  const who = what === 'account' ? '该账号' : '此网络';
  if (!block.locked) return new LoginThrottled(`${who}登录失败次数过多，请 ${seconds} 秒后再试`, seconds);
  const minutes = Math.ceil(seconds / 60);
  const unlock = what === 'account' ? '，或请管理员解锁' : '';
  return new LoginThrottled(`${who}连续登录失败次数过多，已锁定 ${Math.round(rule.lockMs / 60_000)} 分钟（还剩约 ${minutes} 分钟）${unlock}`, seconds);
}

interface Row {
  key: string;
  failures: number;
  last_failure_at: Date;
  now: Date;
}

export interface Claim {
  /** each account that may be tried, with its failures counting this attempt */
  open: Map<string, number>;
  /** the accounts that must wait or are locked (not counted, not to be tried) */
  refused: Map<string, LoginThrottled>;
}

/**
 * Claims one attempt for the accounts (the users a password would be tried against, or the unknown
 * name) and the IP: refused (LoginThrottled) while the IP must wait or every account must, otherwise
 * the IP and each open account are counted as failed until settleSuccess() says otherwise. An
 * account that must wait is left out rather than refusing the others: one company's locked admin
 * must not lock out another company's admin who signs in without a company code.
 */
export async function claimAttempt(system: Db, accounts: string[], ip: string): Promise<Claim> {
  const keys = [...new Set([...accounts, ip])].sort();
  return system.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO login_throttle (key, failures, last_failure_at) SELECT k, 0, now() FROM unnest(${keys}::text[]) k ON CONFLICT (key) DO NOTHING`;
    const rows = await tx.$queryRaw<Row[]>`
      SELECT key, failures, last_failure_at, now() AS now FROM login_throttle WHERE key = ANY (${keys}::text[]) ORDER BY key FOR UPDATE`;
    const now = rows[0]!.now;
    const state = (key: string) => {
      const r = rows.find((x) => x.key === key);
      return r && { failures: r.failures, lastFailureAt: r.last_failure_at };
    };
    const refused = new Map<string, LoginThrottled>();
    for (const a of accounts) {
      const block = blockOf(state(a), now, ACCOUNT_RULE);
      if (block) refused.set(a, refusal(block, now, 'account', ACCOUNT_RULE));
    }
    const open = accounts.filter((a) => !refused.has(a));
    if (open.length === 0) throw refused.get(accounts[0]!)!;
    const byIp = blockOf(state(ip), now, IP_RULE);
    if (byIp) throw refusal(byIp, now, 'ip', IP_RULE);
    const counted = await tx.$queryRaw<{ key: string; failures: number }[]>`
      UPDATE login_throttle
         SET failures = CASE WHEN last_failure_at < now() - make_interval(secs => ${FORGET_MS / 1000}) THEN 0 ELSE failures END + 1,
             last_failure_at = now()
       WHERE key = ANY (${[...open, ip]}::text[])
       RETURNING key, failures`;
    return { open: new Map(open.map((a) => [a, counted.find((c) => c.key === a)!.failures])), refused };
  });
}

/**
 * A right password: the users it opened start afresh (they proved it), the IP loses only this
 * attempt's count; every other account tried stays counted — it was a guess against them. Stale
 * counters go.
 */
export async function settleSuccess(system: Db, users: string[], ip: string): Promise<void> {
  await system.$executeRaw`
    WITH gone AS (DELETE FROM login_throttle WHERE key = ANY (${users}::text[]) OR last_failure_at < now() - interval '1 day')
    UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = ${ip}`;
}

/** 解锁: an administrator clears one user's failures (in their own transaction). Whether there were any. */
export async function clearLoginFailures(tx: Tx, userId: string): Promise<boolean> {
  return (await tx.$executeRaw`DELETE FROM login_throttle WHERE key = ${userKey(userId)} AND failures > 0`) > 0;
}
