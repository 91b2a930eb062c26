import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../database.js';
import type { Config } from '../../platform/config.js';
import { NotificationListener } from '../../platform/db/listener.js';
import { withSavepoint } from '../../platform/db/savepoint.js';
import { EVENTS_CHANNEL } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import * as dispatchRepository from './dispatch.repository.js';
import type { DispatchEvent } from './dispatch.repository.js';
import { notifyDeliveryWorkers } from './delivery.repository.js';
import {
  batchNotice,
  buildNotices,
  FOLD_SAMPLE,
  failuresDigestNotice,
  foldedFailure,
  type Notice,
  operationNotice,
  withFailures,
} from './event-notices.js';
import * as foldRepository from './failure-fold.repository.js';
import type { DueBatch, WaitingFailures } from './failure-fold.repository.js';
import * as notificationRepository from './notification.repository.js';

type Trx = Transaction<Database>;

/** Events read per round (most are progress and log lines, skipped without reading their data). */
const BATCH_SIZE = 500;
/** Slow tick, for notifications lost while the listener reconnected. */
const TICK_MS = 5000;
/** A gap in the event ids is given up after this long even if an old transaction still runs somewhere. */
const GAP_MAX_MS = 30_000;
/** How soon to look again at a gap that may be about to fill. */
const GAP_RETRY_MS = 200;
/**
 * Events come in bursts (every progress step of every upgrade notifies): a wake-up waits this long so
 * that one round reads the whole burst, instead of one round per notification.
 */
const GATHER_MS = 150;
/** With fold window 0 failures wait for their batch's next notice; after this long (seconds) they are told anyway. */
const FOLD_LONGEST_WAIT = 24 * 3600;

export interface NotificationDispatcherDeps {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
}

/**
 * Turns events into notifications, durably: the position in the events table is one row,
 * locked for a round (FOR UPDATE SKIP LOCKED: of all workers, one dispatches at a time) and moved in
 * the transaction that writes what the round produced (notifications, in-app rows, webhook and
 * email deliveries). A crash mid-round rolls both back; the next round does it again.
 *
 * Each event's writes run under a savepoint: one that fails (a foreign key, a bug) is logged and
 * passed, instead of failing every round until it is purged. Events of a deleted organization are
 * passed without trying (found by one join per round).
 *
 * Failed operations of a mass upgrade are not told one by one: they wait (failure-fold.repository.ts)
 * and are told in one `batch.operations_failed` digest per batch once the oldest has waited
 * `notifications.batch_failure_fold` seconds, or with the batch's next notice.
 *
 * Event ids come from a sequence, so a lower id may commit after a higher one was read. At a gap
 * the dispatcher waits until every transaction that was running when it saw the gap has ended
 * (then the missing id is either visible or rolled back for ever), or GAP_MAX_MS at most.
 * Woken by the events NOTIFY and a slow tick.
 */
