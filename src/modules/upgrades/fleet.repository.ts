import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../../database.js';
import { containsPattern } from '../../platform/db/database.js';
import type { OrderingTerm } from '../../platform/db/ordering.js';
import { inOrganizationScope, type OrganizationScope } from '../../platform/db/organization-scope.js';
import { type FleetOrderingField, isDeviceColumn, orderTerms } from './fleet-ordering.js';
import type { OperationStatus } from './upgrades.table.js';

/**
 * SQL of the fleet view: every device with what an operator sorts and filters a fleet by: its newest
 * upgrade operation (a LATERAL read of upgrade_operations_device_newest_idx), the build it runs and the
 * newest build of that build's category it could run. Each read joins only what its filters, sort and
 * columns need (the build lookups cost the most).
 *
 * - The build a device runs: the build of its firmware record when that is recorded as installed,
 *   else the build whose OS identifier is the OS string the device reports (its organization's
 *   first, then a shared one), as upgrades record it (device-firmware.repository.ts).
 * - The newest build of a category is the one the catalog lists first ("newest first": created, then
 *   version, then id, descending) among the builds that have an image for the device's board
 *   (`fleetflash_board_fits`, the SQL twin of board-match.ts); the device's own build always counts.
 *   A device is behind when that build is not the one it runs; unknown (null) when what it runs is unknown.
 */

/** How a device's newest operation ended, or `none` for a device that was never upgraded. */
export type LastResultFilter = OperationStatus | 'none';

export interface FleetFilter {
  /** Organizations whose devices are visible; null = all. */
  organizationIds: OrganizationScope;
  organizationId?: string | undefined;
  group?: string | undefined;
  /** Case-insensitive part of the location ("berlin" finds "Berlin Mitte"). */
  location?: string | undefined;
  /** Case-insensitive part of the model ("archer c7" finds "TP-Link Archer C7 v2"). */
  model?: string | undefined;
  boardName?: string | undefined;
  /** Case-insensitive part of the OS string ("23.05.2" finds "OpenWrt 23.05.2 r23630-842932a63d"). */
  os?: string | undefined;
  isActive?: boolean | undefined;
  /** `ssh` or `agent`: how the device is reached. */
  management?: 'ssh' | 'agent' | undefined;
  /** Case-insensitive match on name, MAC address or management address. */
  search?: string | undefined;
  /** Only these devices. */
  ids?: readonly string[] | undefined;
  /** Seen (registered, or reached over SSH) at or after `seenSince` (true), or not (false; never seen included). */
  reachable?: boolean | undefined;
  lastResult?: LastResultFilter | undefined;
  /** true: runs an older build than the newest of its category; false: runs the newest. Unknown matches neither. */
  behindLatest?: boolean | undefined;
}

export { FLEET_ORDERING, type FleetOrderingField } from './fleet-ordering.js';

/** The instant that splits reachable from offline: a device seen since is reachable. */
export interface FleetClock {
  seenSince: Date;
}

/** The devices of the filter's own columns (no joins): what counts and groupings without fleet filters read. */
function devices(db: Db, filter: FleetFilter, clock: FleetClock) {
  let query = db.selectFrom('devices as d');
  query = query.where((eb) => inOrganizationScope(eb, 'd.organizationId', filter.organizationIds));
  if (filter.organizationId !== undefined) query = query.where('d.organizationId', '=', filter.organizationId);
  if (filter.group !== undefined) query = query.where('d.groupName', '=', filter.group);
  if (filter.location) query = query.where('d.location', 'ilike', containsPattern(filter.location));
  if (filter.model) query = query.where('d.model', 'ilike', containsPattern(filter.model));
  if (filter.boardName !== undefined) query = query.where('d.boardName', '=', filter.boardName);
  if (filter.os) query = query.where('d.os', 'ilike', containsPattern(filter.os));
  if (filter.isActive !== undefined) query = query.where('d.isActive', '=', filter.isActive);
  if (filter.management !== undefined) query = query.where('d.management', '=', filter.management);
  if (filter.ids !== undefined)
    query = query.where(
      filter.ids.length > 0 ? sql<SqlBool>`d.id = ANY(${[...filter.ids]}::uuid[])` : sql<SqlBool>`false`,
    );
  if (filter.search) {
    const pattern = containsPattern(filter.search);
    query = query.where((eb) =>
      eb.or([
        eb('d.name', 'ilike', pattern),
        eb('d.macAddress', 'ilike', pattern),
        eb('d.managementIp', 'ilike', pattern),
      ]),
    );
  }
  if (filter.reachable !== undefined) {
    const seen = sql<SqlBool>`d.last_seen >= ${clock.seenSince}`;
    query = query.where(filter.reachable ? seen : sql<SqlBool>`NOT coalesce(${seen}, false)`);
  }
  return query;
}

