import { sql } from 'kysely';
import type { Db } from '../../database.js';
import { organizationScopeSql } from '../../platform/db/organization-scope.js';

/** SQL of a mass upgrade's candidates: the devices in its scope, with what the plan's skip rules read. */

export interface CandidateQuery {
  buildId: string;
  categoryId: string;
  /** Organizations whose devices may be upgraded; null = all. */
  organizationIds: string[] | null;
  group?: string | undefined;
  location?: string | undefined;
  /** Only these devices (a selection). */
  deviceIds?: readonly string[] | undefined;
}

/**
 * What the skip rules read of a device that many devices share (organization, OS, model, board, how it is
 * managed and reached, its firmware and the build's image for it): a plan of 100,000 devices has a few.
 */
export interface CandidateKind {
  organizationId: string;
  isActive: boolean;
  os: string;
  model: string;
  boardName: string;
  /** `ssh` or `agent` (an agent-managed device needs neither an address nor credentials: both read true). */
  management: string;
  hasAddress: boolean;
  hasCredentials: boolean;
  /** related: runs a build of the category; other-category / firmwareless: the upgrade_all population. */
  population: 'related' | 'other-category' | 'firmwareless';
  /** The version of the build its firmware record names, if any. */
  currentBuildVersion: string | null;
  onBuild: boolean;
  imageId: string | null;
  imageSha256: string | null;
}

/** A device in scope: what is its own, and its kind (an index into `Candidates.kinds`). */
export interface CandidateRow {
  id: string;
  name: string;
  location: string;
  activeOperationId: string | null;
  kind: number;
}

export interface Candidates {
  kinds: CandidateKind[];
  /** Ordered by name, then id. */
  devices: CandidateRow[];
}

/** The filters of a mass upgrade that read the device alone (organizations, group, location, selection). */
function deviceConditions(query: CandidateQuery) {
  const conditions = [organizationScopeSql('d.organization_id', query.organizationIds)];
  if (query.group !== undefined) conditions.push(sql`d.group_name = ${query.group}`);
  if (query.location !== undefined) conditions.push(sql`d.location = ${query.location}`);
  if (query.deviceIds !== undefined) conditions.push(sql`d.id = ANY(${[...query.deviceIds]}::uuid[])`);
  return sql.join(conditions, sql` AND `);
}

function candidateConditions(query: CandidateQuery) {
  // Devices on a build of the category, and every other device whose board fits an image of the build.
  return sql`(cb.category_id = ${query.categoryId}
      OR (cb.category_id IS DISTINCT FROM ${query.categoryId} AND img.id IS NOT NULL)) AND ${deviceConditions(query)}`;
}

const CANDIDATE_FROM = (buildId: string) => sql`
  FROM devices d
  LEFT JOIN device_firmwares f ON f.device_id = d.id
  LEFT JOIN firmware_images ci ON ci.id = f.image_id
  LEFT JOIN firmware_builds cb ON cb.id = ci.build_id
  LEFT JOIN LATERAL (
    -- The build's image of the same type as the current one, else any image that fits the board.
    SELECT i.id, i.sha256 FROM firmware_images i
    WHERE i.build_id = ${buildId} AND fleetflash_board_fits(i.boards, d.board_name, d.model)
    ORDER BY (i.type = ci.type) DESC NULLS LAST, i.created, i.id
    LIMIT 1
  ) img ON true`;

/**
 * Every device in a mass upgrade's scope, in one pass: devices whose firmware is an image of the
 * build's category ("related"), and devices not on that category (another one, or no firmware
 * record) whose board fits an image of the build. Each comes with what the skip rules need.
 *
 * What many devices share comes once per kind (migration 0031): reading 100,000 rows of thirteen columns
 * cost the server more than the whole rest of a dry run (a text per column and row, then their garbage
 * collection), and the database as much to send. The build's image and the category are looked up once per
 * kind too. The kinds come first (no name), then the devices, by name and id.
 */
