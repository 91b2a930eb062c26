import { sql, type ColumnType, type Generated, type Kysely, type Selectable } from 'kysely';
import { type AnyDb, withTablesOf } from './db/database.js';
import { NotificationListener } from './db/listener.js';
import type { Logger } from './logger.js';
import { inOrganizationScope } from './db/organization-scope.js';

/**
 * The live event feed of one process. Changes are written to the `events` table inside the
 * transactions that make them (database triggers for operations and log lines, the rollout
 * controller for batches), and PostgreSQL NOTIFY says "there is more" on commit. One pump per
 * process reads new rows in id order (one query per wake-up, however many clients listen) and
 * hands each to the subscribers whose filter matches; so any number of API processes can stream
 * any change, wherever it was made.
 *
 * Ids come from a sequence, so a transaction that started earlier may commit a lower id after a
 * higher one was read. The pump therefore delivers ids in an unbroken run; at a gap it waits (up
 * to `gapTimeoutMs`) for the missing id to commit, then gives it up (a rolled-back transaction
 * leaves a gap for ever).
 */

export const EVENTS_CHANNEL = 'fleetflash_events';

/**
 * Access changes (a token revoked, a session ended, a user deactivated, a membership or an
 * organization changed) are announced here by database triggers (migration 0006), in the
 * transaction that makes them. Payload: the user id concerned, or `*` for everybody.
 */
export const ACCESS_CHANNEL = 'fleetflash_access';
export const EVERYONE = '*';

/**
 * Catalog changes (builds, categories, organizations; images, firmware records and devices'
 * organizations for the usage counts: what the build list reads) are announced here by statement
 * triggers (migrations 0010 and 0012), in the transaction that makes them. Payload: the table.
 */
export const CATALOG_CHANNEL = 'fleetflash_catalog';

/**
 * The pull agent's jobs: a device's job was published or changed (agent.repository.ts). Payload: the
 * device id. Held polls of that device, on any API node, answer at once.
 */
export const AGENT_CHANNEL = 'fleetflash_agent';

export type EventType = 'operation' | 'log' | 'batch' | 'build';

export interface EventsTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | undefined, never>;
  type: EventType;
  organizationId: string | null;
  batchId: string | null;
  operationId: string | null;
  deviceId: string | null;
  /** Request hash of an image build ('build' events). */
  buildHash: ColumnType<string | null, string | null | undefined, never>;
  data: ColumnType<Record<string, unknown>, string, never>;
}

export type EventRow = Selectable<EventsTable>;

/** The one table this file reads and writes. */
interface EventsDatabase {
  events: EventsTable;
}

const eventsOf = (db: AnyDb): Kysely<EventsDatabase> => withTablesOf<EventsDatabase>(db);

export interface EventFilter {
  /** Organizations the subscriber may see; null = all (superuser). */
  organizationIds: string[] | null;
  batchId?: string | undefined;
  operationId?: string | undefined;
  deviceId?: string | undefined;
  organizationId?: string | undefined;
  /** Only this image build's events. Its hash is the capability: no organization check applies. */
  buildHash?: string | undefined;
}

export function matchesFilter(event: EventRow, filter: EventFilter): boolean {
  if (filter.buildHash !== undefined) return event.buildHash === filter.buildHash;
  if (
    filter.organizationIds !== null &&
    (event.organizationId === null || !filter.organizationIds.includes(event.organizationId))
  )
    return false;
  if (filter.organizationId !== undefined && event.organizationId !== filter.organizationId) return false;
  if (filter.batchId !== undefined && event.batchId !== filter.batchId) return false;
  if (filter.operationId !== undefined && event.operationId !== filter.operationId) return false;
  if (filter.deviceId !== undefined && event.deviceId !== filter.deviceId) return false;
  return true;
}

/**
 * Events after `afterId` (and up to `upToId`, when given) that match, oldest first (for clients
 * resuming with Last-Event-ID).
 */
export async function replayEvents(
  db: AnyDb,
  afterId: number,
  filter: EventFilter,
  limit: number,
  upToId?: number,
): Promise<EventRow[]> {
  let query = eventsOf(db).selectFrom('events').selectAll().where('id', '>', afterId);
  if (upToId !== undefined) query = query.where('id', '<=', upToId);
  if (filter.buildHash !== undefined)
    return query.where('buildHash', '=', filter.buildHash).orderBy('id').limit(limit).execute();
  query = query.where((eb) => inOrganizationScope(eb, 'organizationId', filter.organizationIds));
  if (filter.organizationId !== undefined) query = query.where('organizationId', '=', filter.organizationId);
  if (filter.batchId !== undefined) query = query.where('batchId', '=', filter.batchId);
  if (filter.operationId !== undefined) query = query.where('operationId', '=', filter.operationId);
  if (filter.deviceId !== undefined) query = query.where('deviceId', '=', filter.deviceId);
  return query.orderBy('id').limit(limit).execute();
}

