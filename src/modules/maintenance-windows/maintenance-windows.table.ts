import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Timestamp } from '../accounts/accounts.table.js';

export interface MaintenanceWindowsTable {
  id: Generated<string>;
  organizationId: string;
  name: string;
  /** A canonical IANA name, as canonicalTimeZone gave it. */
  timeZone: string;
  /** A list of periods, written as JSON; read back as unknown until checked (checkStoredSchedule). */
  schedule: ColumnType<unknown, string, string>;
  groups: Generated<string[]>;
  locations: Generated<string[]>;
  created: Timestamp;
  modified: Timestamp;
}

export type MaintenanceWindowRow = Selectable<MaintenanceWindowsTable>;
export type NewMaintenanceWindowRow = Insertable<MaintenanceWindowsTable>;
export type MaintenanceWindowUpdate = Updateable<MaintenanceWindowsTable>;
