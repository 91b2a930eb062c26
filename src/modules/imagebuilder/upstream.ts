import type { Kysely } from 'kysely';
import type { Config } from '../../platform/config.js';
import type { Database } from '../../database.js';
import type { Logger } from '../../platform/logger.js';
import * as upstreamRepository from './upstream.repository.js';

/**
 * Documents of the OpenWrt download server (or any mirror: setting image_builds.upstream_url):
 * versions, targets, profiles, package indexes, checksums. Each is kept in memory and in the
 * database with its ETag/Last-Modified, and revalidated with a conditional request when older than
 * image_builds.upstream_refresh, when a request names something unknown (a new release or
 * profile), and in the background for documents in use. While upstream is down, the last good copy
 * is served (a stale answer beats none).
 */

export class UpstreamUnavailable extends Error {}
export class UpstreamNotFound extends Error {}

interface Entry {
  body: string;
  etag: string | null;
  lastModified: string | null;
  checkedAt: number;
  /** What a reader made of the body (kept while the body is unchanged). */
  derived?: { value: unknown };
}

/** A request naming something unknown revalidates, but at most this often per document. */
const MISS_REVALIDATE_MS = 1000;
const BACKGROUND_BATCH = 200;

export class UpstreamMetadata {
  private readonly memory = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry | null>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly settings: Config['imageBuilds'],
    private readonly logger: Logger,
  ) {}

  get baseUrl(): string {
    return this.settings.upstreamUrl;
  }

  /** Revalidates documents in use in the background, so clients rarely wait for upstream. */
  startBackgroundRefresh(): void {
    const everyMs = this.settings.upstreamRefresh * 1000;
    this.timer = setInterval(() => void this.refreshStale(), Math.max(1000, everyMs / 2));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async refreshStale(): Promise<void> {
    const limit = Date.now() - this.settings.upstreamRefresh * 1000;
    const stale = [...this.memory.entries()].filter(([, entry]) => entry.checkedAt < limit).slice(0, BACKGROUND_BATCH);
    for (const [path] of stale) {
      await this.load(path, 0).catch((error: unknown) =>
        this.logger.debug({ err: error, path }, 'background upstream refresh failed'),
      );
    }
  }

  /**
   * Parsed JSON of `path` (relative to the upstream URL); null when upstream answers 404.
   * `revalidate`: the caller found something missing in the cached copy.
   */
  async json<T>(path: string, options: { revalidate?: boolean } = {}): Promise<T | null> {
    return this.derived(path, (body) => JSON.parse(body) as T, options);
  }

  /** Something derived from a document (parsed JSON, a package index), computed once per version of it. */
  async derived<T>(
    path: string,
    derive: (body: string) => T,
    options: { revalidate?: boolean } = {},
  ): Promise<T | null> {
    const entry = await this.load(path, options.revalidate ? MISS_REVALIDATE_MS : this.settings.upstreamRefresh * 1000);
    if (!entry) return null;
    if (!entry.derived) {
      try {
        entry.derived = { value: derive(entry.body) };
      } catch (error) {
        throw new UpstreamUnavailable(`upstream ${path} cannot be read: ${(error as Error).message}`);
      }
    }
    return entry.derived.value as T;
  }

  private load(path: string, maxAgeMs: number): Promise<Entry | null> {
    const cached = this.memory.get(path);
    if (cached && Date.now() - cached.checkedAt < maxAgeMs) return Promise.resolve(cached);
    const running = this.inFlight.get(path);
    if (running) return running;
    const work = this.fetchDocument(path, maxAgeMs).finally(() => this.inFlight.delete(path));
    this.inFlight.set(path, work);
    return work;
  }

  private async fetchDocument(path: string, maxAgeMs: number): Promise<Entry | null> {
    const url = `${this.settings.upstreamUrl}/${path}`;
    let known = this.memory.get(path) ?? null;
    if (!known) {
      const row = await upstreamRepository.findDocument(this.db, url);
      if (row) {
        known = { body: row.body, etag: row.etag, lastModified: row.lastModified, checkedAt: row.fetchedAt.getTime() };
        if (Date.now() - known.checkedAt < maxAgeMs) {
          this.memory.set(path, known);
          return known;
        }
      }
    }
    const headers: Record<string, string> = { 'user-agent': 'fleetflash' };
    if (known?.etag) headers['if-none-match'] = known.etag;
    if (known?.lastModified) headers['if-modified-since'] = known.lastModified;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(this.settings.upstreamTimeout * 1000) });
    } catch (error) {
      return this.staleOrFail(path, known, `cannot reach ${url}: ${(error as Error).message}`);
    }
    if (response.status === 304 && known) {
      await response.body?.cancel();
      const refreshed: Entry = { ...known, checkedAt: Date.now() };
      this.memory.set(path, refreshed);
      await upstreamRepository.touchDocument(this.db, url);
      return refreshed;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      this.memory.delete(path);
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      return this.staleOrFail(path, known, `${url} answered ${response.status}`);
    }
    const body = await response.text();
    const entry: Entry = {
      body,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      checkedAt: Date.now(),
    };
    this.memory.set(path, entry);
    await upstreamRepository.saveDocument(this.db, { url, etag: entry.etag, lastModified: entry.lastModified, body });
    return entry;
  }

  private staleOrFail(path: string, known: Entry | null, problem: string): Entry {
    if (known) {
      this.logger.warn({ path, problem }, 'upstream unavailable; serving the last good copy');
      const kept = { ...known, checkedAt: Date.now() };
      this.memory.set(path, kept);
      return kept;
    }
    throw new UpstreamUnavailable(problem);
  }
}