export async function insertEvent(
  db: AnyDb,
  event: { type: EventType; organizationId: string | null; batchId?: string | null; data: Record<string, unknown> },
): Promise<void> {
  await eventsOf(db)
    .insertInto('events')
    .values({
      type: event.type,
      organizationId: event.organizationId,
      batchId: event.batchId ?? null,
      data: JSON.stringify(event.data),
    })
    .execute();
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, '')`.execute(db);
}

export async function purgeEvents(db: AnyDb, olderThanSeconds: number): Promise<number> {
  const result = await eventsOf(db)
    .deleteFrom('events')
    .where('at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface Subscription {
  close(): void;
}

interface Subscriber {
  filter: EventFilter;
  deliver: (event: EventRow) => void;
  access: AccessWatch | undefined;
}

/** Who a subscription belongs to, and what to do when that user's access may have changed. */
export interface AccessWatch {
  userId: string;
  /**
   * Called synchronously when the notification arrives, before the pump delivers any event read
   * after it: the subscriber holds events back until it has re-checked its caller. `everyone` is
   * true when the change may concern every user (an organization changed, or notifications were
   * missed while the listener reconnected): the subscriber may then spread its re-check out a
   * little, so that not every stream of the process queries the database at the same moment.
   */
  onChange: (everyone: boolean) => void;
}

export class EventPump {
  private readonly db: Kysely<EventsDatabase>;
  private listener: NotificationListener | null = null;
  private readonly subscribers = new Set<Subscriber>();
  private readonly accessHandlers: ((userId: string) => void)[] = [];
  private readonly catalogHandlers: (() => void)[] = [];
  private readonly agentHandlers: ((deviceId: string | null) => void)[] = [];
  private lastId = 0;
  /** Whether `lastId` is the newest event's id, or newer ones may have come while nobody subscribed. */
  private positionCurrent = false;
  private gapSince: number | null = null;
  private pumping: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private opened = 0;

  constructor(
    db: AnyDb,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly options: { gapTimeoutMs?: number; pollIntervalMs?: number; batchSize?: number } = {},
  ) {
    this.db = eventsOf(db);
  }

  /**
   * The id of the last event delivered: streams start after it. Current while somebody subscribes; with
   * nobody, the pump does not follow it (a query per event for no one), so call `catchUp` first.
   */
  get position(): number {
    return this.lastId;
  }

  /**
   * Brings `position` up to the newest event when nobody subscribed since the pump last ran (one query);
   * a stream awaits it, then reads `position` and subscribes in the same turn.
   */
  async catchUp(): Promise<void> {
    if (this.positionCurrent) return;
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    // Another stream caught up meanwhile and subscribed: from then on the pump moves the position, and
    // moving it here would skip, for that stream, the events the pump has not read yet.
    if (this.positionCurrent) return;
    this.lastId = Math.max(this.lastId, Number(row?.max ?? 0));
    // Stays current while somebody subscribes; the next pump run with nobody clears it again.
    this.positionCurrent = true;
  }

  /** Subscriptions open now, and opened since start (for monitoring). */
  get subscriptions(): { open: number; opened: number } {
    return { open: this.subscribers.size, opened: this.opened };
  }

  async start(): Promise<void> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    this.lastId = Number(row?.max ?? 0);
    this.positionCurrent = true;
    this.listener = new NotificationListener(
      this.databaseUrl,
      [EVENTS_CHANNEL, ACCESS_CHANNEL, CATALOG_CHANNEL, AGENT_CHANNEL],
      (channel, payload) => {
        if (channel === AGENT_CHANNEL) this.agentJobChanged(payload);
        else if (channel === ACCESS_CHANNEL) this.accessChanged(payload);
        else if (channel === CATALOG_CHANNEL) this.catalogChanged();
        else this.wake();
      },
      this.logger,
      () => {
        // Access and catalog changes announced while the listener was down are lost: re-check everybody.
        this.accessChanged(EVERYONE);
        this.catalogChanged();
        this.agentJobChanged(null);
        this.wake();
      },
    );
    await this.listener.start();
    // A lost notification (listener reconnecting) is covered by a slow poll.
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.stop();
    await this.pumping;
  }

  /**
   * Delivers every new event matching `filter` (read at each delivery: the subscriber may narrow
   * it in place). With `access`, `access.onChange` is called when that user's access changes.
   */
  subscribe(filter: EventFilter, deliver: (event: EventRow) => void, access?: AccessWatch): Subscription {
    const subscriber: Subscriber = { filter, deliver, access };
    this.subscribers.add(subscriber);
    this.opened += 1;
    return { close: () => this.subscribers.delete(subscriber) };
  }

  /**
   * Calls `handler` with the user id (or `*`) of every access change announced, and with `*` when
   * the listener is back after a failure (changes announced meanwhile are lost).
   */
  onAccessChange(handler: (userId: string) => void): void {
    this.accessHandlers.push(handler);
  }

  /**
   * Calls `handler` at every catalog change announced, and when the listener is back after a
   * failure (changes announced meanwhile are lost).
   */
  onCatalogChange(handler: () => void): void {
    this.catalogHandlers.push(handler);
  }

  /**
   * Calls `handler` with the device id of every pull-agent job change announced, and with null when
   * the listener is back after a failure (changes announced meanwhile are lost).
   */
  onAgentJob(handler: (deviceId: string | null) => void): void {
    this.agentHandlers.push(handler);
  }

  private agentJobChanged(deviceId: string | null): void {
    for (const handler of this.agentHandlers) {
      try {
        handler(deviceId);
      } catch (error) {
        this.logger.warn({ err: error }, 'an agent job handler failed');
      }
    }
  }

  private catalogChanged(): void {
    for (const handler of this.catalogHandlers) {
      try {
        handler();
      } catch (error) {
        this.logger.warn({ err: error }, 'a catalog change handler failed');
      }
    }
  }

  /**
   * True once every notification committed before this call has been handled (access changes
   * included); false while the listener is down.
   */
  async syncNotifications(): Promise<boolean> {
    return (await this.listener?.sync()) ?? false;
  }

  /** Tells the subscribers concerned that access of `userId` (or of everyone: `*`) changed. */
  accessChanged(userId: string): void {
    for (const handler of this.accessHandlers) {
      try {
        handler(userId);
      } catch (error) {
        this.logger.warn({ err: error }, 'an access change handler failed');
      }
    }
    for (const subscriber of [...this.subscribers]) {
      if (subscriber.access && (userId === EVERYONE || subscriber.access.userId === userId)) {
        try {
          subscriber.access.onChange(userId === EVERYONE);
        } catch (error) {
          this.logger.warn({ err: error }, 'an event subscriber failed to handle an access change');
        }
      }
    }
  }

  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    const batchSize = this.options.batchSize ?? 1000;
    const gapTimeout = this.options.gapTimeoutMs ?? 2000;
    try {
      for (;;) {
        if (this.subscribers.size === 0) {
          // Nobody listens: nothing to read. The next stream asks for the position (catchUp); asking here
          // cost one query per event on every API node.
          this.positionCurrent = false;
          this.gapSince = null;
          return;
        }
        const rows = await this.db
          .selectFrom('events')
          .selectAll()
          .where('id', '>', this.lastId)
          .orderBy('id')
          .limit(batchSize)
          .execute();
        // The rows come over another connection than the access notifications, and may overtake
        // one that was committed before them (a membership removed, then an event of that
        // organization). A subscriber holds events back from the moment a notification reaches
        // it, so first make sure every notification committed before this read has reached it;
        // a read still under way when a notification arrives is then held like any later one.
        // While the listener is down that cannot be known: deliver nothing until it is back (it
        // then re-checks everybody first), the poll tries again.
        if (rows.length > 0 && !(await this.listener?.sync())) return;
        let delivered = 0;
        for (const row of rows) {
          if (row.id !== this.lastId + 1) {
            this.gapSince ??= Date.now();
            if (Date.now() - this.gapSince < gapTimeout) {
              // Look again soon: the missing id is probably about to commit.
              setTimeout(() => this.wake(), 50).unref();
              return;
            }
          }
          this.gapSince = null;
          this.lastId = row.id;
          delivered += 1;
          for (const subscriber of this.subscribers) {
            if (matchesFilter(row, subscriber.filter)) subscriber.deliver(row);
          }
        }
        if (rows.length < batchSize || delivered === 0) return;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'event pump could not read events; retrying');
    }
  }
}
