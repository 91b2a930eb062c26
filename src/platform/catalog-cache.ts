import type { NotificationBarrier } from './db/notification-barrier.js';

/**
 * A per-process cache of what the firmware build list answered: the count of a filter (shared by
 * every page and ordering of it) and whole serialised pages (by caller's visibility and URL), so
 * that repeated listings need not ask the database again.
 *
 * It is only as good as its invalidation, so it is used only when that is known to work:
 * - every change of a table the list reads (builds, categories, organizations; images, firmware
 *   records and devices' organizations for its usage counts) is announced by statement triggers on
 *   channel `fleetflash_catalog` (migrations 0010 and 0012) in the transaction that
 *   makes it; the process's listener then calls `invalidate`, which forgets everything;
 * - before each use, `usable` makes sure every notification committed before the request arrived
 *   has been handled (the notification barrier, shared with the credential cache);
 * - while the listener is down the cache is neither read nor filled, and it is emptied when the
 *   listener is back (notifications sent meanwhile are lost);
 * - an answer computed while a change arrived is not stored (`generation`, read before the
 *   database is asked); requests wanting a page another one is computing from the same
 *   generation wait for it instead of asking the database too (so a change does not send every
 *   waiting client to the database at once);
 * - entries live at most `ttlMs` whatever happens (the bound if a notification were ever lost on
 *   a live connection).
 * What a caller may see is part of every key, so one caller's answer is never another's.
 */
export interface CatalogCacheOptions {
  /** Longest life of an entry; 0 turns the cache off. */
  ttlMs: number;
  /** Most bytes of serialised pages (with their keys) held; the oldest go first. */
  maxPageBytes: number;
  /** Most counts held; the oldest go first. */
  maxCounts: number;
  /** Absent: the cache is never used. */
  barrier?: NotificationBarrier | undefined;
}

interface Entry<T> {
  value: T;
  cachedAt: number;
}

export const DEFAULT_CATALOG_CACHE_MAX_PAGE_BYTES = 32 * 1024 * 1024;
export const DEFAULT_CATALOG_CACHE_MAX_COUNTS = 10_000;

/** What a remembered page holds in memory, about: its bytes and its key's (UTF-16). */
function pageSize(key: string, body: Buffer): number {
  return body.length + 2 * key.length;
}

export class CatalogCache {
  private readonly pages = new Map<string, Entry<Buffer>>();
  private readonly counts = new Map<string, Entry<number>>();
  /** Pages being computed now, by key, with the generation they are computed from. */
  private readonly computing = new Map<string, { generation: number; body: Promise<Buffer> }>();
  private pageBytes = 0;
  /** Bumped by every invalidation: an answer computed across one must not be stored. */
  private generationCounter = 0;
  private hitCount = 0;
  private missCount = 0;

  constructor(private readonly options: CatalogCacheOptions) {}

  get enabled(): boolean {
    return this.options.ttlMs > 0 && this.options.barrier !== undefined;
  }

  get generation(): number {
    return this.generationCounter;
  }

  get stats(): { hits: number; misses: number; pages: number; pageBytes: number; counts: number } {
    return {
      hits: this.hitCount,
      misses: this.missCount,
      pages: this.pages.size,
      pageBytes: this.pageBytes,
      counts: this.counts.size,
    };
  }

  /**
   * True when the cache may answer a request that arrived at `since` (`performance.now()`): every
   * catalog change committed before then has been applied.
   */
  usable(since: number): Promise<boolean> {
    if (!this.enabled) return Promise.resolve(false);
    return this.options.barrier!.fresh(since);
  }

  /**
   * The serialised page of `key`: from memory, or shared with a request computing it now from the
   * same catalog (`generation`, read after `usable`), or computed by `compute` and remembered. A
   * change arriving meanwhile keeps it from being remembered or shared any further.
   */
  async page(key: string, generation: number, compute: () => Promise<Buffer>): Promise<Buffer> {
    const remembered = this.read(this.pages, key);
    if (remembered !== undefined) {
      this.hitCount += 1;
      return remembered;
    }
    const underway = this.computing.get(key);
    if (underway && underway.generation === generation && generation === this.generationCounter) {
      const shared = await underway.body.catch(() => undefined);
      if (shared !== undefined) {
        this.hitCount += 1;
        return shared;
      }
    }
    this.missCount += 1;
    const record = { generation, body: compute() };
    this.computing.set(key, record);
    try {
      const body = await record.body;
      this.setPage(key, body, generation);
      return body;
    } finally {
      if (this.computing.get(key) === record) this.computing.delete(key);
    }
  }

  /** Stores a serialised page, unless the catalog changed since `generation` was read. */
  private setPage(key: string, body: Buffer, generation: number): void {
    // Keys count too: a URL may be long, and a page of nothing short.
    const size = pageSize(key, body);
    if (!this.enabled || generation !== this.generationCounter || size > this.options.maxPageBytes) return;
    this.deletePage(key);
    while (this.pageBytes + size > this.options.maxPageBytes) {
      const oldest = this.pages.keys().next();
      if (oldest.done) break;
      this.deletePage(oldest.value);
    }
    this.pages.set(key, { value: body, cachedAt: Date.now() });
    this.pageBytes += size;
  }

  count(key: string): number | undefined {
    return this.read(this.counts, key);
  }

  /** Stores a count, unless the catalog changed since `generation` was read. */
  setCount(key: string, count: number, generation: number): void {
    if (!this.enabled || generation !== this.generationCounter || this.options.maxCounts <= 0) return;
    this.counts.delete(key);
    while (this.counts.size >= this.options.maxCounts) {
      const oldest = this.counts.keys().next();
      if (oldest.done) break;
      this.counts.delete(oldest.value);
    }
    this.counts.set(key, { value: count, cachedAt: Date.now() });
  }

  /** The catalog changed (or may have): forget everything. */
  invalidate(): void {
    this.generationCounter += 1;
    this.pages.clear();
    this.counts.clear();
    this.computing.clear();
    this.pageBytes = 0;
  }

  private read<T>(entries: Map<string, Entry<T>>, key: string): T | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.cachedAt >= this.options.ttlMs) {
      if (entries === (this.pages as Map<string, Entry<unknown>>)) this.deletePage(key);
      else entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private deletePage(key: string): void {
    const entry = this.pages.get(key);
    if (!entry) return;
    this.pages.delete(key);
    this.pageBytes -= pageSize(key, entry.value);
  }
}
