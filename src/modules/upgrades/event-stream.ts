import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../database.js';
import { AppError } from '../../platform/errors.js';
import {
  matchesFilter,
  replayEvents,
  type EventFilter,
  type EventPump,
  type EventRow,
  type Subscription,
} from '../../platform/events.js';
import { readableOrganizationIds, type Actor } from '../accounts/actor.js';
import { reauthenticate } from '../accounts/auth.service.js';
import { findVisibleOrganization } from '../accounts/organization.service.js';
import { getDevice } from '../devices/device.service.js';
import { getBatch } from './batch.service.js';
import { getOperation } from './operation.service.js';

/** Events replayed at most on a resume; a client further behind reloads the state instead. */
const REPLAY_LIMIT = 10_000;
const KEEP_ALIVE_MS = 15_000;
/** Reconnection delay the client is told to use (SSE `retry:`), in milliseconds. */
const RETRY_MS = 2000;
/**
 * A change that may concern everybody (an organization changed) makes every stream re-check:
 * each waits a random part of this first, so they do not all query the database at once.
 * Events are held back meanwhile.
 */
const SPREAD_RECHECKS_MS = 1000;

/**
 * Each event's frame, built once however many streams send it (the pump hands the same row to
 * every subscriber): with 10,000 streams, serializing per stream cost more than the writes.
 */
const frames = new WeakMap<EventRow, string>();

