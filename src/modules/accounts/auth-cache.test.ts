import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from './actor.js';
import { NotificationBarrier } from '../../platform/db/notification-barrier.js';
import { AuthCache, type CachedCredential } from './auth-cache.js';

function credential(userId: string, expiresAt: Date | null = null): CachedCredential {
  const actor: Actor = { userId, username: userId, isSuperuser: false, memberships: new Map(), via: 'token' };
  return { actor, userId, expiresAt, lastUsedAt: null };
}

const synced = () => Promise.resolve(true);
const now = new Date();

afterEach(() => {
  vi.useRealTimers();
});

describe('AuthCache', () => {
  it('is never used without a way to sync with the access notifications, or with a TTL of 0', async () => {
    for (const cache of [
      new AuthCache({ ttlMs: 10_000, maxEntries: 10 }),
      new AuthCache({ ttlMs: 0, maxEntries: 10, sync: synced }),
    ]) {
      expect(await cache.fresh()).toBe(false);
      cache.set('k', credential('u'), cache.generation);
      expect(cache.size).toBe(0);
    }
  });

  it('is not used while the listener cannot sync (down), nor when syncing fails', async () => {
    expect(await new AuthCache({ ttlMs: 10_000, maxEntries: 10, sync: () => Promise.resolve(false) }).fresh()).toBe(
      false,
    );
    expect(
      await new AuthCache({ ttlMs: 10_000, maxEntries: 10, sync: () => Promise.reject(new Error('gone')) }).fresh(),
    ).toBe(false);
  });

  it('does not store what a lookup found when access changed while it ran', () => {
    const cache = new AuthCache({ ttlMs: 10_000, maxEntries: 10, sync: synced });
    const before = cache.generation;
    cache.invalidate('someone else');
    cache.set('k', credential('u'), before);
    expect(cache.get('k', now)).toBeUndefined();
    cache.set('k', credential('u'), cache.generation);
    expect(cache.get('k', now)?.userId).toBe('u');
  });

  it("forgets one user's credentials, or everybody's", () => {
    const cache = new AuthCache({ ttlMs: 10_000, maxEntries: 10, sync: synced });
    cache.set('a1', credential('a'), cache.generation);
    cache.set('a2', credential('a'), cache.generation);
    cache.set('b1', credential('b'), cache.generation);
    cache.invalidate('a');
    expect([cache.get('a1', now), cache.get('a2', now)]).toEqual([undefined, undefined]);
    expect(cache.get('b1', now)?.userId).toBe('b');
    cache.invalidate(null);
    expect(cache.get('b1', now)).toBeUndefined();
  });

  it('drops an entry after its TTL and when its credential expires', () => {
    vi.useFakeTimers();
    const cache = new AuthCache({ ttlMs: 10_000, maxEntries: 10, sync: synced });
    cache.set('k', credential('u'), cache.generation);
    cache.set('expiring', credential('v', new Date(Date.now() + 5000)), cache.generation);
    vi.advanceTimersByTime(4000);
    expect(cache.get('k', new Date())?.userId).toBe('u');
    expect(cache.get('expiring', new Date())?.userId).toBe('v');
    vi.advanceTimersByTime(1000);
    expect(cache.get('expiring', new Date())).toBeUndefined();
    vi.advanceTimersByTime(5000);
    expect(cache.get('k', new Date())).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the oldest', () => {
    const cache = new AuthCache({ ttlMs: 10_000, maxEntries: 2, sync: synced });
    for (const key of ['1', '2', '3']) cache.set(key, credential(key), cache.generation);
    expect(cache.size).toBe(2);
    expect(cache.get('1', now)).toBeUndefined();
    expect(cache.get('3', now)?.userId).toBe('3');
  });

  it('shares round trips through the notification barrier: each caller waits for one sent after it asked', async () => {
    const sent: ((value: boolean) => void)[] = [];
    const barrier = new NotificationBarrier(() => new Promise<boolean>((resolve) => sent.push(resolve)));
    const cache = new AuthCache({ ttlMs: 10_000, maxEntries: 10, sync: () => barrier.fresh() });
    const first = [cache.fresh(), cache.fresh()];
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    // Asked while the first round trip is on the wire: needs another one, sent after it.
    let laterDone = false;
    const later = [cache.fresh(), cache.fresh()];
    void Promise.all(later).then(() => {
      laterDone = true;
    });
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    sent[0]!(true);
    expect(await Promise.all(first)).toEqual([true, true]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(laterDone).toBe(false);
    expect(sent).toHaveLength(2);
    sent[1]!(true);
    expect(await Promise.all(later)).toEqual([true, true]);
  });
});
