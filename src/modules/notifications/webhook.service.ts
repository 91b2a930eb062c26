import type { Db } from '../../database.js';
import type { AddressPolicy } from '../../platform/address-policy.js';
import { generateSecret, type SecretBox } from '../../platform/crypto.js';
import { invalid, notFound } from '../../platform/errors.js';
import {
  type Actor,
  assertCanWrite,
  canRead,
  canWrite,
  owningOrganizationId,
  readableOrganizationIds,
} from '../accounts/actor.js';
import { normaliseEvents } from './notification-events.js';
import * as notificationRepository from './notification.repository.js';
import { notifyDeliveryWorkers } from './delivery.repository.js';
import type { WebhookRow } from './notifications.table.js';
import { recordWebhookAudit } from './webhook-audit.js';
import * as webhookRepository from './webhook.repository.js';
import * as circuitRepository from './webhook-circuit.repository.js';
import { checkWebhookUrl, redactWebhookUrl } from './webhook-url.js';

/**
 * Webhooks of an organization: members read them (and their delivery log), admins and superusers
 * write them. Every write is in this file. The signing secret is generated here, shown in the
 * answer that creates or rotates it, and stored sealed with the server's secret key. The URL is
 * shown in full to those who may change the webhook only; operators see it redacted (it can hold the
 * receiver's credential), in the webhook and in its delivery log.
 */

/** Prefix of webhook signing secrets, so that one found in a file is recognisable. */
const SECRET_PREFIX = 'whsec_';

export interface WebhookInput {
  organization?: string | undefined;
  url: string;
  description?: string | undefined;
  events: string[];
  active?: boolean | undefined;
}

export interface WebhookDeps {
  secrets: SecretBox;
  /** Where webhooks may post (settings `webhooks.*`). */
  addresses: AddressPolicy;
}

function checkedEvents(events: string[]) {
  const known = normaliseEvents(events);
  if (known.length === 0)
    throw invalid('Choose at least one event for the webhook to receive.', { events: 'at least one event' });
  return known;
}

/** The URL as the caller may see it: in full when they may change the webhook, else scheme and host. */
function urlFor(actor: Actor, organizationId: string, url: string): string {
  return canWrite(actor, organizationId) ? url : redactWebhookUrl(url);
}

function shownTo(actor: Actor, row: WebhookRow): WebhookRow {
  return { ...row, url: urlFor(actor, row.organizationId, row.url) };
}

/** Webhooks the caller can read (of one organization with `organizationId`; null: none match), URLs as shown. */
export async function listWebhooks(
  db: Db,
  actor: Actor,
  organizationId: string | null | undefined,
  page: { limit: number; offset: number },
): Promise<{ rows: WebhookRow[]; count: number }> {
  if (organizationId === null) return { rows: [], count: 0 };
  const filter = { organizationIds: readableOrganizationIds(actor), organizationId };
  const [rows, count] = await Promise.all([
    webhookRepository.listWebhooks(db, filter, page),
    webhookRepository.countWebhooks(db, filter),
  ]);
  return { rows: rows.map((row) => shownTo(actor, row)), count };
}

/** A webhook the caller can read, else 404 (another organization's webhook does not exist for them). */
export async function getWebhook(db: Db, actor: Actor, id: string): Promise<WebhookRow> {
  const row = await webhookRepository.findWebhookById(db, id);
  if (!row || !canRead(actor, row.organizationId)) throw notFound('webhook', id);
  return row;
}

/** A webhook the caller can read, with its URL as shown to them (else 404). */
export async function showWebhook(db: Db, actor: Actor, id: string): Promise<WebhookRow> {
  return shownTo(actor, await getWebhook(db, actor, id));
}

/** Creates a webhook; the answer carries its secret, the only time it is shown. */
export async function createWebhook(
  db: Db,
  deps: WebhookDeps,
  actor: Actor,
  input: WebhookInput,
): Promise<{ webhook: WebhookRow; secret: string }> {
  const organizationId = owningOrganizationId(actor, input.organization, 'webhook');
  assertCanWrite(actor, organizationId, 'webhooks');
  const url = checkWebhookUrl(input.url, deps.addresses);
  const events = checkedEvents(input.events);
  const secret = generateSecret(SECRET_PREFIX);
  const webhook = await db.transaction().execute(async (trx) => {
    const created = await webhookRepository.insertWebhook(trx, {
      organizationId,
      url,
      description: input.description?.trim() ?? '',
      events,
      active: input.active ?? true,
      secretSealed: deps.secrets.seal(secret),
      createdBy: actor.userId,
    });
    await recordWebhookAudit(trx, actor, 'webhook.created', created);
    return created;
  });
  return { webhook, secret };
}