export class NotificationDispatcher {
  private listener: NotificationListener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private gap: { id: number; since: number; horizon: string } | null = null;
  private gathering: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: NotificationDispatcherDeps,
    private readonly databaseUrl: string,
  ) {}

  async start(): Promise<void> {
    this.listener = new NotificationListener(
      this.databaseUrl,
      [EVENTS_CHANNEL],
      () => this.soon(),
      this.deps.logger,
      () => this.wake(),
    );
    await this.listener.start();
    this.timer = setInterval(() => this.wake(), TICK_MS);
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.gathering) clearTimeout(this.gathering);
    await this.listener?.stop();
    await this.running;
  }

  /** Wakes after GATHER_MS, once however many notifications arrive meanwhile. */
  private soon(): void {
    if (this.gathering || this.stopped) return;
    this.gathering = setTimeout(() => {
      this.gathering = null;
      this.wake();
    }, GATHER_MS);
  }

  /** Runs rounds until nothing is left; a wake-up during a round runs another one after it. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const outcome = await this.deps.db.transaction().execute((trx) => this.round(trx));
        if (outcome === 'gap') setTimeout(() => this.wake(), GAP_RETRY_MS).unref();
        if (outcome !== 'more' || this.stopped) return;
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'notification dispatch failed; trying again at the next event or tick');
    }
  }

  private async round(trx: Trx): Promise<'more' | 'done' | 'gap' | 'busy'> {
    const position = await dispatchRepository.lockDispatchCursor(trx);
    if (position === undefined) return 'busy';
    // Decided before reading: a transaction that ends after the read but before this check would
    // otherwise have its event skipped unseen.
    const gap = this.gap;
    const giveUpGap =
      gap !== null &&
      gap.id === position + 1 &&
      (Date.now() - gap.since > GAP_MAX_MS || (await dispatchRepository.transactionsEndedBefore(trx, gap.horizon)));
    const events = await dispatchRepository.readEventsAfter(trx, position, BATCH_SIZE);
    let at = position;
    let deliveries = 0;
    let stoppedAtGap = false;
    for (const event of events) {
      if (event.id !== at + 1 && !(giveUpGap && at === position)) {
        if (this.gap?.id !== at + 1)
          this.gap = { id: at + 1, since: Date.now(), horizon: await dispatchRepository.transactionHorizon(trx) };
        stoppedAtGap = true;
        break;
      }
      if (event.id !== at + 1)
        this.deps.logger.info(
          { from: at + 1, to: event.id - 1 },
          'notification dispatch passed event ids that never committed (rolled back) or were purged',
        );
      at = event.id;
      deliveries += await this.produceSafely(trx, event);
    }
    if (at !== position) {
      if (this.gap && this.gap.id <= at) this.gap = null;
      await dispatchRepository.moveDispatchCursor(trx, at);
    }
    deliveries += await this.tellDueFailures(trx);
    if (deliveries > 0) await notifyDeliveryWorkers(trx);
    if (stoppedAtGap) return 'gap';
    return events.length === BATCH_SIZE ? 'more' : 'done';
  }

  /**
   * `produce` under a savepoint: an event that cannot be told is logged and passed (0 deliveries). A
   * transient database error is thrown on (withSavepoint): the round fails and is run again.
   */
  private async produceSafely(trx: Trx, event: DispatchEvent): Promise<number> {
    // Most events notify nothing and write nothing: no savepoint for them.
    if (event.data === null) return 0;
    if (event.organizationGone) {
      this.deps.logger.debug({ event: event.id }, 'notification dispatch passed an event of a deleted organization');
      return 0;
    }
    const outcome = await withSavepoint(trx, () => this.produce(trx, event));
    if (outcome.ok) return outcome.value;
    this.deps.logger.error(
      { err: outcome.error, event: event.id, type: event.type },
      'notification dispatch could not tell an event; passed it',
    );
    return 0;
  }

  /** Writes the notifications an event produces; returns how many deliveries were queued. */
  private async produce(trx: Trx, event: DispatchEvent): Promise<number> {
    const folded = foldedFailure(event);
    if (folded) {
      await foldRepository.insertFoldedFailure(trx, folded);
      return 0;
    }
    if (event.type === 'batch' && event.batchId) {
      const previous = await dispatchRepository.previousStatus(trx, { batchId: event.batchId }, event.id);
      const notice = batchNotice(event, previous);
      return notice ? this.tellBatch(trx, event, event.batchId, notice) : 0;
    }
    let notices: Notice[] = [];
    if (event.type === 'operation') {
      notices = [operationNotice(event)].filter((notice) => notice !== null);
    } else if (event.type === 'build' && event.buildHash) {
      const previous = await dispatchRepository.previousStatus(trx, { buildHash: event.buildHash }, event.id);
      if (previous !== 'failed') {
        const builds = await dispatchRepository.findCustomImageBuilds(trx, event.buildHash);
        notices = buildNotices(event, previous, builds);
      }
    }
    let deliveries = 0;
    for (const notice of notices) deliveries += (await this.write(trx, notice, event.id, event.at)).deliveries;
    return deliveries;
  }

  /**
   * A batch's notice, with the failures of the batch still waiting told first: as a digest of their
   * own (fold window > 0), or inside this notice (fold window 0).
   */
  private async tellBatch(trx: Trx, event: DispatchEvent, batchId: string, notice: Notice): Promise<number> {
    const waiting = await foldRepository.findWaitingFailures(trx, batchId, FOLD_SAMPLE);
    if (!waiting) return (await this.write(trx, notice, event.id, event.at)).deliveries;
    if (this.deps.config.notifications.batchFailureFold === 0) {
      const told = await this.write(trx, withFailures(notice, waiting), event.id, event.at);
      if (told.id) await foldRepository.markFailuresTold(trx, batchId, told.id);
      return told.deliveries;
    }
    const told = await this.tellDigest(trx, { batchId, organizationId: event.organizationId }, waiting, event.id);
    return told + (await this.write(trx, notice, event.id, event.at)).deliveries;
  }

  /**
   * Digests of the batches whose failures have waited the fold window, each under a savepoint of its
   * own: one batch whose digest cannot be written costs that batch only. Its waiting failures are
   * then dropped with an error line (the operations and their events stay): tried again every round,
   * they would fail the same way for ever. A transient error fails the whole round instead (withSavepoint).
   */
  private async tellDueFailures(trx: Trx): Promise<number> {
    const window = this.deps.config.notifications.batchFailureFold || FOLD_LONGEST_WAIT;
    // Read first, without a savepoint: most rounds find nothing due.
    const dueBatches = await foldRepository.findBatchesWithDueFailures(trx, window);
    let deliveries = 0;
    for (const due of dueBatches) {
      const outcome = await withSavepoint(trx, async () => {
        const waiting = await foldRepository.findWaitingFailures(trx, due.batchId, FOLD_SAMPLE);
        return waiting ? this.tellDigest(trx, due, waiting, null) : 0;
      });
      if (outcome.ok) {
        deliveries += outcome.value;
        continue;
      }
      const dropped = await foldRepository.deleteWaitingFailures(trx, due.batchId);
      this.deps.logger.error(
        { err: outcome.error, batch: due.batchId, organization: due.organizationId, dropped },
        'notification dispatch could not tell failed operations of a batch; dropped them untold',
      );
    }
    return deliveries;
  }

  /** A digest of a batch's waiting failures, which it marks told; returns how many deliveries it queued. */
  private async tellDigest(trx: Trx, due: DueBatch, waiting: WaitingFailures, source: number | null): Promise<number> {
    const { batchId, organizationId } = due;
    const batch = { id: batchId, organizationId, version: await foldRepository.findBatchVersion(trx, batchId) };
    const digest = await this.write(trx, failuresDigestNotice(batch, waiting), source, waiting.lastAt);
    if (digest.id) await foldRepository.markFailuresTold(trx, batchId, digest.id);
    return digest.deliveries;
  }

  /** One notification with its in-app rows and deliveries; id undefined when its dedupe key was told already. */
  private async write(
    trx: Trx,
    notice: Notice,
    sourceEventId: number | null,
    occurredAt: Date,
  ): Promise<{ id: string | undefined; deliveries: number }> {
    const notification = await notificationRepository.insertNotification(trx, {
      ...notice,
      sourceEventId: sourceEventId === null ? null : String(sourceEventId),
      occurredAt,
    });
    if (!notification) return { id: undefined, deliveries: 0 };
    await notificationRepository.insertUserNotifications(trx, notification);
    let deliveries = await notificationRepository.insertWebhookDeliveries(trx, notification);
    if (this.deps.config.notifications.email)
      deliveries += await notificationRepository.insertEmailDeliveries(trx, notification);
    return { id: notification.id, deliveries };
  }
}
