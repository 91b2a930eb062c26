// With its extension: test/web-audit-model.test.ts checks this file under the server's module resolution.
import type { paths } from '../../api/schema.js';

/** Types and texts of the audit log, for its page. */

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;

export type AuditEntry = Json<paths['/api/v1/audit-log/']['get']>['results'][number];
export type AuditAction = AuditEntry['action'];
export type AuditTargetType = AuditEntry['target_type'];

/*
 * The UI's one table per server vocabulary: a `Record` over the generated type, so an action added
 * on the server fails the type check here until it has its words.
 */
export const AUDIT_ACTION_TEXT: Record<AuditAction, string> = {
  'login.succeeded': 'logged in',
  'login.failed': 'failed to log in',
  logout: 'logged out',
  'token.created': 'created an API token',
  'token.revoked': 'revoked an API token',
  'user.created': 'created a user',
  'user.updated': 'changed a user',
  'user.deactivated': 'deactivated a user',
  'user.deleted': 'deleted a user',
  'membership.added': 'added a member',
  'membership.updated': "changed a member's role",
  'membership.removed': 'removed a member',
  'organization.created': 'created an organization',
  'organization.updated': 'changed an organization',
  'organization.deactivated': 'deactivated an organization',
  'organization.deleted': 'deleted an organization',
  'organization.registration_secret_changed': 'made a new registration secret',
  'credentials.created': 'created SSH credentials',
  'credentials.updated': 'changed SSH credentials',
  'credentials.deleted': 'deleted SSH credentials',
  'maintenance_window.created': 'created a maintenance window',
  'maintenance_window.updated': 'changed a maintenance window',
  'maintenance_window.deleted': 'deleted a maintenance window',
  'health_check.created': 'created a health check',
  'health_check.updated': 'changed a health check',
  'health_check.deleted': 'deleted a health check',
  'device.created': 'added a device',
  'device.registered': 'registered a device',
  'device.registration_refused': 'refused a device registration',
  'device.updated': 'changed a device',
  'device.deleted': 'deleted a device',
  'device.host_key_reset': "reset a device's host key",
  'device.agent_token_rotated': "rotated a device's agent token",
  'device.agent_token_revoked': "revoked a device's agent token",
  'device.managed_over_ssh': 'switched a device from its pull agent back to SSH',
  'device.firmware_set': "recorded a device's firmware",
  'device.firmware_cleared': "cleared a device's firmware record",
  'category.created': 'created a category',
  'category.updated': 'changed a category',
  'category.deleted': 'deleted a category',
  'build.created': 'created a build',
  'build.updated': 'changed a build',
  'build.deleted': 'deleted a build',
  'image.uploaded': 'uploaded an image',
  'image.deleted': 'deleted an image',
  'upgrade.started': 'started an upgrade',
  'upgrade.cancelled': 'cancelled an upgrade',
  'upgrade.retried': 'retried an upgrade',
  'upgrade.restore_started': 'started a configuration restore',
  'backup.downloaded': 'downloaded a configuration backup',
  'batch.launched': 'launched a mass upgrade',
  'batch.paused': 'paused a mass upgrade',
  'batch.resumed': 'resumed a mass upgrade',
  'batch.cancelled': 'cancelled a mass upgrade',
  'batch.retried': 'retried the failed upgrades of a mass upgrade',
  'batch.restore_failed': "restored the backups of a mass upgrade's failed devices",
  'custom_image.requested': 'requested a custom image',
  'custom_image.attached': 'attached a custom image',
  'webhook.created': 'created a webhook',
  'webhook.updated': 'changed a webhook',
  'webhook.deleted': 'deleted a webhook',
  'webhook.secret_rotated': "replaced a webhook's secret",
  'webhook.tested': 'sent a test to a webhook',
  'webhook.circuit_opened': 'paused deliveries to a failing webhook receiver (circuit opened)',
  'email_preferences.updated': 'changed their email notifications',
};
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_TEXT) as AuditAction[];

/**
 * The action groups of the filter (the first word of each action) with their actions and the filter
 * value that selects all of them: `device.` for a group of several; the action itself for a group of
 * one (`logout` has no dot, so `logout.` would match nothing).
 */
export const AUDIT_ACTION_GROUPS = [...new Set(AUDIT_ACTIONS.map((action) => action.split('.')[0]!))].map((name) => {
  const actions = AUDIT_ACTIONS.filter((action) => action.split('.')[0] === name);
  return { name, actions, filter: actions.length === 1 ? actions[0]! : `${name}.` };
});

export const AUDIT_TARGET_TEXT: Record<AuditTargetType, string> = {
  user: 'user',
  token: 'API token',
  organization: 'organization',
  credentials: 'SSH credentials',
  maintenance_window: 'maintenance window',
  health_check: 'health check',
  device: 'device',
  category: 'category',
  build: 'build',
  image: 'image',
  operation: 'upgrade',
  batch: 'mass upgrade',
  custom_image: 'custom image',
  webhook: 'webhook',
};
export const AUDIT_TARGET_TYPES = Object.keys(AUDIT_TARGET_TEXT) as AuditTargetType[];

/** The UI page of a target that has one (deleted objects lead to the "not found" page, which says so). */
export function targetLink(entry: AuditEntry): string | null {
  if (entry.target_id === null || entry.action.endsWith('.deleted')) return null;
  switch (entry.target_type) {
    case 'device':
      return `/devices/${entry.target_id}`;
    case 'build':
      return `/firmware/builds/${entry.target_id}`;
    case 'category':
      return `/firmware/categories/${entry.target_id}`;
    case 'operation':
      return `/operations/${entry.target_id}`;
    case 'batch':
      return `/batches/${entry.target_id}`;
    default:
      return null;
  }
}

/** The details as short text: changed fields as "field: from → to", other facts as "field: value". */
export function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([field, value]) => {
      if (value !== null && typeof value === 'object' && 'from' in value && 'to' in value)
        return `${field}: ${show(value.from)} → ${show(value.to)}`;
      return `${field}: ${show(value)}`;
    })
    .join('; ');
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
