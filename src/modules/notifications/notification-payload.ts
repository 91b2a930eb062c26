import type { NotificationRow } from './notifications.table.js';

/** What deliveries carry: the webhook JSON body and the email text, built from a notification row. */

export type NotificationContent = NotificationRow & {
  organizationSlug: string | null;
  organizationName: string | null;
};

/** The link to the UI page about it: absolute with `public_url`, else the path alone (null: none). */
export function absoluteLink(link: string | null, publicUrl: string | null): string | null {
  if (link === null) return null;
  return publicUrl ? `${publicUrl}${link}` : link;
}

/** The webhook body: `{id, event, occurred_at, organization, title, detail, url, data}` (docs/api.md). */
export function webhookPayload(content: NotificationContent, publicUrl: string | null): Record<string, unknown> {
  return {
    id: content.id,
    event: content.event,
    occurred_at: content.occurredAt.toISOString(),
    organization:
      content.organizationId === null
        ? null
        : { id: content.organizationId, slug: content.organizationSlug, name: content.organizationName },
    title: content.title,
    detail: content.detail,
    url: absoluteLink(content.link, publicUrl),
    data: content.data,
  };
}

export function emailMessage(
  content: NotificationContent,
  publicUrl: string | null,
): { subject: string; text: string } {
  const link = absoluteLink(content.link, publicUrl);
  const lines = [
    content.title,
    '',
    ...(content.detail ? [content.detail, ''] : []),
    ...(content.organizationName ? [`Organization: ${content.organizationName}`] : []),
    `When: ${content.occurredAt.toISOString()}`,
    ...(link ? [`Details: ${link}`] : []),
    '',
    'You receive this because you chose this event under "My notifications" in fleetflash.',
  ];
  return { subject: `[fleetflash] ${content.title}`, text: lines.join('\n') };
}

/** Seconds to wait after failed attempt number `attempt` (1, 2, …): doubling from `base`, at most `max`. */
export function retryDelaySeconds(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}
