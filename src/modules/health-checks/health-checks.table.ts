import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Timestamp } from '../accounts/accounts.table.js';

export interface HealthChecksTable {
  id: Generated<string>;
  organizationId: string;
  name: string;
  /** The probes, written as JSON; read back as unknown until checked (checkStoredProbes). */
  probes: ColumnType<unknown, string, string>;
  created: Timestamp;
  modified: Timestamp;
}

export type HealthCheckRow = Selectable<HealthChecksTable>;
export type NewHealthCheckRow = Insertable<HealthChecksTable>;
export type HealthCheckUpdate = Updateable<HealthChecksTable>;
