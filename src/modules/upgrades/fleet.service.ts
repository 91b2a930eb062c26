import type { Kysely } from 'kysely';
import type { Database, Db } from '../../database.js';
import type { OrderingTerm } from '../../platform/db/ordering.js';
import { mapDatabaseError } from '../../platform/db/pg-errors.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Actor, assertCanWrite, readableOrganizationIds } from '../accounts/actor.js';
import { resolveOrganizationFilter } from '../accounts/organization.service.js';
import type { UpgraderRegistry } from '../upgraders/registry.js';
import * as fleetRepository from './fleet.repository.js';
import { cancelOperation, retryOperation } from './operation.service.js';
import { ACTIVE_STATUSES, type OperationStatus } from './upgrades.table.js';

/**
 * The fleet view: the device list with each device's reachability, newest upgrade and whether it is
 * behind the newest build of its category (rules in fleet.repository.ts), the dashboard's figures,
 * and bulk retry / cancel over a selection of devices, by the single-operation rules of
 * operation.service.ts (one transaction per device, so one device's refusal never undoes another's).
 */

export type FleetOrderingField = fleetRepository.FleetOrderingField;
export const FLEET_ORDERING_FIELDS = Object.keys(fleetRepository.FLEET_ORDERING) as FleetOrderingField[];
export const DEFAULT_FLEET_ORDERING = 'name';
/** Most devices a selection (the ids of "all N matching", a mass upgrade of a selection) names. */
export const MAX_BULK_DEVICES = 10_000;
/**
 * Most devices one bulk retry or cancel acts on. Each device is its own transaction by the single-operation
 * rules, within one HTTP request: 1,000 retries took about 7 s here, 10,000 about 155 s (cancels: 30 s), far
 * longer than a request should hold a connection (and a proxy would give up first).
 */
export const MAX_BULK_CHANGE_DEVICES = 1_000;
/** Newest-operation statuses a bulk retry acts on (a cancelled one was stopped by a person on purpose). */
const BULK_RETRY_STATUSES: readonly OperationStatus[] = ['failed', 'aborted'];

export interface FleetListFilter {
  organization?: string | undefined;
  group?: string | undefined;
  location?: string | undefined;
  model?: string | undefined;
  boardName?: string | undefined;
  os?: string | undefined;
  isActive?: boolean | undefined;
  management?: 'ssh' | 'agent' | undefined;
  search?: string | undefined;
  ids?: readonly string[] | undefined;
  reachable?: boolean | undefined;
  lastResult?: fleetRepository.LastResultFilter | undefined;
  behindLatest?: boolean | undefined;
}

/** What the fleet view needs of the settings. */
export interface FleetSettings {
  /** Seconds after the last contact a device counts as offline (setting devices.offline_after). */
  offlineAfter: number;
}

function clockAt(settings: FleetSettings, now: Date): fleetRepository.FleetClock {
  return { seenSince: new Date(now.getTime() - settings.offlineAfter * 1000) };
}

/** The repository filter for the actor, or null when the organization filter names none it can see. */
async function scopedFilter(
  db: Db,
  actor: Actor,
  filter: FleetListFilter,
): Promise<fleetRepository.FleetFilter | null> {
  const { organization, ...rest } = filter;
  const organizationId = await resolveOrganizationFilter(db, actor, organization);
  if (organizationId === null) return null;
  return { ...rest, organizationIds: readableOrganizationIds(actor), organizationId };
}

/** One page of the device list with the fleet columns, and how many devices match. */
export async function listFleet(
  db: Db,
  actor: Actor,
  settings: FleetSettings,
  filter: FleetListFilter,
  ordering: OrderingTerm<FleetOrderingField>[],
  page: { limit: number; offset: number },
  now = new Date(),
) {
  const query = await scopedFilter(db, actor, filter);
  if (query === null) return { rows: [], count: 0 };
  const clock = clockAt(settings, now);
  const [rows, count] = await Promise.all([
    fleetRepository.listFleetDevices(db, query, clock, ordering, page),
    fleetRepository.countFleetDevices(db, query, clock),
  ]);
  return { rows, count };
}

/** The dashboard's figures: devices per firmware and model, reachable, behind the newest build, failed. */
export async function summariseFleet(
  db: Db,
  actor: Actor,
  settings: FleetSettings,
  filter: { organization?: string | undefined },
  now = new Date(),
) {
  const query = await scopedFilter(db, actor, filter);
  if (query === null) {
    const zero = { total: 0, active: 0, reachable: 0, behindLatest: 0, onLatest: 0, lastFailed: 0 };
    return { ...zero, lastAborted: 0, upgrading: 0, byFirmware: [], byModel: [] };
  }
  return fleetRepository.summariseFleet(db, query, clockAt(settings, now));
}

/** Devices a bulk action names: by id (each must be visible), or every device the list filters match. */
export type DeviceSelection = { devices: readonly string[] } | { filters: FleetListFilter };

/**
 * The devices of a selection with their newest operation, after checking the actor may change
 * upgrades of each one's organization: an id not visible is a 404, a selection of more than
 * MAX_BULK_CHANGE_DEVICES a 400, a device of an organization where the actor is an operator a 403.
 */
