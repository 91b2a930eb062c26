import { afterEach, describe, expect, it, vi } from 'vitest';
import { CatalogCache, type CatalogCacheOptions } from './catalog-cache.js';
import { NotificationBarrier } from './db/notification-barrier.js';

const synced = new NotificationBarrier(() => Promise.resolve(true));

function cache(options: Partial<CatalogCacheOptions> = {}): CatalogCache {
  return new CatalogCache({ ttlMs: 10_000, maxPageBytes: 1000, maxCounts: 10, barrier: synced, ...options });
}

/** The page of `key` as the cache answers it, and whether `compute` had to run. */
async function pageOf(
  remembered: CatalogCache,
  key: string,
  text: string,
  generation = remembered.generation,
): Promise<{ text: string; computed: boolean }> {
  let computed = false;
  const body = await remembered.page(key, generation, async () => {
    computed = true;
    return Buffer.from(text);
  });
  return { text: body.toString(), computed };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CatalogCache', () => {
  it('is never used without a barrier, or with a TTL of 0', async () => {
    for (const off of [cache({ barrier: undefined }), cache({ ttlMs: 0 })]) {
      expect(await off.usable(0)).toBe(false);
      await pageOf(off, 'k', 'x');
      off.setCount('k', 1, off.generation);
      expect(await pageOf(off, 'k', 'y')).toEqual({ text: 'y', computed: true });
      expect(off.count('k')).toBeUndefined();
    }
  });

  it('is not used while the listener cannot sync', async () => {
    expect(await cache({ barrier: new NotificationBarrier(() => Promise.resolve(false)) }).usable(0)).toBe(false);
    expect(await cache().usable(Number.POSITIVE_INFINITY)).toBe(true);
  });

  it('remembers pages and counts; forgets everything on a change, and stores nothing computed across one', async () => {
    const remembered = cache();
    const before = remembered.generation;
    expect(await pageOf(remembered, 'p', 'one')).toEqual({ text: 'one', computed: true });
    remembered.setCount('c', 5, before);
    expect(await pageOf(remembered, 'p', 'two')).toEqual({ text: 'one', computed: false });
    expect(remembered.count('c')).toBe(5);
    remembered.invalidate();
    expect(remembered.count('c')).toBeUndefined();
    // Computed from the catalog as it was before the change: answered, but not remembered.
    expect(await pageOf(remembered, 'p', 'stale', before)).toEqual({ text: 'stale', computed: true });
    remembered.setCount('c', 4, before);
    expect(remembered.count('c')).toBeUndefined();
    expect(await pageOf(remembered, 'p', 'three')).toEqual({ text: 'three', computed: true });
    expect(remembered.stats.hits).toBe(1);
  });

  it('shares a page being computed with requests of the same generation only', async () => {
    const remembered = cache();
    let finish: (body: Buffer) => void = () => {};
    let computations = 0;
    const slow = () => {
      computations += 1;
      return new Promise<Buffer>((resolve) => {
        finish = resolve;
      });
    };
    const first = remembered.page('p', remembered.generation, slow);
    const joined = remembered.page('p', remembered.generation, slow);
    finish(Buffer.from('shared'));
    expect([(await first).toString(), (await joined).toString()]).toEqual(['shared', 'shared']);
    expect(computations).toBe(1);

    remembered.invalidate();
    const old = remembered.generation;
    const before = remembered.page('q', old, slow);
    remembered.invalidate();
    // Arrived after a change the first computation may not see: computes its own.
    const after = remembered.page('q', remembered.generation, async () => Buffer.from('new'));
    expect((await after).toString()).toBe('new');
    finish(Buffer.from('old'));
    expect((await before).toString()).toBe('old');
    expect(await pageOf(remembered, 'q', 'again')).toEqual({ text: 'new', computed: false });
  });

  it('lets a request compute its own page when the one it waited for failed', async () => {
    const remembered = cache();
    let fail: (error: Error) => void = () => {};
    const failing = remembered.page(
      'p',
      remembered.generation,
      () =>
        new Promise<Buffer>((_resolve, reject) => {
          fail = reject;
        }),
    );
    const waiting = pageOf(remembered, 'p', 'own');
    fail(new Error('invalid page'));
    await expect(failing).rejects.toThrow('invalid page');
    expect(await waiting).toEqual({ text: 'own', computed: true });
  });

  it('drops entries after their TTL', async () => {
    vi.useFakeTimers();
    const remembered = cache();
    await pageOf(remembered, 'p', 'one');
    remembered.setCount('c', 5, remembered.generation);
    vi.advanceTimersByTime(9999);
    expect(await pageOf(remembered, 'p', 'two')).toEqual({ text: 'one', computed: false });
    expect(remembered.count('c')).toBe(5);
    vi.advanceTimersByTime(1);
    expect(remembered.count('c')).toBeUndefined();
    expect(await pageOf(remembered, 'p', 'two')).toEqual({ text: 'two', computed: true });
    expect(remembered.stats.pageBytes).toBe(3 + 2);
  });

  it('holds at most maxPageBytes of pages (keys included) and maxCounts counts, dropping the oldest', async () => {
    // Keys of one character: 2 bytes each.
    const remembered = cache({ maxPageBytes: 14, maxCounts: 2 });
    await pageOf(remembered, 'a', '12345');
    await pageOf(remembered, 'b', '1234');
    await pageOf(remembered, 'c', '123');
    expect(remembered.stats).toMatchObject({ pages: 2, pageBytes: 11 });
    expect((await pageOf(remembered, 'b', 'x')).computed).toBe(false);
    expect((await pageOf(remembered, 'c', 'x')).computed).toBe(false);
    expect((await pageOf(remembered, 'a', '12345')).computed).toBe(true);
    // A long key costs like a long page.
    await pageOf(remembered, 'k'.repeat(8), '');
    expect((await pageOf(remembered, 'k'.repeat(8), 'x')).computed).toBe(true);
    expect(remembered.stats.pageBytes).toBeLessThanOrEqual(14);
    for (const key of ['1', '2', '3']) remembered.setCount(key, Number(key), remembered.generation);
    expect([remembered.count('1'), remembered.count('2'), remembered.count('3')]).toEqual([undefined, 2, 3]);
  });
});
