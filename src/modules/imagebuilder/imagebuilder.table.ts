import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Timestamp } from '../accounts/accounts.table.js';

type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export const BUILD_STATUSES = ['queued', 'started', 'success', 'failed'] as const;
export type BuildStatus = (typeof BUILD_STATUSES)[number];
export type BuildErrorKind = 'user' | 'infrastructure';

export interface AsuBuildsTable {
  requestHash: string;
  request: Json<Record<string, unknown>>;
  defaultsSealed: string | null;
  version: string;
  target: string;
  profile: string;
  client: string;
  clientKey: string;
  status: BuildStatus;
  stage: Generated<string>;
  errorKind: BuildErrorKind | null;
  errorCode: string | null;
  detail: string | null;
  missingPackages: Generated<string[]>;
  conflictingPackages: Generated<string[]>;
  result: NullableJson<Record<string, unknown>>;
  buildCmd: NullableJson<string[]>;
  stdout: Generated<string>;
  stderr: Generated<string>;
  attempts: Generated<number>;
  worker: string | null;
  heartbeatAt: Date | null;
  notBefore: Date | null;
  enqueuedAt: Generated<Date>;
  startedAt: Date | null;
  finishedAt: Date | null;
  expiresAt: Date | null;
}

export interface AsuBuildFilesTable {
  requestHash: string;
  name: string;
  sha256: string;
  size: number;
}

export interface AsuRequestsTable {
  id: Generated<number>;
  at: Generated<Date>;
  requestHash: string;
  version: string;
  target: string;
  profile: string;
  client: string;
  outcome: 'hit' | 'miss' | 'joined';
  addedPackages: Generated<string[]>;
}

export interface AsuBuildResultsTable {
  id: Generated<number>;
  finishedAt: Generated<Date>;
  requestHash: string;
  version: string;
  target: string;
  profile: string;
  status: 'success' | 'failed';
  errorCode: string | null;
  detail: string | null;
  durationMs: number;
}

export interface UpstreamDocumentsTable {
  url: string;
  etag: string | null;
  lastModified: string | null;
  body: string;
  fetchedAt: ColumnType<Date, unknown, unknown>;
}

export interface FirmwareCustomImagesTable {
  id: Generated<string>;
  buildId: string;
  requestHash: string;
  target: string;
  profile: string;
  boards: Generated<string[]>;
  status: 'building' | 'attached' | 'failed';
  imageId: string | null;
  detail: Generated<string>;
  created: Timestamp;
  modified: Timestamp;
}

export type AsuBuildRow = Selectable<AsuBuildsTable>;
export type NewAsuBuildRow = Insertable<AsuBuildsTable>;
export type AsuBuildFileRow = Selectable<AsuBuildFilesTable>;
export type CustomImageRow = Selectable<FirmwareCustomImagesTable>;
