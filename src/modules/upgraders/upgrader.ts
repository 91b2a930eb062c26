import type { Readable } from 'node:stream';
import type { AddressPolicy } from '../../platform/address-policy.js';
import type { BackupMode } from './backup-modes.js';
import type { OperationErrorCode } from './error-codes.js';
import type { HealthCheckToRun } from './health-probes.js';

/**
 * The contract between the upgrade engine and an upgrader plugin. An upgrader knows how to move an
 * image onto one kind of device and flash it; the engine (src/modules/upgrades/operation-runner.ts)
 * owns everything around it: leases, retries, time limits, cancellation, the log, the outcome.
 *
 * An upgrader reports how it ended by returning an `UpgradeSuccess` or throwing one of the outcome
 * errors below. Anything else it throws is an unexpected failure (the operation fails).
 */

/** One boolean option the upgrader accepts (OpenWrt: the sysupgrade flags). */
export interface UpgradeOptionDefinition {
  key: string;
  label: string;
  description: string;
  default: boolean;
  /** Shown with a warning and confirmed in the UI (it can leave a device unreachable). */
  dangerous: boolean;
}

export interface Upgrader {
  /** Shown in logs and the API, e.g. "openwrt". */
  readonly name: string;
  readonly optionDefinitions: readonly UpgradeOptionDefinition[];
  /**
   * What the upgrader does beyond flashing. `backup: true`: it takes the configuration backup itself
   * per `context.backupMode` (through `keepBackup`). Without it the engine refuses to flash an upgrade
   * whose backup option is `required` and that kept no backup (`backup-failed`), rather than flash
   * with none.
   */
  readonly capabilities?: { readonly backup?: boolean };
  /** Fills defaults and checks combinations; throws AppError('InvalidUpgradeOptions') naming the options. */
  normalizeOptions(input: Record<string, unknown>): Record<string, boolean>;
  /** Runs the whole upgrade. */
  upgrade(context: UpgradeContext): Promise<UpgradeSuccess>;
  /**
   * Restores a configuration backup (optional: an upgrader without it cannot restore). `context.image`
   * is then the backup's archive, and its `build` the release the device runs and must still run after
   * the reboot. The same outcome errors, `beginFlash` before the configuration changes, proof of boot after.
   */
  restore?(context: UpgradeContext): Promise<UpgradeSuccess>;
  /**
   * Resumes an operation whose flash was recorded (`beginFlash`) when its worker died: never flash
   * again, only find out what happened and verify what the device runs. When the device proves the
   * flash was never performed (same boot as before, no flash running, old release), throw
   * `FlashNotPerformed`: the engine then continues the same operation with `upgrade`, within its attempts.
   */
  verify(context: UpgradeContext): Promise<UpgradeSuccess>;
}

