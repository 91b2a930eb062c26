import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { type AddressPolicy, createAddressPolicy } from '../../platform/address-policy.js';
import type { Config } from '../../platform/config.js';
import type { SecretBox } from '../../platform/crypto.js';
import type { Logger } from '../../platform/logger.js';
import { RowWorker } from '../../platform/row-worker.js';
import { recordAudit, type SystemActor } from '../audit/record-audit.js';
import * as deliveryRepository from './delivery.repository.js';
import { createEmailSender, type EmailSender } from './email-sender.js';
import { emailMessage, retryDelaySeconds, webhookPayload } from './notification-payload.js';
import type { DeliveryRow } from './notifications.table.js';
import { circuitAfterAttempt, WEBHOOK_IN_FLIGHT } from './webhook-circuit.js';
import * as circuitRepository from './webhook-circuit.repository.js';
import { postWebhook, type WebhookResult } from './webhook-sender.js';
import { webhookSignatureHeaders } from './webhook-signature.js';
import { createHostResolver, redactWebhookUrl } from './webhook-url.js';

/** Deliveries one process sends at once. */
const CONCURRENCY = 8;
/** Longest sleep without a notification: deliveries queued by a process whose NOTIFY was lost wait no longer. */
const POLL_MS = 30_000;

class DeliveryWorkerStopping extends Error {}

/** Who opens a webhook's circuit in the audit log. */
const DELIVERY_WORKER: SystemActor = { system: 'notification-delivery-worker' };

/**
 * What an attempt did: its status code or our own error text, and the host it was aimed at (null:
 * none). `cancelled`: it ended unsent, for this reason.
 */
type AttemptResult = WebhookResult & { host: string | null; cancelled?: string };

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
 * run out; another worker then takes the delivery over. Webhooks are claimed fairly, each with a
 * bound on its deliveries in flight and a circuit breaker (webhook-circuit.ts); a delivery of a
 * webhook deactivated meanwhile ends `cancelled`, without a post.
 */
