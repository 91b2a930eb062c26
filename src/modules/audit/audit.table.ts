import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * A row of the append-only `audit_log` (migrations 0013, 0018): never updated, deleted only by the
 * retention purge. `at` is always the database's `now()` of the insert (a trigger sets it).
 */
export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, never, never>;
  actorType: 'user' | 'anonymous' | 'system';
  actorUserId: string | null;
  actorName: string;
  actorVia: string;
  address: string | null;
  action: string;
  organizationId: string | null;
  targetType: string;
  targetId: string | null;
  targetLabel: Generated<string>;
  details: ColumnType<Record<string, unknown>, string, never>;
}

export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
