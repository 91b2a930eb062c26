import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { createAddressPolicy } from '../platform/address-policy.js';
import type { Config } from '../platform/config.js';
import type { SecretBox } from '../platform/crypto.js';
import type { Logger } from '../platform/logger.js';
import { findCredentialsByIds, openCredentials, type SshCredentials } from '../modules/devices/credentials.service.js';
import { recordDeviceContact, recordHostKey } from '../modules/devices/device.service.js';
import { SshConnectError, SshSession } from '../modules/upgraders/ssh-session.js';
import { wakeWaitingUpgrades } from '../modules/upgrades/operation.service.js';
import { claimDevicesDueForContact, type DeviceDueForContact } from '../modules/upgrades/reachability.service.js';

/**
 * The reachability check: an SSH connection to each device not heard from lately, so that the fleet
 * view's "reachable" (last contact within `devices.offline_after`) describes the fleet between
 * upgrades too. A contact is the upgrader's own connect (SshSession: the address rule, the device's
 * credentials, the pinned host key, the OpenWrt connect timeout), closed at once; success is recorded
 * as the upgrade's connections are (recordDeviceContact). A failure changes nothing but the device's
 * place in the queue: its last_seen stays, so it turns (or stays) offline in its own time.
 *
 * A use case, above devices, upgrades and upgraders: it picks devices by their upgrades, connects
 * with the upgraders' session and records on devices. Devices may not import upgrades, and the
 * upgraders module is a plugin contract, not the place for a fleet-wide schedule.
 * Pull agents (routers behind NAT, issue 17 §1) will record their contact on each poll; a device
 * that polls is then never stale, and this check leaves it alone.
 */

/** At most this many devices per run: a run of dead devices then lasts at most 50 connect timeouts. */
export const DEVICES_PER_RUN = 1000;
/** SSH connections of the check at once, per process running it (one, the scheduler runs it once at a time). */
export const CONNECTIONS_AT_ONCE = 20;

export interface ReachabilityCheckDeps {
  db: Kysely<Database>;
  secrets: SecretBox;
  config: Config;
  logger: Logger;
}

export interface ReachabilityCheckResult {
  /** Devices tried in this run. */
  checked: number;
  /** Of these, the ones that answered (their last_seen is now). */
  reached: number;
}

/**
 * One run: devices not seen (nor tried) for half of `devices.offline_after` are tried, oldest first.
 * Half: a device that answers is contacted again before it could count as offline, as long as runs
 * come more often than that (the interval's default, 300 s, against 450 s).
 */
export async function checkDeviceReachability(
  deps: ReachabilityCheckDeps,
  options: { signal?: AbortSignal; now?: Date } = {},
): Promise<ReachabilityCheckResult> {
  const { db, secrets, config } = deps;
  const now = options.now ?? new Date();
  const staleBefore = new Date(now.getTime() - (config.devices.offlineAfter * 1000) / 2);
  const due = await claimDevicesDueForContact(db, { staleBefore, limit: DEVICES_PER_RUN });
  if (due.length === 0) return { checked: 0, reached: 0 };

  // One read for every credential the run needs; many devices share their organization's default.
  const rows = await findCredentialsByIds(db, [...new Set(due.map((device) => device.credentialsId))]);
  const credentials = new Map(rows.map((row) => [row.id, openCredentials(secrets, row)]));
  const contact = contactWith(deps, options.signal);

  let next = 0;
  let reached = 0;
  let failure: { error: unknown } | undefined;
  const connectNext = async () => {
    while (next < due.length && !failure && !options.signal?.aborted) {
      const device = due[next++]!;
      try {
        if (await contact(device, credentials.get(device.credentialsId))) reached += 1;
      } catch (error) {
        // A database error, not the device's: stop starting new connections and fail the run (it is retried).
        failure = { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTIONS_AT_ONCE, due.length) }, connectNext));
  options.signal?.throwIfAborted();
  if (failure) throw failure.error;
  deps.logger.debug({ checked: due.length, reached }, 'reachability check done');
  return { checked: due.length, reached };
}

/** Connects to one device and closes; true when it answered. Throws only what is not the device's doing. */
function contactWith(deps: ReachabilityCheckDeps, signal: AbortSignal | undefined) {
  const { db, config, logger } = deps;
  const addressPolicy = createAddressPolicy(config.devices);
  const timeoutMs = config.upgrades.openwrt.connectTimeout * 1000;
  return async (device: DeviceDueForContact, credentials: SshCredentials | undefined): Promise<boolean> => {
    if (!credentials) return false; // deleted since the pick
    let session: SshSession;
    try {
      session = await SshSession.connect({
        host: device.host,
        port: device.port,
        addressPolicy,
        credentials,
        expectedHostKey: device.sshHostKey,
        timeoutMs,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (!(error instanceof SshConnectError)) return false; // aborted: the worker is stopping
      // Unreachable is the common case (a router switched off) and repeats every run: debug only.
      const level = error.kind === 'unreachable' ? 'debug' : 'info';
      logger[level](
        { device: device.id, kind: error.kind, detail: error.detail },
        `reachability check: no contact with ${device.name}: ${error.message}`,
      );
      return false;
    }
    session.close();
    // Trust on first use, as the upgrader's first connection would: later contacts and upgrades check this key.
    if (device.sshHostKey === null) await recordHostKey(db, device.id, session.hostKey, false);
    await recordDeviceContact(db, device.id);
    // A mass upgrade waiting for this device while it was offline tries it now, as when it registers again.
    if (device.upgradeWaiting) await wakeWaitingUpgrades(db, device.id);
    return true;
  };
}