export class DeliveryWorker {
  readonly workerId = `${os.hostname()}:${process.pid}:deliveries:${randomUUID().slice(0, 8)}`;
  private readonly worker: RowWorker<DeliveryRow>;
  private readonly addresses: AddressPolicy;
  private readonly email: EmailSender | null;
  private readonly leaseSeconds: number;
  /** One DNS resolver for every attempt of this worker (webhook-url.ts). */
  private readonly resolver = createHostResolver();

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
      claim: (limit) =>
        deliveryRepository.claimDueDeliveries(db, this.workerId, this.leaseSeconds, limit, WEBHOOK_IN_FLIGHT),
      renew: (keys) => deliveryRepository.renewDeliveryLeases(db, this.workerId, keys, this.leaseSeconds),
      keyOf: (row) => row.id,
      run: (row, signal) => this.deliver(row, signal),
      stopReason: () => new DeliveryWorkerStopping('worker stopping'),
      nextDue: () => deliveryRepository.nextDeliveryDue(db, WEBHOOK_IN_FLIGHT),
    });
  }

  async start(): Promise<void> {
    await this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    // Attempts stopped waiting for DNS when they were aborted; their queries end here.
    this.resolver.cancel();
    this.email?.close();
  }

  private async deliver(row: DeliveryRow, signal: AbortSignal): Promise<void> {
    const { db, config, logger } = this.deps;
    const { maxAttempts, retryBackoff, retryBackoffMax } = config.notifications;
    const startedAt = new Date();
    const result: AttemptResult =
      row.attempts > maxAttempts
        ? {
            delivered: false,
            statusCode: null,
            host: null,
            error: 'given up: the worker stopped during the last attempt',
          }
        : await this.attempt(row, signal).catch(
            (error: unknown): AttemptResult => ({
              delivered: false,
              statusCode: null,
              host: null,
              // e.g. a secret sealed with another server key (FLEETFLASH_SECRET_KEY changed): our
              // failure, not the receiver's (unsent: its circuit does not count it).
              error: `not sent: ${(error as Error)?.message ?? String(error)}`,
              unsent: true,
            }),
          );
    if (result.cancelled) {
      await deliveryRepository.cancelDelivery(db, this.workerId, row.id, result.cancelled);
      return;
    }
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
    const { delivered, statusCode, error, host } = result;
    const record = {
      attempt,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      delivered,
      statusCode,
      error,
      host,
    };
    const kept = await db.transaction().execute(async (trx) => {
      // The webhook's row first, as deleting a webhook locks it before its deliveries: no deadlock.
      const circuit = row.webhookId ? await circuitRepository.lockWebhookCircuit(trx, row.webhookId) : undefined;
      if (!(await deliveryRepository.recordDeliveryAttempt(trx, this.workerId, row.id, record, retryAt))) return false;
      return circuit && row.webhookId ? { opened: await this.recordCircuit(trx, row.webhookId, circuit, result) } : {};
    });
    if (!kept) return;
    if (kept.opened)
      logger.warn(
        { webhook: row.webhookId, ...kept.opened },
        'webhook circuit opened: no attempts to it until the cool-down ends',
      );
    if (!result.delivered)
      logger.info(
        { delivery: row.id, channel: row.channel, attempt, error: result.error, retry: retryAt !== null },
        'notification delivery attempt failed',
      );
  }

  /**
   * Moves the webhook's circuit on by this attempt. Its opening is audited here, once (not per
   * attempt), and returned for the log line written after the commit; null when it did not open.
   */
  private async recordCircuit(
    trx: Kysely<Database>,
    webhookId: string,
    circuit: NonNullable<Awaited<ReturnType<typeof circuitRepository.lockWebhookCircuit>>>,
    result: AttemptResult,
  ): Promise<Record<string, unknown> | null> {
    await circuitRepository.notifyIfWebhookHasPending(trx, webhookId);
    // Never sent (our own rule refused it): says nothing about the receiver.
    if (result.unsent) return null;
    const next = circuitAfterAttempt(circuit, result.delivered, circuit.now, this.deps.config.notifications.circuit);
    await circuitRepository.updateWebhookCircuit(trx, webhookId, next);
    if (!next.opened || !next.openUntil) return null;
    const facts = {
      consecutive_failures: next.failures,
      until: next.openUntil.toISOString(),
      last_error: result.error,
    };
    await recordAudit(trx, DELIVERY_WORKER, {
      action: 'webhook.circuit_opened',
      organizationId: circuit.organizationId,
      // Redacted like every webhook audit entry: the URL's path or query can be the receiver's credential.
      target: { type: 'webhook', id: webhookId, label: redactWebhookUrl(circuit.url) },
      details: facts,
    });
    return facts;
  }

  private async attempt(row: DeliveryRow, signal: AbortSignal): Promise<AttemptResult> {
    const { db, config, secrets } = this.deps;
    const { notification, webhook } = await deliveryRepository.loadDeliveryContent(db, row);
    if (!notification)
      return { delivered: false, statusCode: null, host: null, error: 'the notification no longer exists' };
    const publicUrl = config.server.publicUrl;
    if (row.channel === 'email') {
      if (!this.email)
        return {
          delivered: false,
          statusCode: null,
          host: null,
          error: 'email is off: no SMTP server is set (settings email.*)',
        };
      try {
        await this.email.send({ to: row.target, ...emailMessage(notification, publicUrl) });
        return { delivered: true, statusCode: null, host: null, error: null };
      } catch (error) {
        return { delivered: false, statusCode: null, host: null, error: (error as Error).message };
      }
    }
    if (!webhook) return { delivered: false, statusCode: null, host: null, error: 'the webhook no longer exists' };
    // Deactivated after the claim: no post (a test is sent on purpose, even to an inactive webhook).
    if (!webhook.active && notification.event !== 'test')
      return {
        delivered: false,
        statusCode: null,
        host: null,
        error: null,
        cancelled: deliveryRepository.WEBHOOK_DEACTIVATED,
      };
    const body = JSON.stringify(webhookPayload(notification, publicUrl));
    // One string, sent as the header and signed as it is: nothing re-formats it between the two.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const previousSecret = webhook.previousSecretSealed === null ? null : secrets.open(webhook.previousSecretSealed);
    const host = new URL(webhook.url).host;
    const result = await postWebhook({
      url: webhook.url,
      body,
      headers: {
        'x-fleetflash-event': notification.event,
        'x-fleetflash-delivery': row.id,
        'x-fleetflash-timestamp': timestamp,
        ...webhookSignatureHeaders(secrets.open(webhook.secretSealed), previousSecret, timestamp, body),
      },
      timeoutMs: config.notifications.webhookTimeout * 1000,
      addresses: this.addresses,
      resolver: this.resolver,
      signal,
    });
    return { ...result, host };
  }
}
