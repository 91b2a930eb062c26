import type { Db } from '../../database.js';
import type { Actor } from '../accounts/actor.js';
import type { AuditAction } from '../audit/audit-actions.js';
import { changedFields, recordAudit } from '../audit/record-audit.js';
import type { WebhookRow } from './notifications.table.js';
import { redactWebhookUrl } from './webhook-url.js';

/**
 * The notification settings' audit entries, recorded in `db`'s transaction. A webhook's secret is
 * never part of them: a rotation says that it happened, not to what. Its URL is kept redacted
 * (scheme and host): the URL can be a credential too.
 */

function webhookFields(webhook: WebhookRow) {
  return { url: webhook.url, description: webhook.description, events: webhook.events, active: webhook.active };
}

/**
 * `webhook.created`/`deleted`/`secret_rotated`/`tested` with its fields; `webhook.updated` with what
 * changed, and nothing when nothing did (the same values sent again).
 */
export async function recordWebhookAudit(
  db: Db,
  actor: Actor,
  action: Extract<AuditAction, `webhook.${string}`>,
  webhook: WebhookRow,
  previous?: WebhookRow,
): Promise<void> {
  // Compared in full (a new token in the path is a change), kept redacted.
  const details: Record<string, unknown> = previous
    ? changedFields(webhookFields(previous), webhookFields(webhook))
    : webhookFields(webhook);
  if (previous && Object.keys(details).length === 0) return;
  if (typeof details.url === 'string') details.url = redactWebhookUrl(details.url);
  else if (details.url && previous)
    details.url = { from: redactWebhookUrl(previous.url), to: redactWebhookUrl(webhook.url) };
  await recordAudit(db, actor, {
    action,
    organizationId: webhook.organizationId,
    target: { type: 'webhook', id: webhook.id, label: redactWebhookUrl(webhook.url) },
    details,
  });
}

/** `email_preferences.updated`: the user's own choices, global (they may span organizations). */
export async function recordEmailPreferencesAudit(
  db: Db,
  actor: Actor,
  subscriptions: { organizationId: string | null; events: readonly string[] }[],
): Promise<void> {
  await recordAudit(db, actor, {
    action: 'email_preferences.updated',
    organizationId: null,
    target: { type: 'user', id: actor.userId, label: actor.username },
    details: {
      subscriptions: subscriptions.map((entry) => ({ organization: entry.organizationId, events: entry.events })),
    },
  });
}
