import type { Actor } from './actor.js';

/**
 * A per-process cache of authenticated credentials (API token or session, by the hash of its
 * secret) → the actor they stand for, so a request need not look its caller up in the database.
 *
 * It is only as good as its invalidation, so it is used only when that is known to work:
 * - every change of what a credential may do (token revoked or its expiry changed, session ended,
 *   user deactivated or made/unmade superuser, membership added/removed/changed, organization
 *   deactivated) is announced by database triggers on channel `fleetflash_access` (migration 0006)
 *   in the transaction that makes it; the process's listener calls `invalidate` for the user
 *   concerned, or for everyone;
 * - before each use, `fresh` makes sure every notification committed before the request arrived
 *   has been handled (a round trip on the listening connection, shared by all requests that arrive
 *   while one is under way). So a change committed anywhere is seen by the next request on every
 *   process, exactly as without a cache;
 * - while the listener is down the cache is neither read nor filled, and it is emptied when the
 *   listener is back (notifications sent meanwhile are lost);
 * - entries live at most `ttlMs` whatever happens (the bound if a notification were ever lost on a
 *   live connection, or for a change no trigger announces), and expire with their credential.
 * Unknown credentials are not cached: they are looked up every time.
 */
export interface CachedCredential {
  actor: Actor;
  userId: string;
  /** When the credential itself expires (null: never). */
  expiresAt: Date | null;
  /** API tokens: when the token's last use was last written (it is written at most once a minute). */
  lastUsedAt: Date | null;
}

interface Entry extends CachedCredential {
  cachedAt: number;
}

export interface AuthCacheOptions {
  /** Longest life of an entry; 0 turns the cache off. */
  ttlMs: number;
  /** Most entries held; the oldest go first. */
  maxEntries: number;
  /**
   * Resolves true once every access notification committed before the call has been handled,
   * false when that cannot be known (listener down). Absent: the cache is never used. In the app it
   * is the process's NotificationBarrier (src/platform/db/notification-barrier.ts), which shares
   * round trips between concurrent callers.
   */
  sync?: (() => Promise<boolean>) | undefined;
}

export const DEFAULT_AUTH_CACHE_MAX_ENTRIES = 10_000;

export class AuthCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a lookup that started before one must not be stored. */
  private generationCounter = 0;
  private hitCount = 0;
  private missCount = 0;

  constructor(private readonly options: AuthCacheOptions) {}

  get enabled(): boolean {
    return this.options.ttlMs > 0 && this.options.maxEntries > 0 && this.options.sync !== undefined;
  }

  get generation(): number {
    return this.generationCounter;
  }

  get size(): number {
    return this.entries.size;
  }

  get stats(): { hits: number; misses: number; size: number } {
    return { hits: this.hitCount, misses: this.missCount, size: this.entries.size };
  }

  /**
   * True when the cache may be used for a request that arrived before this call: every access
   * change committed before it has been applied (the barrier behind `sync` shares round trips).
   */
  fresh(): Promise<boolean> {
    const sync = this.options.sync;
    if (!this.enabled || !sync) return Promise.resolve(false);
    return sync().catch(() => false);
  }

  /** The cached credential, if still valid at `now`. */
  get(key: string, now: Date): CachedCredential | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.missCount += 1;
      return undefined;
    }
    const expired = entry.expiresAt !== null && entry.expiresAt.getTime() <= now.getTime();
    if (expired || Date.now() - entry.cachedAt >= this.options.ttlMs) {
      this.entries.delete(key);
      this.missCount += 1;
      return undefined;
    }
    this.hitCount += 1;
    return entry;
  }

  /** Stores what a lookup found, unless access changed since it started (`generation` read before it). */
  set(key: string, credential: CachedCredential, generation: number): void {
    if (!this.enabled || generation !== this.generationCounter) return;
    this.entries.delete(key);
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    // Shared by every request it authenticates: nobody may change it.
    Object.freeze(credential.actor);
    this.entries.set(key, { ...credential, cachedAt: Date.now() });
  }

  /** Access of `userId` changed (or of everybody, `null`): forget what may no longer hold. */
  invalidate(userId: string | null): void {
    this.generationCounter += 1;
    if (userId === null) {
      this.entries.clear();
      return;
    }
    for (const [key, entry] of this.entries) if (entry.userId === userId) this.entries.delete(key);
  }
}
