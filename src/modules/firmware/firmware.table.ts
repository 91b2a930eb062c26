import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Timestamp } from '../accounts/accounts.table.js';
import type { FwtoolMetadata } from './fwtool.js';

export interface FirmwareCategoriesTable {
  id: Generated<string>;
  /** null: a shared category, readable by every organization. */
  organizationId: string | null;
  name: string;
  description: Generated<string>;
  /** The health check upgrades of the category's builds run unless they choose another (or none). */
  healthCheckId: Generated<string | null>;
  created: Timestamp;
  modified: Timestamp;
}

export interface FirmwareBuildsTable {
  id: Generated<string>;
  categoryId: string;
  /** Maintained by a trigger from the category; never written by the application. */
  organizationId: ColumnType<string | null, never, never>;
  version: string;
  os: string | null;
  changelog: Generated<string>;
  created: Timestamp;
  modified: Timestamp;
}

export interface FirmwareImagesTable {
  id: Generated<string>;
  buildId: string;
  type: string;
  label: Generated<string>;
  fileName: string;
  size: number;
  sha256: string;
  boards: string[];
  metadata: ColumnType<FwtoolMetadata | null, string | null, string | null>;
  created: Timestamp;
  modified: Timestamp;
}

export type CategoryRow = Selectable<FirmwareCategoriesTable>;
export type NewCategoryRow = Insertable<FirmwareCategoriesTable>;
export type CategoryUpdate = Updateable<FirmwareCategoriesTable>;
export type BuildRow = Selectable<FirmwareBuildsTable>;
export type NewBuildRow = Insertable<FirmwareBuildsTable>;
export type BuildUpdate = Updateable<FirmwareBuildsTable>;
export type ImageRow = Selectable<FirmwareImagesTable>;
export type NewImageRow = Insertable<FirmwareImagesTable>;
