import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { type AddressPolicy, createAddressPolicy } from '../../platform/address-policy.js';
import type { Config } from '../../platform/config.js';
import type { SecretBox } from '../../platform/crypto.js';
import type { Logger } from '../../platform/logger.js';
import { RowWorker } from '../../platform/row-worker.js';
import * as deliveryRepository from './delivery.repository.js';
import { createEmailSender, type EmailSender } from './email-sender.js';
import { emailMessage, retryDelaySeconds, webhookPayload } from './notification-payload.js';
import type { DeliveryRow } from './notifications.table.js';
import { postWebhook, type WebhookResult } from './webhook-sender.js';
import { signWebhookBody } from './webhook-signature.js';

/** Deliveries one process sends at once. */
const CONCURRENCY = 8;
/** Longest sleep without a notification: deliveries queued by a process whose NOTIFY was lost wait no longer. */
const POLL_MS = 30_000;

class DeliveryWorkerStopping extends Error {}

export interface DeliveryWorkerDeps {
  db: Kysely<Database>;
  config: Config;
  secrets: SecretBox;
  logger: Logger;
}

/**
 * Sends webhook POSTs and emails: a row-worker over notification_deliveries. Each attempt is logged
 * (status code, error, duration); a failed one is tried again after an exponential backoff
 * (`notifications.retry_backoff`, doubling up to `notifications.retry_backoff_max`) until
 * `notifications.max_attempts`, then the delivery is `failed`. A worker that dies leaves its lease to
 * run out; another worker then takes the delivery over.
 */
export class DeliveryWorker {
  readonly workerId = `${os.hostname()}:${process.pid}:deliveries:${randomUUID().slice(0, 8)}`;
  private readonly worker: RowWorker<DeliveryRow>;
  private readonly addresses: AddressPolicy;
  private readonly email: EmailSender | null;
  private readonly leaseSeconds: number;

  constructor(
    private readonly deps: DeliveryWorkerDeps,
    databaseUrl: string,
  ) {
    const { db, config, logger } = deps;
    const settings = config.notifications;
    this.addresses = createAddressPolicy(settings.webhookNetworks, 'webhooks');
    this.email = settings.email ? createEmailSender(settings.email, settings.webhookTimeout * 1000) : null;
    // Long enough for an attempt to end by its own timeout before anyone else could take the row.
    this.leaseSeconds = Math.max(30, settings.webhookTimeout * 3);
    this.worker = new RowWorker<DeliveryRow>({
      name: 'notification delivery',
      workerId: this.workerId,
      databaseUrl,
      logger,
      channels: [deliveryRepository.DELIVERIES_CHANNEL],
      concurrency: CONCURRENCY,
      leaseSeconds: this.leaseSeconds,
      pollMs: POLL_MS,
      claim: (limit) => deliveryRepository.claimDueDeliveries(db, this.workerId, this.leaseSeconds, limit),
      renew: (keys) => deliveryRepository.renewDeliveryLeases(db, this.workerId, keys, this.leaseSeconds),
      keyOf: (row) => row.id,
      run: (row, signal) => this.deliver(row, signal),
      stopReason: () => new DeliveryWorkerStopping('worker stopping'),
      nextDue: () => deliveryRepository.nextDeliveryDue(db),
    });
  }

  async start(): Promise<void> {
    await this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    this.email?.close();
  }

  private async deliver(row: DeliveryRow, signal: AbortSignal): Promise<void> {
    const { db, config, logger } = this.deps;
    const { maxAttempts, retryBackoff, retryBackoffMax } = config.notifications;
    const startedAt = new Date();
    const result =
      row.attempts > maxAttempts
        ? { delivered: false, statusCode: null, error: 'given up: the worker stopped during the last attempt' }
        : await this.attempt(row, signal).catch(
            (error: unknown): WebhookResult => ({
              delivered: false,
              statusCode: null,
              // e.g. a secret sealed with another server key (FLEETFLASH_SECRET_KEY changed).
              error: `not sent: ${(error as Error)?.message ?? String(error)}`,
            }),
          );
    // Interrupted (what was delivered is recorded all the same, or it would be sent twice): when
    // stopping, hand the row back with the attempt uncounted; a lost lease: another worker has it.
    if (signal.aborted && !result.delivered) {
      if (signal.reason instanceof DeliveryWorkerStopping)
        await deliveryRepository.releaseDelivery(db, this.workerId, row.id);
      return;
    }
    const attempt = Math.min(row.attempts, maxAttempts);
    const retryAt =
      result.delivered || attempt >= maxAttempts
        ? null
        : new Date(Date.now() + retryDelaySeconds(attempt, retryBackoff, retryBackoffMax) * 1000);
    const record = { attempt, startedAt, durationMs: Date.now() - startedAt.getTime(), ...result };
    const kept = await db
      .transaction()
      .execute((trx) => deliveryRepository.recordDeliveryAttempt(trx, this.workerId, row.id, record, retryAt));
    if (!kept) return;
    if (!result.delivered)
      logger.info(
        { delivery: row.id, channel: row.channel, attempt, error: result.error, retry: retryAt !== null },
        'notification delivery attempt failed',
      );
  }

  private async attempt(row: DeliveryRow, signal: AbortSignal): Promise<WebhookResult> {
    const { db, config, secrets } = this.deps;
    const { notification, webhook } = await deliveryRepository.loadDeliveryContent(db, row);
    if (!notification) return { delivered: false, statusCode: null, error: 'the notification no longer exists' };
    const publicUrl = config.server.publicUrl;
    if (row.channel === 'email') {
      if (!this.email)
        return { delivered: false, statusCode: null, error: 'email is off: no SMTP server is set (settings email.*)' };
      try {
        await this.email.send({ to: row.target, ...emailMessage(notification, publicUrl) });
        return { delivered: true, statusCode: null, error: null };
      } catch (error) {
        return { delivered: false, statusCode: null, error: (error as Error).message };
      }
    }
    if (!webhook) return { delivered: false, statusCode: null, error: 'the webhook no longer exists' };
    const body = JSON.stringify(webhookPayload(notification, publicUrl));
    const timestamp = Math.floor(Date.now() / 1000);
    return postWebhook({
      url: webhook.url,
      body,
      headers: {
        'x-fleetflash-event': notification.event,
        'x-fleetflash-delivery': row.id,
        'x-fleetflash-timestamp': String(timestamp),
        'x-fleetflash-signature': signWebhookBody(secrets.open(webhook.secretSealed), timestamp, body),
      },
      timeoutMs: config.notifications.webhookTimeout * 1000,
      addresses: this.addresses,
      signal,
    });
  }
}
