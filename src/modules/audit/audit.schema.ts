import { type Static, Type } from '@sinclair/typebox';
import { DateTime, Nullable, PaginationQuery, StringEnum, Uuid } from '../../http/schemas.js';
import { AUDIT_ACTIONS, AUDIT_ACTOR_TYPES, AUDIT_TARGET_TYPES, EXPORT_FORMATS } from './audit-actions.js';
import type { AuditLogRow } from './audit.table.js';

export const AuditAction = StringEnum(AUDIT_ACTIONS, { title: 'AuditAction', description: 'What was done.' });
export const AuditTargetType = StringEnum(AUDIT_TARGET_TYPES, {
  title: 'AuditTargetType',
  description: 'The kind of object the change was made to.',
});

export const AuditEntryDto = Type.Object(
  {
    id: Type.Integer({ description: 'Grows with every entry: a later entry has a higher id.' }),
    at: DateTime,
    actor_type: StringEnum(AUDIT_ACTOR_TYPES, {
      title: 'AuditActorType',
      description: 'A person (user), somebody who tried to log in (anonymous), or the server itself (system).',
    }),
    actor_user_id: Nullable(Uuid, { description: 'The user, when a person did it (they may since be deleted).' }),
    actor_name: Type.String({
      description: 'The username at the time, or the tried username ("(unknown user)" if none), or the system part.',
    }),
    actor_via: Type.String({ description: 'session, token, cli, login (a login attempt) or system.' }),
    address: Nullable(Type.String(), { description: "The client's address (behind trusted proxies: the client's)." }),
    action: AuditAction,
    organization: Nullable(Uuid, { description: 'The organization of the target; null for global entries.' }),
    target_type: AuditTargetType,
    target_id: Nullable(Type.String()),
    target_label: Type.String({ description: 'The name of the target at the time.' }),
    details: Type.Record(Type.String(), Type.Unknown(), {
      description: 'Changed fields ({field: {from, to}}) and other facts; never secrets.',
    }),
  },
  { title: 'AuditEntry' },
);
export type AuditEntryDto = Static<typeof AuditEntryDto>;

export function toAuditEntryDto(row: AuditLogRow): AuditEntryDto {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor_type: row.actorType,
    actor_user_id: row.actorUserId,
    actor_name: row.actorName,
    actor_via: row.actorVia,
    address: row.address,
    action: row.action as AuditEntryDto['action'],
    organization: row.organizationId,
    target_type: row.targetType as AuditEntryDto['target_type'],
    target_id: row.targetId,
    target_label: row.targetLabel,
    details: row.details,
  };
}

const filters = {
  organization: Type.Optional(Type.String({ maxLength: 64, description: 'Only entries of this organization (slug).' })),
  actor: Type.Optional(
    Type.String({ maxLength: 150, description: 'Only entries by this username (exact, any case).' }),
  ),
  action: Type.Optional(
    Type.String({
      maxLength: 64,
      pattern: '^[a-z_.*]*$',
      description: 'An action (`device.created`), or all actions under a prefix: `device.` or `device.*`.',
    }),
  ),
  target_type: Type.Optional(AuditTargetType),
  target_id: Type.Optional(Type.String({ maxLength: 100, description: 'Only entries about this object id.' })),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'Entries at or after this time (or date, UTC).' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'Entries before this time (or date, UTC).' })),
  address: Type.Optional(
    Type.String({
      maxLength: 64,
      description: 'Entries from this client address, or from inside this network (CIDR).',
    }),
  ),
};

export const AuditLogQuery = Type.Object({ ...PaginationQuery, ...filters });
export const AuditExportQuery = Type.Object({
  ...filters,
  format: Type.Optional(StringEnum(EXPORT_FORMATS, { description: 'csv (default) or json.' })),
});