/**
 * The devices with their newest upgrade (lo): what bulk actions and the last_result filter need. Only
 * operations of kind `upgrade`: a configuration restore after a failed upgrade does not make the
 * device's last upgrade a success.
 */
function withLastOperation(db: Db, filter: FleetFilter, clock: FleetClock) {
  let query = devices(db, filter, clock).leftJoinLateral(
    (eb) =>
      eb
        .selectFrom('upgradeOperations as o')
        .select(['o.id', 'o.status', 'o.errorCode', 'o.created', 'o.finishedAt'])
        .whereRef('o.deviceId', '=', 'd.id')
        .where('o.kind', '=', 'upgrade')
        .orderBy('o.created', 'desc')
        .orderBy('o.id', 'desc')
        .limit(1)
        .as('lo'),
    (join) => join.onTrue(),
  );
  if (filter.lastResult === 'none') query = query.where('lo.id', 'is', null);
  else if (filter.lastResult !== undefined) query = query.where('lo.status', '=', filter.lastResult);
  return query;
}

/**
 * The devices with their newest operation (lo), the build they run (cb) and the newest of its category (lb):
 * the build lookups are the costly part (a board match per build of the category), read only where needed.
 */
function fleet(db: Db, filter: FleetFilter, clock: FleetClock) {
  let query = withLastOperation(db, filter, clock)
    .leftJoin('deviceFirmwares as f', (join) => join.onRef('f.deviceId', '=', 'd.id').on('f.installed', '=', true))
    .leftJoin('firmwareImages as fi', 'fi.id', 'f.imageId')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('firmwareBuilds as b')
          .select(['b.id', 'b.categoryId', 'b.version'])
          .where(
            sql<SqlBool>`(b.id = fi.build_id OR (fi.id IS NULL AND d.os <> '' AND b.os = d.os
              AND (b.organization_id = d.organization_id OR b.organization_id IS NULL)))`,
          )
          .orderBy(sql`b.organization_id IS NULL`)
          .limit(1)
          .as('cb'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('firmwareBuilds as nb')
          .select(['nb.id', 'nb.version'])
          .where(
            sql<SqlBool>`nb.category_id = cb.category_id AND (nb.id = cb.id OR EXISTS (
              SELECT 1 FROM firmware_images ni
              WHERE ni.build_id = nb.id AND fleetflash_board_fits(ni.boards, d.board_name, d.model)))`,
          )
          .orderBy('nb.created', 'desc')
          .orderBy('nb.version', 'desc')
          .orderBy('nb.id', 'desc')
          .limit(1)
          .as('lb'),
      (join) => join.onTrue(),
    );
  if (filter.behindLatest !== undefined) query = query.where(behind(), '=', filter.behindLatest);
  return query;
}

/** Whether the device runs an older build than the newest of its category; null when what it runs is unknown. */
function behind(): RawBuilder<boolean | null> {
  return sql<boolean | null>`(lb.id <> cb.id)`;
}

/**
 * One page of the fleet view. When neither the filters nor the sort need the joined columns, the
 * page's devices are chosen from the devices alone first (an index can serve it), and only those
 * 25-100 rows get the per-device reads; else the joins come first (a sort by them needs every row).
 */
