import { setMaxListeners } from 'node:events';
import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { recordDeviceContact } from '../modules/devices/device.service.js';
import { probeHostKey } from '../modules/upgraders/ssh-host-key-probe.js';
import { SshConnectError } from '../modules/upgraders/ssh-session.js';
import { wakeWaitingUpgrades } from '../modules/upgrades/operation.service.js';
import {
  claimDevicesDueForContact,
  countUnpinnedDevicesDue,
  type DeviceDueForContact,
} from '../modules/upgrades/reachability.service.js';
import { createAddressPolicy, type AddressPolicy } from '../platform/address-policy.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';

/**
 * The reachability check: an SSH key exchange with each device not heard from lately, so that the fleet
 * view's "reachable" (last contact within `devices.offline_after`) describes the fleet between upgrades
 * too. It never logs in and never trusts a new key: the device must prove the host key an upgrade pinned
 * (probeHostKey: the address rule, the OpenWrt connect timeout, the handshake and nothing after it).
 * A device registered at someone else's address therefore receives no credentials from it, and one
 * without a pinned key is not probed at all (its online state comes from registration and upgrades).
 * A proved key is recorded as the upgrade's connections are (recordDeviceContact); anything else changes
 * nothing but the device's place in the queue: its last_seen stays, so it turns (or stays) offline in its
 * own time, and its pin stays (a changed key is for a person to look at, not for the check to accept).
 *
 * A use case, above devices, upgrades and upgraders: it picks devices by their upgrades, probes with
 * the upgraders' SSH pieces and records on devices. Pull agents (routers behind NAT, issue 17 §1) will
 * record their contact on each poll; a device that polls is then never stale, and this check leaves it alone.
 */

/** At most this many devices per run. */
export const DEVICES_PER_RUN = 1000;
/** Handshakes of the check at once, per process running it (one: the scheduler runs it once at a time). */
export const CONNECTIONS_AT_ONCE = 20;
/**
 * Most time a run takes new devices: the scheduler runs one task at a time per process, so a long run would
 * hold up the image-builder housekeeping (every 60 s) and the purges behind it. What is left waits for the
 * next run, first in line.
 */
const MAX_BUDGET_MS = 60_000;

export interface ReachabilityCheckDeps {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
}

export interface ReachabilityCheckResult {
  /** Devices probed in this run. */
  checked: number;
  /** Of these, the ones that proved their pinned host key (their last_seen is now). */
  reached: number;
  /** Of these, the ones that presented another host key (offline, pin unchanged, a warning logged). */
  hostKeyChanged: number;
  /** Devices passed by because no host key is pinned for them, among those not seen lately. */
  skippedUnpinned: number;
}

/**
 * One run: devices with a pinned key not seen (nor tried) for half of `devices.offline_after` are probed,
 * oldest first. Half: a device that answers is probed again before it could count as offline, as long as
 * runs come more often than that (the interval's default, 300 s, against 450 s). A run claims devices a few
 * at a time, just before probing them, and claims no more once its budget (the task's interval) is spent:
 * a claimed device is a tried one, and whatever a slow run leaves is first in line for the next.
 */
export async function checkDeviceReachability(
  deps: ReachabilityCheckDeps,
  options: { signal?: AbortSignal; now?: Date; budgetMs?: number } = {},
): Promise<ReachabilityCheckResult> {
  const { db, config, logger } = deps;
  const now = options.now ?? new Date();
  const staleBefore = new Date(now.getTime() - (config.devices.offlineAfter * 1000) / 2);
  const interval = config.devices.reachabilityCheckInterval;
  const deadline =
    Date.now() + (options.budgetMs ?? Math.min(interval > 0 ? interval * 1000 : MAX_BUDGET_MS, MAX_BUDGET_MS));
  // Every probe at once listens to the task's signal (and its address lookup too): not a leak.
  if (options.signal) setMaxListeners(CONNECTIONS_AT_ONCE * 4, options.signal);
  const probe = probeWith(deps, createAddressPolicy(config.devices), options.signal);
  const result: ReachabilityCheckResult = { checked: 0, reached: 0, hostKeyChanged: 0, skippedUnpinned: 0 };

  const queue: DeviceDueForContact[] = [];
  let claimed = 0;
  let exhausted = false;
  let claiming: Promise<void> | undefined;
  // One claim at a time, for all the workers: CONNECTIONS_AT_ONCE devices per statement.
  const claimMore = async () => {
    const limit = Math.min(CONNECTIONS_AT_ONCE, DEVICES_PER_RUN - claimed);
    const due = await claimDevicesDueForContact(db, { staleBefore, limit });
    claimed += due.length;
    if (due.length < limit) exhausted = true;
    queue.push(...due);
  };
  const nextDevice = async (): Promise<DeviceDueForContact | undefined> => {
    for (;;) {
      const device = queue.shift();
      if (device) return device;
      if (exhausted || claimed >= DEVICES_PER_RUN || Date.now() >= deadline || options.signal?.aborted) return;
      claiming ??= claimMore().finally(() => {
        claiming = undefined;
      });
      await claiming;
    }
  };

  let failure: { error: unknown } | undefined;
  const work = async () => {
    try {
      for (let device = await nextDevice(); device && !failure; device = await nextDevice()) {
        const outcome = await probe(device);
        result.checked += 1;
        if (outcome === 'reached') result.reached += 1;
        if (outcome === 'host-key-changed') result.hostKeyChanged += 1;
      }
    } catch (error) {
      // A database error, not a device's: stop claiming and probing and fail the run (it is retried).
      failure ??= { error };
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS_AT_ONCE }, work));
  options.signal?.throwIfAborted();
  if (failure) throw failure.error;
  result.skippedUnpinned = await countUnpinnedDevicesDue(db, { staleBefore });
  logger.debug(result, 'reachability check done');
  return result;
}

type ProbeOutcome = 'reached' | 'host-key-changed' | 'not-reached';

/** Probes one device and records a proof; throws only what is not the device's doing (the database). */
function probeWith(deps: ReachabilityCheckDeps, addressPolicy: AddressPolicy, signal: AbortSignal | undefined) {
  const { db, config, logger } = deps;
  const timeoutMs = config.upgrades.openwrt.connectTimeout * 1000;
  return async (device: DeviceDueForContact): Promise<ProbeOutcome> => {
    try {
      await probeHostKey({
        host: device.host,
        port: device.port,
        addressPolicy,
        pinnedHostKey: device.sshHostKey,
        timeoutMs,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (!(error instanceof SshConnectError)) return 'not-reached'; // aborted: the worker is stopping
      if (error.kind === 'host-key-mismatch') {
        // Another machine at the address, or the device reinstalled: either way a person decides, not the check.
        logger.warn(
          { device: device.id, pinned: device.sshHostKey, presented: error.presentedHostKey },
          `reachability check: the host key of ${device.name} changed; it counts as offline until a person ` +
            'resets its pinned key (POST /api/v1/devices/{id}/reset-host-key/) and an upgrade pins the new one',
        );
        return 'host-key-changed';
      }
      // Unreachable is the common case (a router switched off) and repeats every run: debug only.
      const level = error.kind === 'unreachable' ? 'debug' : 'info';
      logger[level](
        { device: device.id, kind: error.kind, detail: error.detail },
        `reachability check: no contact with ${device.name}: ${error.message}`,
      );
      return 'not-reached';
    }
    await recordDeviceContact(db, device.id);
    // A mass upgrade waiting for this device while it was offline tries it now, as when it registers again.
    if (device.upgradeWaiting) await wakeWaitingUpgrades(db, device.id);
    return 'reached';
  };
}
