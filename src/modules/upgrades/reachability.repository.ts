import { sql } from 'kysely';
import type { Db } from '../../database.js';

/**
 * SQL of the reachability check. It lives in upgrades, not devices, because it must know which
 * devices an upgrade is talking to (upgrade_operations sits above devices), as the fleet view does.
 */

/** A device the reachability check is to probe, with what the handshake needs. */
export interface DeviceDueForContact {
  id: string;
  name: string;
  host: string;
  port: number;
  /** The pinned host key the device must prove; devices without one are never picked. */
  sshHostKey: string;
  /** A mass upgrade waits for this device to come back (it was offline): wake it when the device answers. */
  upgradeWaiting: boolean;
}

/** Last news of a device: seen or tried, whichever is later; never is -infinity (first in line). */
const lastNews = sql`coalesce(greatest(d.last_seen, d.contact_checked_at), '-infinity'::timestamptz)`;

/**
 * Picks, and marks as tried now, up to `limit` devices to probe, in one statement: active devices
 * with an address and a pinned host key, whose last news is older than `staleBefore` or absent,
 * oldest first, without a running upgrade (it records its own contacts). Marking them keeps a device
 * that never answers from coming first in every run; its last_seen is untouched. Callers claim just
 * before probing, so a claimed device is a tried one. SKIP LOCKED: a row an upgrade is writing is not
 * waited for, it is recent anyway. The ORDER BY expression and the WHERE are those of
 * devices_contact_due_idx (migration 0021), plus: devices managed by their pull agent are never probed
 * (their polls tell whether they are online; an address kept from SSH days is no longer theirs).
 */
export async function claimDevicesDueForContact(
  db: Db,
  options: { staleBefore: Date; limit: number },
): Promise<DeviceDueForContact[]> {
  // MATERIALIZED: the pick runs exactly once (as the other claims do); a subquery the planner may run
  // again could hand out more than `limit` devices.
  const result = await sql<DeviceDueForContact>`
    WITH due AS MATERIALIZED (
      SELECT d.id
      FROM devices d
      WHERE d.is_active AND d.management_ip IS NOT NULL AND d.ssh_host_key IS NOT NULL AND d.management = 'ssh'
        AND ${lastNews} < ${options.staleBefore}
        AND NOT EXISTS (
          SELECT 1 FROM upgrade_operations o WHERE o.device_id = d.id AND o.status = 'in-progress')
      ORDER BY ${lastNews}
      LIMIT ${options.limit}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE devices SET contact_checked_at = now()
    FROM due
    WHERE devices.id = due.id
    RETURNING devices.id, devices.name, devices.management_ip AS host, devices.ssh_port AS port,
      devices.ssh_host_key,
      EXISTS (
        SELECT 1 FROM upgrade_operations o
        WHERE o.device_id = devices.id AND o.status = 'pending' AND o.offline_waits > 0
      ) AS upgrade_waiting`.execute(db);
  return result.rows;
}

/**
 * How many active devices with an address the check passes by because nothing is pinned for them yet
 * (never reached by an upgrade), among those not seen since `staleBefore`: the figure of its run log.
 */
export async function countUnpinnedDevicesDue(db: Db, options: { staleBefore: Date }): Promise<number> {
  const result = await sql<{ count: number }>`
    SELECT count(*)::int AS count
    FROM devices d
    WHERE d.is_active AND d.management_ip IS NOT NULL AND d.ssh_host_key IS NULL
      AND coalesce(d.last_seen, '-infinity'::timestamptz) < ${options.staleBefore}`.execute(db);
  return result.rows[0]?.count ?? 0;
}