export async function listFleetDevices(
  db: Db,
  filter: FleetFilter,
  clock: FleetClock,
  ordering: readonly OrderingTerm<FleetOrderingField>[],
  page: { limit: number; offset: number },
) {
  const terms = orderTerms(ordering);
  let scope = filter;
  let rows = page;
  if (!needsJoins(filter) && ordering.every(({ column }) => isDeviceColumn(column))) {
    let ids = devices(db, filter, clock).select('d.id');
    for (const term of terms) ids = ids.orderBy(sql`${term.expression} ${term.modifiers}`);
    const chosen = await ids.orderBy('d.id').limit(page.limit).offset(page.offset).execute();
    scope = { organizationIds: filter.organizationIds, ids: chosen.map((row) => row.id) };
    rows = { limit: page.limit, offset: 0 };
  }
  let query = fleet(db, scope, clock)
    .selectAll('d')
    .select([
      'lo.id as lastOperationId',
      'lo.status as lastStatus',
      'lo.errorCode as lastErrorCode',
      'lo.created as lastOperationCreated',
      'lo.finishedAt as lastOperationFinished',
      'cb.id as currentBuildId',
      'cb.version as currentBuildVersion',
      'lb.id as latestBuildId',
      'lb.version as latestBuildVersion',
      behind().as('behindLatest'),
      sql<boolean>`coalesce(d.last_seen >= ${clock.seenSince}, false)`.as('reachable'),
    ]);
  for (const term of terms) query = query.orderBy(sql`${term.expression} ${term.modifiers}`);
  return query.orderBy('d.id').limit(rows.limit).offset(rows.offset).execute();
}

export type FleetDeviceRow = Awaited<ReturnType<typeof listFleetDevices>>[number];

/** The fleet filters need joins: a page cannot be chosen from the devices alone first. */
function needsJoins(filter: FleetFilter): boolean {
  return filter.lastResult !== undefined || filter.behindLatest !== undefined;
}

export async function countFleetDevices(db: Db, filter: FleetFilter, clock: FleetClock): Promise<number> {
  // Only the joins a filter needs: the build lookups for behind_latest, the newest operation for last_result.
  const count = sql<number>`count(*)`.as('count');
  const query =
    filter.behindLatest !== undefined
      ? fleet(db, filter, clock).select(count)
      : filter.lastResult !== undefined
        ? withLastOperation(db, filter, clock).select(count)
        : devices(db, filter, clock).select(count);
  return (await query.executeTakeFirstOrThrow()).count;
}

const SELECTION_COLUMNS = [
  'd.id',
  'd.organizationId',
  'lo.id as lastOperationId',
  'lo.status as lastStatus',
  'lo.errorCode as lastErrorCode',
] as const;

/**
 * The devices of a selection (ids or filters), at most `limit` + 1 of them (so a caller can tell a
 * selection too big), each with its organization and newest operation: what bulk actions work on. The
 * build lookups (up to 10,001 devices' worth) are joined only when the behind_latest filter needs them.
 */
export async function listFleetSelection(db: Db, filter: FleetFilter, clock: FleetClock, limit: number) {
  const query =
    filter.behindLatest !== undefined
      ? fleet(db, filter, clock).select(SELECTION_COLUMNS)
      : withLastOperation(db, filter, clock).select(SELECTION_COLUMNS);
  return query
    .orderBy('d.name')
    .orderBy('d.id')
    .limit(limit + 1)
    .execute();
}

export type FleetSelectionRow = Awaited<ReturnType<typeof listFleetSelection>>[number];

/** Devices per firmware and per model (the 20 most common of each), and the fleet's health, for the dashboard. */
export async function summariseFleet(db: Db, filter: FleetFilter, clock: FleetClock) {
  const base = () => devices(db, filter, clock);
  const [totals, byFirmware, byModel] = await Promise.all([
    fleet(db, filter, clock)
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.countAll<number>().filterWhere('d.isActive', '=', true).as('active'),
        eb.fn
          .countAll<number>()
          .filterWhere(sql<SqlBool>`coalesce(d.last_seen >= ${clock.seenSince}, false)`)
          .as('reachable'),
        eb.fn.countAll<number>().filterWhere(behind(), '=', true).as('behindLatest'),
        eb.fn.countAll<number>().filterWhere(behind(), '=', false).as('onLatest'),
        eb.fn.countAll<number>().filterWhere('lo.status', '=', 'failed').as('lastFailed'),
        eb.fn.countAll<number>().filterWhere('lo.status', '=', 'aborted').as('lastAborted'),
        eb.fn.countAll<number>().filterWhere('lo.status', 'in', ['pending', 'in-progress']).as('upgrading'),
      ])
      .executeTakeFirstOrThrow(),
    base()
      .select(['d.os', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('d.os')
      .orderBy('count', 'desc')
      .orderBy('d.os')
      .limit(20)
      .execute(),
    base()
      .select(['d.model', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('d.model')
      .orderBy('count', 'desc')
      .orderBy('d.model')
      .limit(20)
      .execute(),
  ]);
  return { ...totals, byFirmware, byModel };
}