/** Changes the fields given; the URL and events are checked as at creation. */
export async function updateWebhook(
  db: Db,
  deps: WebhookDeps,
  actor: Actor,
  id: string,
  changes: Partial<WebhookInput>,
): Promise<WebhookRow> {
  const current = await getWebhook(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'webhooks');
  if (changes.organization !== undefined && changes.organization !== current.organizationId)
    throw invalid('A webhook cannot move to another organization: create one there.', {
      organization: 'cannot be changed',
    });
  const update = {
    ...(changes.url !== undefined ? { url: checkWebhookUrl(changes.url, deps.addresses) } : {}),
    ...(changes.description !== undefined ? { description: changes.description.trim() } : {}),
    ...(changes.events !== undefined ? { events: checkedEvents(changes.events) } : {}),
    ...(changes.active !== undefined ? { active: changes.active } : {}),
  };
  return db.transaction().execute(async (trx) => {
    const before = await webhookRepository.findWebhookByIdForUpdate(trx, id);
    if (!before) throw notFound('webhook', id);
    // A new receiver, or one switched off and on (after being fixed): its circuit starts closed, and
    // deliveries held by an open circuit go out now instead of after the cool-down.
    if ((update.url ?? before.url) !== before.url || (update.active ?? before.active) !== before.active) {
      await circuitRepository.resetWebhookCircuit(trx, id);
      await circuitRepository.notifyIfWebhookHasPending(trx, id);
    }
    const row = await webhookRepository.updateWebhook(trx, id, update);
    if (!row) throw notFound('webhook', id);
    await recordWebhookAudit(trx, actor, 'webhook.updated', row, before);
    return row;
  });
}

/** Deletes the webhook with its delivery log; deliveries not yet sent are dropped with it. */
export async function deleteWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  const current = await getWebhook(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'webhooks');
  await db.transaction().execute(async (trx) => {
    await webhookRepository.deleteWebhook(trx, id);
    await recordWebhookAudit(trx, actor, 'webhook.deleted', current);
  });
}

/** How long the secret a rotation replaced still signs deliveries, beside the new one (docs/api.md). */
export const SECRET_ROTATION_OVERLAP_HOURS = 24;

/**
 * A new signing secret: deliveries from now on are signed with it and, for
 * `SECRET_ROTATION_OVERLAP_HOURS`, with the secret it replaced too (kept sealed like the current
 * one), so receivers can be switched over without refusing deliveries meanwhile.
 */
export async function rotateWebhookSecret(
  db: Db,
  deps: WebhookDeps,
  actor: Actor,
  id: string,
): Promise<{ webhook: WebhookRow; secret: string }> {
  const current = await getWebhook(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'webhooks');
  const secret = generateSecret(SECRET_PREFIX);
  const webhook = await db.transaction().execute(async (trx) => {
    const before = await webhookRepository.findWebhookByIdForUpdate(trx, id);
    const rotated =
      before &&
      (await webhookRepository.updateWebhook(trx, id, {
        secretSealed: deps.secrets.seal(secret),
        secretPreviousSealed: before.secretSealed,
        secretPreviousUntil: new Date(Date.now() + SECRET_ROTATION_OVERLAP_HOURS * 3600 * 1000),
      }));
    if (!rotated) throw notFound('webhook', id);
    await recordWebhookAudit(trx, actor, 'webhook.secret_rotated', rotated);
    return rotated;
  });
  return { webhook, secret };
}

/**
 * Queues a `test` delivery to this webhook (active or not, whatever it subscribes to), sent by the
 * delivery worker like any other. Returns the delivery's id.
 */
export async function sendTestDelivery(db: Db, actor: Actor, id: string): Promise<{ deliveryId: string }> {
  const webhook = await getWebhook(db, actor, id);
  assertCanWrite(actor, webhook.organizationId, 'webhooks');
  return db.transaction().execute(async (trx) => {
    const notification = await notificationRepository.insertNotification(trx, {
      event: 'test',
      organizationId: webhook.organizationId,
      sourceEventId: null,
      dedupeKey: null,
      title: 'Test delivery',
      detail: `A test sent by ${actor.username} from the webhook settings.`,
      link: null,
      data: { webhook: webhook.id, requested_by: actor.username },
      occurredAt: new Date(),
    });
    const delivery = await notificationRepository.insertDelivery(trx, {
      notificationId: notification!.id,
      channel: 'webhook',
      webhookId: webhook.id,
      target: webhook.url,
    });
    await notifyDeliveryWorkers(trx);
    await recordWebhookAudit(trx, actor, 'webhook.tested', webhook);
    return { deliveryId: delivery.id };
  });
}

/** A page of the webhook's deliveries, newest first, with every attempt of each (targets as shown to the caller). */
export async function listWebhookDeliveries(db: Db, actor: Actor, id: string, page: { limit: number; offset: number }) {
  const webhook = await getWebhook(db, actor, id);
  const [all, count] = await Promise.all([
    webhookRepository.listWebhookDeliveries(db, id, page),
    webhookRepository.countWebhookDeliveries(db, id),
  ]);
  // A delivery's target is the URL as it was when made: shown like the webhook's own.
  const rows = all.map((row) => ({ ...row, target: urlFor(actor, webhook.organizationId, row.target) }));
  const attempts = await webhookRepository.listDeliveryAttempts(
    db,
    rows.map((row) => row.id),
  );
  return { rows, count, attempts };
}
