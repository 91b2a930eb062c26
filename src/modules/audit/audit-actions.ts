/**
 * The closed vocabularies of the audit log: what happened (`AUDIT_ACTIONS`, `<target>.<verb>`) and
 * to what kind of object (`AUDIT_TARGET_TYPES`). Both are OpenAPI enums; the UI has one text table each.
 * A new kind of change adds its action here first.
 */
export const AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'logout',
  'token.created',
  'token.revoked',
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.deleted',
  'membership.added',
  'membership.updated',
  'membership.removed',
  'organization.created',
  'organization.updated',
  'organization.deactivated',
  'organization.deleted',
  'organization.registration_secret_changed',
  'credentials.created',
  'credentials.updated',
  'credentials.deleted',
  'maintenance_window.created',
  'maintenance_window.updated',
  'maintenance_window.deleted',
  'health_check.created',
  'health_check.updated',
  'health_check.deleted',
  'device.created',
  'device.registered',
  'device.registration_refused',
  'device.updated',
  'device.deleted',
  'device.host_key_reset',
  'device.agent_token_rotated',
  'device.agent_token_revoked',
  'device.managed_over_ssh',
  'device.firmware_set',
  'device.firmware_cleared',
  'category.created',
  'category.updated',
  'category.deleted',
  'build.created',
  'build.updated',
  'build.deleted',
  'image.uploaded',
  'image.deleted',
  'upgrade.started',
  'upgrade.cancelled',
  'upgrade.retried',
  'upgrade.restore_started',
  'backup.downloaded',
  'batch.launched',
  'batch.paused',
  'batch.resumed',
  'batch.cancelled',
  'batch.retried',
  'batch.restore_failed',
  'custom_image.requested',
  'custom_image.attached',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.secret_rotated',
  'webhook.tested',
  'webhook.circuit_opened',
  'email_preferences.updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGET_TYPES = [
  'user',
  'token',
  'organization',
  'credentials',
  'device',
  'maintenance_window',
  'health_check',
  'category',
  'build',
  'image',
  'operation',
  'batch',
  'custom_image',
  'webhook',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** Who an entry is attributed to: a person, somebody who tried to log in, or a part of the server. */
export const AUDIT_ACTOR_TYPES = ['user', 'anonymous', 'system'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/** The formats of the audit-log export. */
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
