import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { TooManyRequestsError } from '../errors.ts';
import {
  ACCOUNT_LIMITS,
  ADDRESS_LIMITS,
  afterFailure,
  liveFailures,
  type ThrottleCounter,
  type ThrottleLimits,
  waitBeforeAttempt,
} from './login-throttle-rules.ts';

/** One sign-in attempt as the throttle sees it. */
export interface LoginAttempt {
  username: string;
  address: string;
}

/**
 * Throttles sign-in per account and per client address (login-throttle-rules.ts), with counters in
 * the store so every server on one database counts together. An attempt is counted as a failure
 * before the password is checked (inside one write transaction, so concurrent attempts cannot all
 * slip through the free allowance) and taken back when it succeeds.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Refuses (429 with the wait) when either counter is waiting; otherwise counts the attempt as failed. */
  async begin(attempt: LoginAttempt): Promise<void> {
    const now = this.clock.now();
    await this.db.write(async (tx) => {
      const counters = await this.read(tx, attempt);
      const waitMs = Math.max(
        ...counters.map(({ counter, limits }) => waitBeforeAttempt(counter, now, limits)),
      );
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        throw new TooManyRequestsError(
          `too many failed sign-in attempts; try again in ${seconds} s`,
          seconds,
        );
      }
      for (const { key, counter, limits } of counters)
        await this.save(tx, key, afterFailure(counter, now, limits), counter !== undefined);
    });
  }

  /** A successful sign-in: the account's counter starts again, the address's attempt is taken back. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    const now = this.clock.now();
    await this.db.write(async (tx) => {
      await tx.deleteFrom('login_throttle').where('key', '=', accountKey(attempt)).execute();
      const [, address] = await this.read(tx, attempt);
      if (address?.counter) {
        const failures = Math.max(0, liveFailures(address.counter, now, ADDRESS_LIMITS) - 1);
        await tx.updateTable('login_throttle').set({ failures }).where('key', '=', address.key).execute();
      }
    });
  }

  private async read(
    tx: Kysely<Database>,
    attempt: LoginAttempt,
  ): Promise<{ key: string; counter: ThrottleCounter | undefined; limits: ThrottleLimits }[]> {
    const keys = [accountKey(attempt), addressKey(attempt)];
    const rows = await tx.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
    const byKey = new Map(
      rows.map((r) => [r.key, { failures: Number(r.failures), lastFailureAt: r.last_failure_at }]),
    );
    return [
      { key: keys[0]!, counter: byKey.get(keys[0]!), limits: ACCOUNT_LIMITS },
      { key: keys[1]!, counter: byKey.get(keys[1]!), limits: ADDRESS_LIMITS },
    ];
  }

  private async save(tx: Kysely<Database>, key: string, c: ThrottleCounter, exists: boolean): Promise<void> {
    const values = { failures: c.failures, last_failure_at: c.lastFailureAt };
    if (exists) await tx.updateTable('login_throttle').set(values).where('key', '=', key).execute();
    else
      await tx
        .insertInto('login_throttle')
        .values({ key, ...values })
        .execute();
  }
}

/** The account counter's key: the username as typed (case-folded), whether or not such a user exists. */
function accountKey(a: LoginAttempt): string {
  return `account:${a.username.toLowerCase()}`;
}

function addressKey(a: LoginAttempt): string {
  return `address:${a.address}`;
}