/** How to log in to the device (decrypted by the engine; never logged). */
export interface SshCredentials {
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

/** The device as the engine knows it now (re-read on `refreshDevice`: its address may change). */
export interface DeviceTarget {
  id: string;
  name: string;
  host: string;
  port: number;
  boardName: string;
  model: string;
  os: string;
  /** SHA-256 fingerprint of the pinned host key ("SHA256:…"), or null before the first connection. */
  pinnedHostKey: string | null;
}

export interface ImageTarget {
  sha256: string;
  size: number;
  fileName: string;
  /** Board names the image fits. */
  boards: string[];
  /** The build the image belongs to: what the device should run afterwards. */
  build: { version: string; os: string | null };
  /** A fresh stream of the image's bytes. */
  open(): Readable;
}

export interface UpgradeContext {
  readonly operationId: string;
  /** `upgrade`: install `image`; `restore`: put back the configuration backup `image` holds (see `restore`). */
  readonly kind: 'upgrade' | 'restore';
  readonly attempt: number;
  readonly device: DeviceTarget;
  readonly credentials: SshCredentials;
  readonly image: ImageTarget;
  /**
   * An http(s) URL the device may download `image` from itself, for an upgrade when the setting
   * `openwrt.image_transfer` is `pull` (null otherwise). It holds a ticket for this operation and device,
   * answered while the operation runs; check what arrived (its sha256) as after any transfer.
   */
  readonly imageDownloadUrl: string | null;
  readonly options: Record<string, boolean>;
  /**
   * The networks devices may be reached at (settings `devices.*`): pass it to `SshSession.connect`,
   * or check every address with it before connecting any other way.
   */
  readonly addressPolicy: AddressPolicy;
  /** Aborted on cancel, on the task timeout, or when the operation's lease is lost. */
  readonly signal: AbortSignal;
  /** Boot id recorded before flashing (by this attempt or a crashed one). */
  readonly bootIdBefore: string | null;
  /**
   * Flash even if the device already runs this image (the device firmware was set with
   * `installed: false`): the already-installed check is logged but does not end the upgrade.
   */
  readonly reinstall: boolean;
  /**
   * What to do about a configuration backup before flashing (the operation's `backup` option):
   * `required` ends the upgrade with `backup-failed` when none can be kept, `best-effort` logs and
   * goes on, `off` takes none.
   */
  readonly backupMode: BackupMode;
  /**
   * An earlier attempt of this operation, or the upgrade it retries (following retries back), kept a
   * backup already: take no second one (the first is the configuration before the first flash).
   */
  readonly backupKept: boolean;
  /**
   * Checks and keeps the configuration backup fetched from the device, with the release the device
   * runs. Rejects when the archive is not a readable gzip tar (the message says why).
   */
  keepBackup(archive: Buffer, release: string): Promise<{ sha256: string; size: number; files: number }>;
  /**
   * The probes to run after proof of boot of an upgrade (null: none). A failing probe ends the upgrade
   * with `UpgradeFailed('health-check-failed')`; run them with `runHealthProbes` (health-probes.ts).
   */
  readonly healthCheck: HealthCheckToRun | null;
  /** Services a crashed attempt stopped on the device and did not restart. */
  readonly stoppedServices: readonly string[];
  /**
   * Appends a line to the operation's log, which the device's organization reads. `serverDetail`
   * (e.g. the precise cause of a connection failure) goes to the server log only.
   */
  log(message: string, level?: 'info' | 'warning' | 'error', serverDetail?: string): Promise<void>;
  /** Records progress (0–100). Throws UpgradeCancelled if the operation was cancelled meanwhile. */
  progress(percent: number): Promise<void>;
  /**
   * The point of no return: atomically records that flashing starts, unless the operation was cancelled.
   * With `bootIdBefore`, records the device's boot id in the same write (one statement instead of two).
   */
  beginFlash(bootIdBefore?: string): Promise<void>;
  recordBootId(bootId: string): Promise<void>;
  recordStoppedServices(services: readonly string[]): Promise<void>;
  /** Pins the host key seen on the first successful connection, or replaces it after a flash that reset it. */
  pinHostKey(fingerprint: string): Promise<void>;
  refreshDevice(): Promise<DeviceTarget>;
  /**
   * Records that the device answered: call it after every successful connection (the fleet view's
   * "reachable" and "last seen" come from it).
   */
  deviceReached(): Promise<void>;
  /**
   * Records the release the device proved it runs after the reboot when the upgrade then fails anyway (a
   * health check): the device is on that release, and a restore afterwards expects it. Best effort.
   */
  deviceRuns(os: string): Promise<void>;
  /**
   * Waits, waking early (and throwing) when the operation is aborted, or (returning) when a `wake`
   * notification for the operation arrives (notifyWorkers: the pull agent reported). A sleeping operation costs a
   * timer only: it does not count against the worker's SSH sessions (setting `upgrade_max_ssh_sessions`),
   * so close any session before sleeping.
   */
  sleep(milliseconds: number): Promise<void>;
  /**
   * Waits for one of the worker's image-transfer slots (setting `upgrade_max_transfers`); call the
   * function it resolves with when the transfer ends. Throws the abort reason if aborted while waiting.
   */
  transferSlot(): Promise<() => void>;
}

export interface UpgradeSuccess {
  message: string;
  /** The image was already installed: nothing was flashed. */
  notNeeded?: boolean;
  /** The OS string the device now reports, recorded on the device. */
  os?: string;
}

/**
 * Base of the outcome errors; `code` becomes the operation's error_code and `message` a line of its
 * log. A `cause` (say, the exact network error) is written to the server log only. Codes come from
 * the closed set in error-codes.ts; a code of the upgrader's own is recorded as `upgrader-error` and
 * named in the log line.
 */
export abstract class UpgradeOutcome extends Error {
  // `string & {}` keeps the known codes suggested while a custom upgrader may still pass its own.
  constructor(
    readonly code: OperationErrorCode | (string & {}),
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A failure worth retrying: the device was not touched (cannot connect, transfer broken, bad checksum). */
export class RecoverableFailure extends UpgradeOutcome {}

/** A precondition failed: nothing was changed on the device. */
export class UpgradeAborted extends UpgradeOutcome {}

/** The upgrade failed, possibly after flashing; not retried. */
export class UpgradeFailed extends UpgradeOutcome {}

/**
 * Thrown by `verify` only: the flash a crashed worker recorded provably never happened, so the
 * device is untouched and the upgrade may start again from the transfer.
 */
export class FlashNotPerformed extends UpgradeOutcome {
  constructor(message: string) {
    super('not-flashed', message);
  }
}

/** A person cancelled the operation before flashing began. */
export class UpgradeCancelled extends UpgradeOutcome {
  constructor(message = 'Upgrade cancelled.') {
    super('cancelled', message);
  }
}
