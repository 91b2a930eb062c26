import { afterEach, describe, expect, it, vi } from 'vitest';
import { CatalogCache, type CatalogCacheOptions } from './catalog-cache.js';
import { NotificationBarrier } from './db/notification-barrier.js';

const synced = new NotificationBarrier(() => Promise.resolve(true));
const page = (text: string) => Buffer.from(text);

function cache(options: Partial<CatalogCacheOptions> = {}): CatalogCache {
  return new CatalogCache({ ttlMs: 10_000, maxPageBytes: 1000, maxCounts: 10, barrier: synced, ...options });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CatalogCache', () => {
  it('is never used without a barrier, or with a TTL of 0', async () => {
    for (const off of [cache({ barrier: undefined }), cache({ ttlMs: 0 })]) {
      expect(await off.usable(0)).toBe(false);
      off.setPage('k', page('x'), off.generation);
      off.setCount('k', 1, off.generation);
      expect([off.page('k'), off.count('k')]).toEqual([undefined, undefined]);
    }
  });

  it('is not used while the listener cannot sync', async () => {
    expect(await cache({ barrier: new NotificationBarrier(() => Promise.resolve(false)) }).usable(0)).toBe(false);
    expect(await cache().usable(Number.POSITIVE_INFINITY)).toBe(true);
  });

  it('forgets everything on a change, and does not store what was computed across one', () => {
    const remembered = cache();
    const before = remembered.generation;
    remembered.setPage('p', page('one'), before);
    remembered.setCount('c', 5, before);
    expect([remembered.page('p')?.toString(), remembered.count('c')]).toEqual(['one', 5]);
    remembered.invalidate();
    expect([remembered.page('p'), remembered.count('c')]).toEqual([undefined, undefined]);
    remembered.setPage('p', page('stale'), before);
    remembered.setCount('c', 4, before);
    expect([remembered.page('p'), remembered.count('c')]).toEqual([undefined, undefined]);
    expect(remembered.stats.pageBytes).toBe(0);
  });

  it('drops entries after their TTL', () => {
    vi.useFakeTimers();
    const remembered = cache();
    remembered.setPage('p', page('one'), remembered.generation);
    remembered.setCount('c', 5, remembered.generation);
    vi.advanceTimersByTime(9999);
    expect([remembered.page('p')?.toString(), remembered.count('c')]).toEqual(['one', 5]);
    vi.advanceTimersByTime(1);
    expect([remembered.page('p'), remembered.count('c')]).toEqual([undefined, undefined]);
    expect(remembered.stats.pageBytes).toBe(0);
  });

  it('holds at most maxPageBytes of pages and maxCounts counts, dropping the oldest', () => {
    const remembered = cache({ maxPageBytes: 10, maxCounts: 2 });
    remembered.setPage('a', page('12345'), remembered.generation);
    remembered.setPage('b', page('1234'), remembered.generation);
    remembered.setPage('c', page('123'), remembered.generation);
    expect([remembered.page('a'), remembered.page('b')?.toString(), remembered.page('c')?.toString()]).toEqual([
      undefined,
      '1234',
      '123',
    ]);
    expect(remembered.stats.pageBytes).toBe(7);
    remembered.setPage('huge', page('12345678901'), remembered.generation);
    expect(remembered.page('huge')).toBeUndefined();
    for (const key of ['1', '2', '3']) remembered.setCount(key, Number(key), remembered.generation);
    expect([remembered.count('1'), remembered.count('2'), remembered.count('3')]).toEqual([undefined, 2, 3]);
  });
});
