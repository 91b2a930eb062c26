import { AppError } from '../../platform/errors.js';

/**
 * Slows password guessing: after `maxFailures` failed logins for one username from one address
 * within `windowMs`, further attempts get 429 until the window passes. Kept in process memory:
 * with several API processes an attacker gets `maxFailures` per process, still a small number.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly maxFailures = 10, private readonly windowMs = 15 * 60_000) {}

  private key(ip: string, username: string): string {
    return `${ip}\u0000${username.toLowerCase()}`;
  }

  assertAllowed(ip: string, username: string, now = Date.now()): void {
    const entry = this.failures.get(this.key(ip, username));
    if (entry && entry.resetAt > now && entry.count >= this.maxFailures) {
      const seconds = Math.ceil((entry.resetAt - now) / 1000);
      throw new AppError('TooManyRequests', `Too many failed logins for this user: try again in ${seconds} seconds.`, undefined, {
        headers: { 'retry-after': String(seconds) },
      });
    }
  }

  recordFailure(ip: string, username: string, now = Date.now()): void {
    const key = this.key(ip, username);
    const entry = this.failures.get(key);
    if (!entry || entry.resetAt <= now) this.failures.set(key, { count: 1, resetAt: now + this.windowMs });
    else entry.count += 1;
    if (this.failures.size > 10_000) this.prune(now);
  }

  recordSuccess(ip: string, username: string): void {
    this.failures.delete(this.key(ip, username));
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) if (entry.resetAt <= now) this.failures.delete(key);
  }
}
