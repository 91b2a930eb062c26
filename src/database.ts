import type { Kysely, Transaction } from 'kysely';
import type {
  ApiTokensTable,
  LoginFailuresTable,
  MembershipsTable,
  OrganizationsTable,
  SessionsTable,
  UsersTable,
} from './modules/accounts/accounts.table.js';
import type { AgentJobsTable, AgentReportsTable, AgentTokensTable } from './modules/agent/agent.table.js';
import type { AuditLogTable } from './modules/audit/audit.table.js';
import type { DeviceBackupsTable } from './modules/backups/backups.table.js';
import type { CredentialsTable, DevicesTable } from './modules/devices/devices.table.js';
import type { HealthChecksTable } from './modules/health-checks/health-checks.table.js';
import type { MaintenanceWindowsTable } from './modules/maintenance-windows/maintenance-windows.table.js';
import type {
  FirmwareBuildsTable,
  FirmwareCategoriesTable,
  FirmwareImagesTable,
} from './modules/firmware/firmware.table.js';
import type {
  AsuBuildFilesTable,
  AsuBuildResultsTable,
  AsuBuildsTable,
  AsuRequestsTable,
  FirmwareCustomImagesTable,
  UpstreamDocumentsTable,
} from './modules/imagebuilder/imagebuilder.table.js';
import type {
  BatchSkippedDevicesTable,
  BatchUpgradeOperationsTable,
  DeviceFirmwaresTable,
  UpgradeOperationLogsTable,
  UpgradeOperationsTable,
} from './modules/upgrades/upgrades.table.js';
import type {
  NotificationDeliveriesTable,
  NotificationDeliveryAttemptsTable,
  NotificationDispatchCursorTable,
  NotificationEmailPreferencesTable,
  NotificationFoldedFailuresTable,
  NotificationsTable,
  UserNotificationsTable,
  WebhooksTable,
} from './modules/notifications/notifications.table.js';
import type { BlobReference } from './platform/blob-references.js';
import { connectDatabase as connect, type DatabaseConnection, type DatabaseTimeouts } from './platform/db/database.js';
import type { EventsTable } from './platform/events.js';
import type { Logger } from './platform/logger.js';
import type { ScheduledTasksTable } from './platform/scheduled-task.repository.js';

/**
 * Every table, as Kysely sees it (camelCase; CamelCasePlugin converts to snake_case SQL). Nested
 * objects (jsonb values such as fwtool metadata) keep their keys as stored. Each module declares
 * its own tables (`x.table.ts`); this file, above the modules, puts them together.
 */
export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  apiTokens: ApiTokensTable;
  sessions: SessionsTable;
  loginFailures: LoginFailuresTable;
  firmwareCategories: FirmwareCategoriesTable;
  firmwareBuilds: FirmwareBuildsTable;
  firmwareImages: FirmwareImagesTable;
  credentials: CredentialsTable;
  devices: DevicesTable;
  maintenanceWindows: MaintenanceWindowsTable;
  healthChecks: HealthChecksTable;
  deviceFirmwares: DeviceFirmwaresTable;
  upgradeOperations: UpgradeOperationsTable;
  upgradeOperationLogs: UpgradeOperationLogsTable;
  batchUpgradeOperations: BatchUpgradeOperationsTable;
  batchSkippedDevices: BatchSkippedDevicesTable;
  events: EventsTable;
  asuBuilds: AsuBuildsTable;
  asuBuildFiles: AsuBuildFilesTable;
  asuRequests: AsuRequestsTable;
  asuBuildResults: AsuBuildResultsTable;
  upstreamDocuments: UpstreamDocumentsTable;
  firmwareCustomImages: FirmwareCustomImagesTable;
  scheduledTasks: ScheduledTasksTable;
  auditLog: AuditLogTable;
  notificationDispatchCursor: NotificationDispatchCursorTable;
  webhooks: WebhooksTable;
  notifications: NotificationsTable;
  userNotifications: UserNotificationsTable;
  notificationEmailPreferences: NotificationEmailPreferencesTable;
  notificationDeliveries: NotificationDeliveriesTable;
  notificationDeliveryAttempts: NotificationDeliveryAttemptsTable;
  notificationFoldedFailures: NotificationFoldedFailuresTable;
  deviceBackups: DeviceBackupsTable;
  agentTokens: AgentTokensTable;
  agentJobs: AgentJobsTable;
  agentReports: AgentReportsTable;
}

/** A Kysely instance or an open transaction: services and repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>;

/**
 * Every column that holds the sha256 of a stored file: a stored file is removed only when none of
 * them refers to it any more (see platform/blob-references.ts). A new table holding stored content
 * belongs here.
 */
export const BLOB_REFERENCES: readonly BlobReference[] = [
  { table: 'firmware_images', column: 'sha256' },
  { table: 'asu_build_files', column: 'sha256' },
  { table: 'device_backups', column: 'sha256' },
];

/** Opens a pool over fleetflash's tables (see platform/db/database.ts for the bounds). */
export function connectDatabase(
  connectionString: string,
  poolSize: number,
  logger: Logger,
  timeouts?: DatabaseTimeouts,
): DatabaseConnection<Database> {
  return connect<Database>(connectionString, poolSize, logger, timeouts);
}