async function selectForChange(
  db: Db,
  actor: Actor,
  settings: FleetSettings,
  selection: DeviceSelection,
  now: Date,
): Promise<fleetRepository.FleetSelectionRow[]> {
  const filter = 'devices' in selection ? { ids: [...new Set(selection.devices)] } : selection.filters;
  const query = await scopedFilter(db, actor, filter);
  const rows =
    query === null
      ? []
      : await fleetRepository.listFleetSelection(db, query, clockAt(settings, now), MAX_BULK_CHANGE_DEVICES);
  if ('devices' in selection) {
    const found = new Set(rows.map((row) => row.id));
    const missing = selection.devices.find((id) => !found.has(id));
    if (missing !== undefined) throw notFound('device', missing);
  }
  if (rows.length > MAX_BULK_CHANGE_DEVICES) {
    throw new AppError(
      'SelectionTooLarge',
      `More than ${MAX_BULK_CHANGE_DEVICES} devices match: a bulk retry or cancel acts on at most ` +
        `${MAX_BULK_CHANGE_DEVICES} devices at once (each one by the single-upgrade rules); narrow the filters, ` +
        "or retry a mass upgrade's failures on its page.",
    );
  }
  for (const organizationId of new Set(rows.map((row) => row.organizationId)))
    assertCanWrite(actor, organizationId, 'upgrades');
  return rows;
}

/** Why a bulk action left a selected device alone (a closed set: the API's BulkRefusalReason). */
export const BULK_REFUSAL_REASONS = {
  'no-failed-upgrade': 'The newest upgrade of the device did not fail or abort: there is nothing to retry.',
  'no-open-upgrade': 'The device has no pending or running upgrade: there is nothing to cancel.',
  refused: 'The single-operation rule refused it: `code` and `detail` say why (e.g. flashing already started).',
} as const;
export type BulkRefusalReason = keyof typeof BULK_REFUSAL_REASONS;
export const BULK_REFUSAL_REASON_NAMES = Object.keys(BULK_REFUSAL_REASONS) as BulkRefusalReason[];

export interface BulkRefusal {
  reason: BulkRefusalReason;
  /** The error code of a `refused` device (RetryNotPossible, CancelNotPossible, DeviceDeactivated, …). */
  code: string | null;
  count: number;
  /** The message of the first device refused so. */
  detail: string;
  /** Up to 20 of the devices refused so. */
  devices: string[];
}

export interface BulkOutcome {
  selected: number;
  /** Devices acted on: retried, or cancelled. */
  done: number;
  refused: BulkRefusal[];
}

const REFUSAL_SAMPLE = 20;

/** Runs `act` on each device, one at a time (each its own transaction); refusals are counted by reason and code. */
async function actOnEach(
  rows: fleetRepository.FleetSelectionRow[],
  applies: (row: fleetRepository.FleetSelectionRow) => BulkRefusalReason | null,
  act: (operationId: string) => Promise<unknown>,
): Promise<BulkOutcome> {
  const refused = new Map<string, BulkRefusal>();
  const refuse = (deviceId: string, reason: BulkRefusalReason, code: string | null, detail: string) => {
    const key = `${reason} ${code ?? ''}`;
    const group = refused.get(key) ?? { reason, code, count: 0, detail, devices: [] };
    group.count += 1;
    if (group.devices.length < REFUSAL_SAMPLE) group.devices.push(deviceId);
    refused.set(key, group);
  };
  let done = 0;
  for (const row of rows) {
    // `applies` refuses a device without operations, so lastOperationId is set past this point.
    const notApplicable = applies(row);
    if (notApplicable !== null) {
      refuse(row.id, notApplicable, null, BULK_REFUSAL_REASONS[notApplicable]);
      continue;
    }
    try {
      await act(row.lastOperationId!);
      done += 1;
    } catch (error) {
      // A refusal of the single-operation rules (a 4xx) is this device's outcome; anything else stops the action.
      const appError = error instanceof AppError ? error : mapDatabaseError(error);
      if (!appError || appError.status >= 500) throw error;
      refuse(row.id, 'refused', appError.code, appError.message);
    }
  }
  return { selected: rows.length, done, refused: [...refused.values()] };
}

/** Retries the newest operation of each selected device whose newest operation failed or aborted. */
export async function retrySelectedDevices(
  db: Kysely<Database>,
  actor: Actor,
  registry: UpgraderRegistry,
  settings: FleetSettings,
  selection: DeviceSelection,
  now = new Date(),
): Promise<BulkOutcome> {
  const rows = await selectForChange(db, actor, settings, selection, now);
  return actOnEach(
    rows,
    (row) => (row.lastStatus !== null && BULK_RETRY_STATUSES.includes(row.lastStatus) ? null : 'no-failed-upgrade'),
    (operationId) => retryOperation(db, actor, registry, operationId),
  );
}

/** Cancels the pending or running operation of each selected device (until its flashing starts). */
export async function cancelSelectedDevices(
  db: Kysely<Database>,
  actor: Actor,
  settings: FleetSettings,
  selection: DeviceSelection,
  now = new Date(),
): Promise<BulkOutcome> {
  const rows = await selectForChange(db, actor, settings, selection, now);
  return actOnEach(
    rows,
    (row) => (row.lastStatus !== null && ACTIVE_STATUSES.includes(row.lastStatus) ? null : 'no-open-upgrade'),
    (operationId) => cancelOperation(db, actor, operationId),
  );
}

/** The ids of every device the list filters match (for a bulk action on "all N matching"), at most MAX_BULK_DEVICES. */
export async function selectDeviceIds(
  db: Db,
  actor: Actor,
  settings: FleetSettings,
  filter: FleetListFilter,
  now = new Date(),
): Promise<string[]> {
  const query = await scopedFilter(db, actor, filter);
  if (query === null) return [];
  const rows = await fleetRepository.listFleetSelection(db, query, clockAt(settings, now), MAX_BULK_DEVICES);
  if (rows.length > MAX_BULK_DEVICES) {
    throw new AppError(
      'SelectionTooLarge',
      `More than ${MAX_BULK_DEVICES} devices match: narrow the filters to select at most ${MAX_BULK_DEVICES}.`,
    );
  }
  return rows.map((row) => row.id);
}