function frameOf(event: EventRow): string {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event.data, at: event.at })}\n\n`;
    frames.set(event, frame);
  }
  return frame;
}

/** Resolves when `raw` has written its buffer out, or is closed. */
function drained(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}

/** One keep-alive timer for every stream of the process, instead of one per stream. */
const keptAlive = new Set<EventStream>();
let keepAliveTimer: NodeJS.Timeout | null = null;

function keepAlive(stream: EventStream): void {
  keptAlive.add(stream);
  keepAliveTimer ??= setInterval(() => {
    for (const each of keptAlive) each.keepAlive();
  }, KEEP_ALIVE_MS).unref();
}

function stopKeepingAlive(stream: EventStream): void {
  keptAlive.delete(stream);
  if (keptAlive.size === 0 && keepAliveTimer) {
    clearInterval(keepAliveTimer);
    keepAliveTimer = null;
  }
}

/** What a client asked to follow; the explicit filters are re-checked with the caller's access. */
export interface EventStreamQuery {
  batch?: string | undefined;
  operation?: string | undefined;
  device?: string | undefined;
  organization?: string | undefined;
  build?: string | undefined;
}

/**
 * The filter a stream of `actor` uses: its readable organizations, narrowed by each explicit filter.
 * Throws the object's NotFound when an explicit filter names something the actor cannot see.
 */
export async function resolveEventFilter(db: Db, actor: Actor, query: EventStreamQuery): Promise<EventFilter> {
  const filter: EventFilter = { organizationIds: readableOrganizationIds(actor) };
  if (query.batch !== undefined) filter.batchId = (await getBatch(db, actor, query.batch)).batch.id;
  if (query.operation !== undefined) filter.operationId = (await getOperation(db, actor, query.operation)).id;
  if (query.device !== undefined) filter.deviceId = (await getDevice(db, actor, query.device)).id;
  if (query.organization !== undefined) {
    const organization = await findVisibleOrganization(db, actor, { slug: query.organization });
    if (!organization) throw new AppError('OrganizationNotFound', `Organization "${query.organization}" not found.`);
    filter.organizationId = organization.id;
  }
  if (query.build !== undefined) filter.buildHash = query.build;
  return filter;
}

export interface EventStreamOptions {
  db: Db;
  events: EventPump;
  actor: Actor;
  query: EventStreamQuery;
  filter: EventFilter;
  /** Resume after this event id (Last-Event-ID); undefined = live events only. */
  resumeFrom: number | undefined;
  raw: ServerResponse;
  log: FastifyBaseLogger;
  /** The server ends the stream after this long; the client resumes with Last-Event-ID. */
  maxLifetimeMs: number;
  /** The caller is re-checked at least this often, besides on every access-change notification. */
  recheckIntervalMs: number;
  /**
   * Bytes the stream may have waiting for a client that does not read them: beyond, the stream is
   * closed (the client resumes with Last-Event-ID from the last event it received).
   */
  maxBufferBytes: number;
}

/**
 * One open Server-Sent Events stream. It remembers how its caller authenticated (token or session
 * id, user id) and re-checks that credential whenever the database announces an access change of
 * the user (and every `recheckIntervalMs`, for anything a notification missed, such as a token
 * reaching its expiry): a credential gone ends the stream with `event: revoked`; fewer
 * organizations narrow it, and an explicit filter no longer visible ends it the same way.
 * While a check that a notification triggered runs, events are held back and then filtered with the
 * checked access, so nothing read after the change is delivered on the old access (the pump
 * delivers nothing read before the notifications committed ahead of it have arrived). A client
 * that stops reading is dropped once `maxBufferBytes` wait for it; it resumes from its last id.
 *
 * The client is told where the stream stands (`id:` without data) when it opens and before it
 * ends at its lifetime, so a reconnection resumes without a gap even if no event was delivered.
 */
export class EventStream {
  private actor: Actor;
  private readonly filter: EventFilter;
  private lastSent: number;
  private held: EventRow[] | null = null;
  private holds = 0;
  /** Holds taken by access-change re-checks, released when the checks end. */
  private checkHolds = 0;
  private checking = false;
  private checkAgain = false;
  private delayedCheck: NodeJS.Timeout | null = null;
  private closed = false;
  private replaying = false;
  private subscription: Subscription | null = null;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: EventStreamOptions) {
    this.actor = options.actor;
    this.filter = options.filter;
    this.lastSent = options.resumeFrom ?? 0;
  }

  /** Writes the headers, replays what the client missed, then streams live events until closed. */
  async start(): Promise<void> {
    const { raw, events, db, resumeFrom } = this.options;
    // Subscribe first and hold live events back while the missed ones are replayed: no gap, no
    // duplicate. Replay stops at the pump's position: every later event reaches this subscriber
    // live, in order (the pump waits at a gap for a slow commit; a plain query would not).
    const resuming = resumeFrom !== undefined;
    if (resuming) this.hold();
    // The position, then the subscription, in one turn: nothing can come between them. The route caught
    // up already; if the pump went quiet since and the database fails now, end the stream: the client
    // reconnects after `retry`, as after any end, and does not sit on a stream that delivers nothing.
    try {
      await events.catchUp();
    } catch (error) {
      this.options.log.warn({ err: error }, 'an event stream could not read the newest event: ended');
      raw.end(`retry: ${RETRY_MS}\n\n`);
      return;
    }
    const replayUpTo = events.position;
    this.lastSent = resumeFrom ?? replayUpTo;
    this.subscription = events.subscribe(this.filter, (event) => this.deliver(event), {
      userId: this.actor.userId,
      onChange: (everyone) => this.recheck(everyone ? Math.random() * SPREAD_RECHECKS_MS : 0, true),
    });
    keepAlive(this);
    this.timers.push(
      // The periodic re-check catches what sends no notification (a token reaching its expiry):
      // it does not hold events back, which would delay them on every stream all the time.
      setInterval(() => this.recheck(0, false), this.options.recheckIntervalMs),
      setTimeout(() => this.endOfLifetime(), this.options.maxLifetimeMs),
    );
    raw.on('close', () => this.cleanUp());
    // The client may have gone while the route was still authenticating (its 'close' is past).
    if (raw.destroyed) {
      this.cleanUp();
      return;
    }
    // An `id:` line without data sets the client's Last-Event-ID without an event: a stream
    // that ends before it delivered anything still resumes from here, not from "now".
    raw.write(`retry: ${RETRY_MS}\nid: ${this.lastSent}\n: connected\n\n`);
    if (!resuming) return;
    try {
      // The replay may be far larger than the buffer allowed: it waits for the client to read.
      this.replaying = true;
      for (const event of await replayEvents(db, resumeFrom, this.filter, REPLAY_LIMIT, replayUpTo)) {
        if (this.closed) break;
        this.send(event);
        if (raw.writableLength > this.options.maxBufferBytes) await drained(raw);
      }
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not replay events');
    }
    this.replaying = false;
    this.release();
  }

  private deliver(event: EventRow): void {
    if (this.held) this.held.push(event);
    else this.send(event);
  }

  private send(event: EventRow): void {
    if (event.id <= this.lastSent) return;
    this.lastSent = event.id;
    this.write(frameOf(event));
  }

  /** Called by the shared keep-alive timer. */
  keepAlive(): void {
    this.write(': keep-alive\n\n');
  }

  private write(chunk: string): void {
    if (this.closed) return;
    const { raw, maxBufferBytes, log } = this.options;
    raw.write(chunk);
    if (!this.replaying && raw.writableLength > maxBufferBytes) {
      // A client that does not read: drop it rather than hold its backlog. Each frame carries its
      // id, so the client's Last-Event-ID is the last event it fully received: it resumes from there.
      log.info({ buffered: raw.writableLength }, 'event stream client too slow; closing its stream');
      this.cleanUp();
      raw.destroy();
    }
  }

  private hold(): void {
    this.holds += 1;
    this.held ??= [];
  }

  private release(): void {
    this.holds -= 1;
    if (this.holds > 0 || this.closed) return;
    const waiting = this.held ?? [];
    this.held = null;
    // Held events were matched with the filter of their time: match again with today's access.
    for (const event of waiting) if (matchesFilter(event, this.filter)) this.send(event);
  }

  /**
   * Re-checks the caller after `delayMs` (or again right after the check under way). With
   * `holdEvents` (an access change was announced), events are held back from now on, not from
   * when the check starts, until a check that started after now has ended.
   */
  private recheck(delayMs: number, holdEvents: boolean): void {
    if (this.closed) return;
    if (holdEvents) {
      this.hold();
      this.checkHolds += 1;
    }
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.checking = true;
    if (delayMs <= 0) {
      void this.runChecks();
      return;
    }
    this.delayedCheck = setTimeout(() => {
      this.delayedCheck = null;
      void this.runChecks();
    }, delayMs);
  }

  private async runChecks(): Promise<void> {
    try {
      do {
        this.checkAgain = false;
        const refusal = await this.check();
        if (refusal !== null) {
          this.end(`event: revoked\ndata: ${JSON.stringify(refusal)}\n\n`);
          return;
        }
      } while (this.checkAgain && !this.closed);
    } catch (error) {
      // Fail closed: the client reconnects and authenticates afresh.
      this.options.log.warn({ err: error }, "could not re-check an event stream's access; ending it");
      this.end(': access could not be re-checked; reconnect\n\n');
    } finally {
      this.checking = false;
      const holds = this.checkHolds;
      this.checkHolds = 0;
      for (let hold = 0; hold < holds && !this.closed; hold += 1) this.release();
    }
  }

  /** Null when the caller may go on; otherwise why the stream ends. */
  private async check(): Promise<{ reason: 'credentials' | 'filter'; detail: string } | null> {
    const { db, query } = this.options;
    const actor = await reauthenticate(db, this.actor);
    if (!actor) {
      return {
        reason: 'credentials',
        detail: 'Your token or session was revoked or has expired, or your account was deactivated: log in again.',
      };
    }
    let next: EventFilter;
    try {
      next = await resolveEventFilter(db, actor, query);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 404) throw error;
      return { reason: 'filter', detail: `You can no longer see what this stream follows. ${error.message}` };
    }
    this.actor = actor;
    // Narrow (or widen) the live filter in place: the pump reads it at every delivery.
    this.filter.organizationIds = next.organizationIds;
    return null;
  }

  private endOfLifetime(): void {
    // Everything up to the pump's position has reached this subscriber unless events are held
    // (a replay or a re-check under way): then only what was sent is behind the client.
    const position = this.held ? this.lastSent : Math.max(this.lastSent, this.options.events.position);
    this.end(
      `id: ${position}\nretry: ${RETRY_MS}\n: stream lifetime reached; reconnect with Last-Event-ID to resume\n\n`,
    );
  }

  private end(lastWords: string): void {
    if (this.closed) return;
    this.options.raw.write(lastWords);
    this.cleanUp();
    this.options.raw.end();
  }

  private cleanUp(): void {
    this.closed = true;
    stopKeepingAlive(this);
    this.subscription?.close();
    for (const timer of this.timers) clearTimeout(timer);
    if (this.delayedCheck) clearTimeout(this.delayedCheck);
  }
}
