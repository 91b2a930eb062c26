import { sql } from 'kysely';
import type { Db } from '../../database.js';

/**
 * SQL of the reachability check. It lives in upgrades, not devices, because it must know which
 * devices an upgrade is talking to (upgrade_operations sits above devices), as the fleet view does.
 */

/** A device the reachability check is to contact, with what the connection needs. */
export interface DeviceDueForContact {
  id: string;
  name: string;
  host: string;
  port: number;
  /** The pinned host key, or null before the first successful connection. */
  sshHostKey: string | null;
  /** The credentials it logs in with: its own, else its organization's default (as findEffectiveCredentials). */
  credentialsId: string;
  /** A mass upgrade waits for this device to come back (it was offline): wake it when the device answers. */
  upgradeWaiting: boolean;
}

/**
 * Picks, and marks as tried now, up to `limit` devices to contact, in one statement: active devices
 * with an address and credentials, whose last news (last seen, or last tried) is older than
 * `staleBefore` or absent, oldest first, without a running upgrade (it records its own contacts).
 * Marking them first keeps a device that never answers from coming first in every run; its
 * last_seen is untouched. SKIP LOCKED: a row an upgrade is writing is not waited for, it is recent anyway.
 * The ORDER BY expression and the WHERE are those of devices_contact_due_idx (migration 0017).
 */
export async function claimDevicesDueForContact(
  db: Db,
  options: { staleBefore: Date; limit: number },
): Promise<DeviceDueForContact[]> {
  const lastNews = sql`coalesce(greatest(d.last_seen, d.contact_checked_at), '-infinity'::timestamptz)`;
  const result = await sql<DeviceDueForContact>`
    UPDATE devices SET contact_checked_at = now()
    FROM (
      SELECT d.id, coalesce(own.id, fallback.id) AS credentials_id
      FROM devices d
      LEFT JOIN credentials own ON own.id = d.credentials_id
      LEFT JOIN credentials fallback ON fallback.organization_id = d.organization_id AND fallback.is_default
      WHERE d.is_active AND d.management_ip IS NOT NULL
        AND ${lastNews} < ${options.staleBefore}
        AND (own.id IS NOT NULL OR fallback.id IS NOT NULL)
        AND NOT EXISTS (
          SELECT 1 FROM upgrade_operations o WHERE o.device_id = d.id AND o.status = 'in-progress')
      ORDER BY ${lastNews}
      LIMIT ${options.limit}
      FOR UPDATE OF d SKIP LOCKED
    ) due
    WHERE devices.id = due.id
    RETURNING devices.id, devices.name, devices.management_ip AS host, devices.ssh_port AS port,
      devices.ssh_host_key, due.credentials_id,
      EXISTS (
        SELECT 1 FROM upgrade_operations o
        WHERE o.device_id = devices.id AND o.status = 'pending' AND o.offline_waits > 0
      ) AS upgrade_waiting`.execute(db);
  return result.rows;
}