export async function findCandidates(db: Db, query: CandidateQuery): Promise<Candidates> {
  if (!db.isTransaction) {
    // The devices and their kinds are hashed and sorted in memory rather than in temporary files (a launch
    // sets the same for its whole transaction).
    return db.transaction().execute(async (trx) => {
      await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
      return findCandidates(trx, query);
    });
  }
  const result = await sql<CandidateRow & { fields: CandidateKind | null }>`
    WITH dev AS MATERIALIZED (
      SELECT d.id, d.name, d.location,
        ROW(d.organization_id, d.is_active, d.os, d.model, d.board_name, d.management,
          d.management = 'agent' OR (d.management_ip IS NOT NULL AND d.management_ip <> ''),
          d.management = 'agent' OR d.credentials_id IS NOT NULL OR EXISTS (
            SELECT 1 FROM credentials c
            WHERE c.organization_id = d.organization_id AND c.is_default
          ),
          f.device_id IS NOT NULL, f.image_id, f.installed)::fleetflash_candidate_kind AS k
      FROM devices d
      LEFT JOIN device_firmwares f ON f.device_id = d.id
      WHERE ${deviceConditions(query)}
    ), kinds AS MATERIALIZED (
      SELECT (row_number() OVER () - 1)::int AS kind, x.k,
        json_build_object('organizationId', (x.k).organization_id, 'isActive', (x.k).is_active, 'os', (x.k).os,
          'model', (x.k).model, 'boardName', (x.k).board_name, 'management', (x.k).management,
          'hasAddress', (x.k).has_address, 'hasCredentials', (x.k).has_credentials,
          'population', CASE
            WHEN NOT (x.k).has_firmware THEN 'firmwareless'
            WHEN cb.category_id = ${query.categoryId} THEN 'related'
            ELSE 'other-category'
          END,
          'currentBuildVersion', cb.version,
          'onBuild', coalesce(ci.build_id = ${query.buildId} AND (x.k).installed, false),
          'imageId', img.id, 'imageSha256', img.sha256) AS fields
      FROM (SELECT DISTINCT k FROM dev) x
      LEFT JOIN firmware_images ci ON ci.id = (x.k).image_id
      LEFT JOIN firmware_builds cb ON cb.id = ci.build_id
      LEFT JOIN LATERAL (
        -- The build's image of the same type as the current one, else any image that fits the board.
        SELECT i.id, i.sha256 FROM firmware_images i
        WHERE i.build_id = ${query.buildId} AND fleetflash_board_fits(i.boards, (x.k).board_name, (x.k).model)
        ORDER BY (i.type = ci.type) DESC NULLS LAST, i.created, i.id
        LIMIT 1
      ) img ON true
      -- Devices on a build of the category, and every other device whose board fits an image of the build.
      WHERE cb.category_id = ${query.categoryId}
        OR (cb.category_id IS DISTINCT FROM ${query.categoryId} AND img.id IS NOT NULL)
    )
    SELECT kind, NULL::uuid AS id, NULL::text AS name, NULL::text AS location, NULL::uuid AS "activeOperationId",
      fields
    FROM kinds
    UNION ALL
    SELECT kinds.kind, dev.id, dev.name, dev.location, o.id, NULL
    FROM dev
    JOIN kinds ON kinds.k = dev.k
    LEFT JOIN upgrade_operations o ON o.device_id = dev.id AND o.status IN ('pending', 'in-progress')
    ORDER BY name NULLS FIRST, id`.execute(db.withoutPlugins());
  // Read without the camel-case plugin, which would copy each of up to 100,000 rows into a new object.
  const kinds: CandidateKind[] = [];
  const devices: CandidateRow[] = [];
  for (const row of result.rows) {
    if (row.fields !== null) kinds[row.kind] = row.fields;
    else devices.push(row);
  }
  return { kinds, devices };
}

/** The organization of each of these devices that exists (a selection is checked against it). */
export async function findDeviceOrganizations(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; organizationId: string }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('devices')
    .select(['id', 'organizationId'])
    .where(sql<boolean>`id = ANY(${[...ids]}::uuid[])`)
    .execute();
}

/** How many candidates there would be with this query (to say which filter left none). */
export async function countCandidates(db: Db, query: CandidateQuery): Promise<number> {
  const result = await sql<{
    count: number;
  }>`SELECT count(*)::int AS count ${CANDIDATE_FROM(query.buildId)} WHERE ${candidateConditions(query)}`.execute(db);
  return result.rows[0]!.count;
}
