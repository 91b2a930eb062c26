import type { Db } from '../../database.js';
import { AppError, type ErrorCode } from '../../platform/errors.js';
import { throttleAddressKey, throttleClientAddress } from './login-throttle-address.js';
import * as repository from './login-throttle.repository.js';

/** Limits of failed logins, from the `login_throttle.*` settings. */
export interface LoginThrottleSettings {
  /** Failures allowed for one username from one address per window. */
  maxFailures: number;
  /** Failures allowed from one address, whatever the usernames, per window. */
  maxFailuresPerAddress: number;
  /** Window length in seconds. */
  window: number;
}

/**
 * Slows password guessing. Counters live in PostgreSQL (table login_failures), so every API
 * process shares them. Two budgets per window: failures for one (address, username), which stops
 * guessing one password, and failures from one address, which stops trying one password on many
 * usernames. When either is spent, logins from that address (for that username, or at all) get 429
 * with Retry-After until the window ends. The per-address budget of an IPv6 client is its /64, which
 * it can pick addresses from at will (login-throttle-address.ts).
 *
 * The attempt is counted before the password is checked, not after: parallel guesses would
 * otherwise all pass one check while the slow password hash runs. An attempt that turns out not to
 * be a failure gives its count back.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly settings: LoginThrottleSettings,
  ) {}

  /**
   * Runs `login` for `username` from `address` within the budgets. A wrong password
   * (`InvalidCredentials`, or the `failureCode` given: a pull agent's wrong registration secret) counts as a
   * failure; a success clears the (address, username) count but
   * not the address count, so one valid account cannot buy a sprayer new guesses.
   */
  async attempt<T>(
    address: string,
    username: string,
    login: () => Promise<T>,
    failureCode: ErrorCode = 'InvalidCredentials',
  ): Promise<T> {
    const perAddress = { address: throttleAddressKey(address), username: repository.ADDRESS_ROW };
    const perUsername = { address: throttleClientAddress(address), username: username.toLowerCase() };
    const counts = await repository.incrementLoginFailures(this.db, { perAddress, perUsername }, this.settings.window);
    const over = counts.filter(
      (row) =>
        row.failures >
        (row.username === repository.ADDRESS_ROW ? this.settings.maxFailuresPerAddress : this.settings.maxFailures),
    );
    if (over.length > 0) {
      // A refused attempt checks no password, so it is no failure: hammering while blocked
      // neither extends the block nor eats the address budget of others behind the same NAT.
      await repository.decrementLoginFailures(this.db, [perAddress, perUsername]);
      throw tooManyFailures(over);
    }
    let result: T;
    try {
      result = await login();
    } catch (error) {
      if (!(error instanceof AppError && error.code === failureCode)) {
        // Not a wrong password (e.g. the database failed): give the count back, but answer with
        // the original error even if giving back fails too.
        await repository.decrementLoginFailures(this.db, [perAddress, perUsername]).catch(() => undefined);
      }
      throw error;
    }
    await repository.deleteLoginFailures(this.db, perUsername.address, perUsername.username);
    await repository.decrementLoginFailures(this.db, [perAddress]);
    return result;
  }
}

/**
 * The throttle for a check that is cheap and cannot be guessed (a pull agent's registration secret: 256
 * random bits, compared by its SHA-256): only failures count, after the check, and a success takes nothing.
 * Counting every attempt first (as `LoginThrottle.attempt` must, for slow password hashes) would refuse
 * routers that enroll at once from behind one NAT address, the case the agent exists for. A spent budget
 * still refuses before the check, so a stale secret cannot flood the audit log.
 */
export class FailureThrottle {
  constructor(
    private readonly db: Db,
    private readonly settings: LoginThrottleSettings,
  ) {}

  async attempt<T>(address: string, username: string, check: () => Promise<T>, failureCode: ErrorCode): Promise<T> {
    const perAddress = { address: throttleAddressKey(address), username: repository.ADDRESS_ROW };
    const perUsername = { address: throttleClientAddress(address), username: username.toLowerCase() };
    const over = (await repository.readLoginFailures(this.db, [perAddress, perUsername])).filter(
      (row) =>
        row.failures >=
        (row.username === repository.ADDRESS_ROW ? this.settings.maxFailuresPerAddress : this.settings.maxFailures),
    );
    if (over.length > 0) throw tooManyFailures(over);
    try {
      return await check();
    } catch (error) {
      if (error instanceof AppError && error.code === failureCode)
        await repository.incrementLoginFailures(this.db, { perAddress, perUsername }, this.settings.window);
      throw error;
    }
  }
}

function tooManyFailures(over: repository.FailureCount[]): AppError {
  const seconds = Math.max(...over.map((row) => row.secondsLeft));
  const whole = over.some((row) => row.username === repository.ADDRESS_ROW);
  const what = whole
    ? 'Too many failed logins from your address'
    : 'Too many failed logins for this user from your address';
  return new AppError('TooManyRequests', `${what}: try again in ${seconds} seconds.`, undefined, {
    headers: { 'retry-after': String(seconds) },
  });
}

/** Deletes counters whose window has passed (the hourly housekeeping job); returns how many. */
export async function purgeExpiredLoginFailures(db: Db): Promise<number> {
  return repository.deleteExpiredLoginFailures(db);
}
