import type { Config } from '../../../platform/config.js';
import { boardFits } from '../../firmware/board-match.js';
import { SshCommandError, SshConnectError, SshSession, type ExecResult } from '../ssh-session.js';
import {
  FlashNotPerformed, RecoverableFailure, UpgradeAborted, UpgradeCancelled, UpgradeFailed,
  type DeviceTarget, type UpgradeContext, type Upgrader, type UpgradeSuccess,
} from '../upgrader.js';
import { parseBoardInfo, parseDfAvailableKb, parseMemAvailableKb, parseReleaseFile, type BoardInfo } from './device-facts.js';
import { normalizeSysupgradeOptions, SYSUPGRADE_OPTIONS, sysupgradeFlags } from './sysupgrade-options.js';
import { FLASH_PROCESS_COMMAND, flashProcessFrom, takeoverFinding } from './takeover.js';

/** Bounds of the OpenWrt upgrader, in seconds (settings `openwrt.*`). */
export type OpenWrtSettings = Config['upgrades']['openwrt'];

/** Where a successful upgrade leaves the image's checksum: an identical image is never flashed again. */
export const CHECKSUM_MARKER = '/etc/fleetflash/firmware.sha256';

const BOOT_ID_COMMAND = 'cat /proc/sys/kernel/random/boot_id';

/** Services that can be stopped to free memory for the image; never dropbear or the network. */
export const NON_CRITICAL_SERVICES = ['uhttpd', 'dnsmasq', 'odhcpd', 'cron', 'rpcd', 'collectd', 'statistics'];

/** Room the image needs besides itself: sysupgrade and its stage-2 ramdisk need some memory too. */
const MEMORY_MARGIN_KB = 4096;
const TMP_MARGIN_KB = 512;

export function openwrtUpgrader(settings: OpenWrtSettings): Upgrader {
  return {
    name: 'openwrt',
    optionDefinitions: SYSUPGRADE_OPTIONS,
    normalizeOptions: normalizeSysupgradeOptions,
    upgrade: (context) => new OpenWrtUpgrade(context, settings).run(),
    verify: (context) => new OpenWrtUpgrade(context, settings).resumeAfterFlash(),
  };
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function causeOf(error: Error): string | undefined {
  return error.cause === undefined ? undefined : String(error.cause);
}

function bootIdOf(result: ExecResult): string {
  return result.stdout.trim();
}

/** A takeover that must wait for a reboot instead of deciding now, and why. */
interface Waiting {
  waiting: string;
}

/** One run of the upgrade; its methods are the checklist, in order. */
class OpenWrtUpgrade {
  private readonly remotePath: string;
  private readonly stopped = new Set<string>();

  constructor(private readonly ctx: UpgradeContext, private readonly settings: OpenWrtSettings) {
    this.remotePath = `/tmp/fleetflash-${ctx.image.sha256.slice(0, 16)}.bin`;
    for (const service of ctx.stoppedServices) this.stopped.add(service);
  }

  private get commandTimeoutMs(): number {
    return this.settings.commandTimeout * 1000;
  }

  async run(): Promise<UpgradeSuccess> {
    const session = await this.connect(this.ctx.device, { afterFlash: false });
    let flashing = false;
    try {
      await this.ctx.progress(10);
      await this.restartServicesLeftStopped(session);
      const board = await this.checkIdentity(session);
      await this.ctx.progress(15);
      const installed = await this.alreadyInstalled(session, board);
      if (installed) return installed;
      await this.ctx.progress(20);
      await this.makeRoom(session);
      await this.ctx.progress(25);
      await this.transfer(session);
      await this.checkTransferredImage(session);
      await this.ctx.progress(62);
      await this.testImage(session);
      await this.ctx.progress(64);
      await this.ctx.recordBootId(bootIdOf(await this.run1(session, BOOT_ID_COMMAND)));
      await this.ctx.beginFlash();
      flashing = true;
      await this.flash(session);
    } catch (error) {
      if (!flashing) await this.cleanUpUnflashed(session);
      throw error;
    } finally {
      session.close();
    }
    return this.waitAndVerify(Date.now(), 'Flash command accepted: waiting');
  }

  /**
   * After a takeover of an operation whose flash was recorded. The dead worker may have died before
   * the flash command reached the device, while sysupgrade ran, or after: only what the device shows
   * is logged. Same boot, no sysupgrade running, another release → the flash never happened
   * (`FlashNotPerformed`); same boot on the build's release → nothing to flash; sysupgrade running,
   * anything uncertain or the device not answering → wait for the reboot; a new boot → verify.
   */
  async resumeAfterFlash(): Promise<UpgradeSuccess> {
    await this.ctx.log('A previous worker recorded the flash; checking whether it happened.', 'warning');
    let session: SshSession;
    try {
      session = await this.connect(this.ctx.device, { afterFlash: true });
    } catch (error) {
      if (!(error instanceof RecoverableFailure)) throw error;
      await this.ctx.log(`The device does not answer (${error.message}): it may be rebooting from the flash.`);
      return this.waitAndVerify(null, 'Waiting', { takenOver: true });
    }
    try {
      const found = await this.inspectAfterTakeover(session);
      if (!('waiting' in found)) return found;
      await this.ctx.log(`${found.waiting}: waiting for it to reboot; the image is not sent again.`, 'warning');
    } finally {
      session.close();
    }
    return this.waitAndVerify(null, 'Waiting', { takenOver: true });
  }

  /**
   * What a device shows after a recorded flash: a new boot (then verified), the build's release
   * already running (success, nothing flashed), proof of no flash, or a reason to wait (sysupgrade
   * running, or an answer that proves nothing). See takeover.ts for the rule.
   */
  private async inspectAfterTakeover(session: SshSession): Promise<UpgradeSuccess | Waiting> {
    const bootId = bootIdOf(await this.run1(session, BOOT_ID_COMMAND));
    if (!this.ctx.bootIdBefore || bootId !== this.ctx.bootIdBefore) {
      await this.ctx.log('The device has booted since the flash was recorded (new boot id): checking what it runs.');
      return this.verifyRunning(session);
    }
    // sysupgrade is a script (stage 1); procd's `upgraded` runs stage 2, which writes the flash.
    const pidof = await this.run1(session, FLASH_PROCESS_COMMAND, { anyExit: true });
    const flashProcess = flashProcessFrom(pidof);
    const release = await this.readRelease(session);
    const runsTarget = release === null ? null : this.runsBuild(release);
    const sameBoot = 'The device is on the same boot as before the flash was recorded (boot id unchanged)';
    switch (takeoverFinding({ sameBoot: true, flashProcess, runsTarget })) {
      case 'flashing':
        return { waiting: `${sameBoot} and sysupgrade is running` };
      case 'on-target': {
        const description = release!.description || release!.version;
        await this.ctx.log(`${sameBoot} and already runs ${description}, the release of this build: it is not flashed again.`);
        await this.writeMarker(session);
        return { message: `Upgrade not needed: the device already runs ${description}; it was not flashed again after the takeover.`, notNeeded: true, os: description };
      }
      case 'not-performed':
        throw new FlashNotPerformed(`${sameBoot}, no sysupgrade is running and it runs ${release!.description || release!.version}, not ${this.ctx.image.build.os ?? this.ctx.image.build.version}: the flash was never performed.`);
      default: {
        const unsure = flashProcess === 'unknown'
          ? `whether sysupgrade is running is unknown ("${FLASH_PROCESS_COMMAND}" exited with ${pidof.code ?? 'no status'}${pidof.stderr.trim() ? `: ${pidof.stderr.trim().slice(0, 200)}` : ''})`
          : 'it did not say which release it runs';
        return { waiting: `${sameBoot}, but ${unsure}` };
      }
    }
  }

  /** The release the device runs (ubus, else /etc/openwrt_release); null when it does not say. */
  private async readRelease(session: SshSession): Promise<BoardInfo['release'] | null> {
    const board = parseBoardInfo((await this.run1(session, 'ubus call system board', { anyExit: true })).stdout);
    const release = board?.release ?? parseReleaseFile((await this.run1(session, 'cat /etc/openwrt_release', { anyExit: true })).stdout);
    return release.description || release.version ? release : null;
  }

  /** Whether a release is the build's: its OS identifier when the build has one, else its version. */
  private runsBuild(release: BoardInfo['release']): boolean {
    const { os, version } = this.ctx.image.build;
    return os ? release.description === os : release.version === version;
  }

  // --- the steps ---------------------------------------------------------------------------

  private async connect(device: DeviceTarget, { afterFlash }: { afterFlash: boolean }): Promise<SshSession> {
    // After `sysupgrade -n` the device comes back with a new host key: accept it and pin it anew.
    const acceptAnyKey = afterFlash && this.ctx.options.n === true;
    const expected = acceptAnyKey ? null : device.pinnedHostKey;
    try {
      const session = await SshSession.connect({
        host: device.host,
        port: device.port,
        addressPolicy: this.ctx.addressPolicy,
        credentials: this.ctx.credentials,
        expectedHostKey: expected,
        timeoutMs: this.settings.connectTimeout * 1000,
        signal: this.ctx.signal,
      });
      if (session.hostKey !== device.pinnedHostKey) {
        await this.ctx.pinHostKey(session.hostKey);
        await this.ctx.log(device.pinnedHostKey ? `Pinned the new SSH host key ${session.hostKey} (configuration was reset by -n).` : `Pinned the SSH host key ${session.hostKey} (first connection).`);
      }
      if (!afterFlash) await this.ctx.log(`Connected to ${device.host}:${device.port} as ${this.ctx.credentials.username}.`);
      return session;
    } catch (error) {
      this.throwIfAborted();
      if (error instanceof SshConnectError) {
        if (error.kind === 'host-key-mismatch') {
          const message = `SSH host key mismatch on ${device.host}:${device.port}: ${error.message}. This may be another device at that address (or an attack). If the device was legitimately reinstalled, an admin can reset the pin (POST /api/v1/devices/${device.id}/reset-host-key/).`;
          if (afterFlash) throw new UpgradeFailed('host-key-mismatch', message);
          throw new UpgradeAborted('host-key-mismatch', message);
        }
        if (error.kind === 'auth-failed') {
          const message = `${device.host}:${device.port} refused the credentials of user "${this.ctx.credentials.username}": check the device's SSH credentials.`;
          if (afterFlash) throw new UpgradeFailed('auth-failed', message);
          throw new UpgradeAborted('auth-failed', message);
        }
        if (error.kind === 'address-not-allowed') {
          const message = `Cannot connect to ${device.host}:${device.port}: ${error.message}. The device was not contacted; change its address, or ask the server's operator to change the setting.`;
          // What the name resolved to goes to the server log only (see AddressNotAllowed).
          const detail = error.detail === undefined ? {} : { cause: error.detail };
          if (afterFlash) throw new UpgradeFailed('address-not-allowed', message, detail);
          throw new UpgradeAborted('address-not-allowed', message, detail);
        }
        throw new RecoverableFailure('unreachable', `Cannot connect to ${device.host}:${device.port}: ${error.message}.`, { cause: error.detail });
      }
      throw error;
    }
  }

  /** The device must be the board the image is built for (unless forced with -F). */
  private async checkIdentity(session: SshSession): Promise<BoardInfo> {
    const result = await this.run1(session, 'ubus call system board');
    const board = parseBoardInfo(result.stdout);
    if (!board) throw new UpgradeAborted('unknown-device', `The device did not describe itself (ubus call system board answered: ${result.stdout.slice(0, 200) || result.stderr.slice(0, 200)}).`);
    const fits = boardFits(this.ctx.image.boards, board);
    if (!fits) {
      const message = `The device reports board "${board.boardName}" (${board.model}), but the image is built for ${this.ctx.image.boards.join(', ')}.`;
      if (!this.ctx.options.F) throw new UpgradeAborted('board-mismatch', `${message} Nothing was changed.`);
      await this.ctx.log(`${message} Continuing because -F (force) was chosen.`, 'warning');
    } else {
      await this.ctx.log(`Device identified: ${board.model} (${board.boardName}), running ${board.release.description || 'an unknown release'}.`);
    }
    return board;
  }

  /**
   * An image recorded by an earlier upgrade, or the build's release already running: nothing to do,
   * unless a re-flash was requested. Every outcome of the check is logged.
   */
  private async alreadyInstalled(session: SshSession, board: BoardInfo): Promise<UpgradeSuccess | null> {
    const marker = (await this.run1(session, `cat ${CHECKSUM_MARKER} 2>/dev/null`, { anyExit: true })).stdout.trim();
    const { os, version } = this.ctx.image.build;
    const running = this.runsBuild(board.release);
    const found = marker === this.ctx.image.sha256
      ? `this exact image was installed by an earlier upgrade (the checksum marker ${CHECKSUM_MARKER} matches)`
      : running ? `the device already runs ${board.release.description}, the release of this build` : null;
    if (found === null) {
      await this.ctx.log(`Already installed? No: ${marker ? 'the checksum marker names another image' : 'no checksum marker'}, and the device runs ${board.release.description || 'an unknown release'}, not ${os ?? version}.`);
      return null;
    }
    if (this.ctx.reinstall) {
      await this.ctx.log(`Already installed? Yes: ${found}. Flashing anyway: a re-flash was requested ("installed": false).`, 'warning');
      return null;
    }
    await this.ctx.log(`Already installed? Yes: ${found}: upgrade not needed.`);
    if (marker !== this.ctx.image.sha256) await this.writeMarker(session);
    return { message: `Upgrade not needed: ${marker === this.ctx.image.sha256 ? 'this image is already installed' : `the device already runs ${board.release.description}`}.`, notNeeded: true, os: board.release.description };
  }

  /** Enough RAM and /tmp for the image; drop caches, then stop non-critical services, only if needed. */
  private async makeRoom(session: SshSession): Promise<void> {
    const imageKb = Math.ceil(this.ctx.image.size / 1024);
    const measure = async () => {
      const meminfo = await this.run1(session, 'cat /proc/meminfo');
      const df = await this.run1(session, 'df -k /tmp');
      return { memKb: parseMemAvailableKb(meminfo.stdout), tmpKb: parseDfAvailableKb(df.stdout) };
    };
    const enough = ({ memKb, tmpKb }: { memKb: number | null; tmpKb: number | null }) =>
      (memKb === null || memKb >= imageKb + MEMORY_MARGIN_KB) && (tmpKb === null || tmpKb >= imageKb + TMP_MARGIN_KB);
    const describe = ({ memKb, tmpKb }: { memKb: number | null; tmpKb: number | null }) =>
      `${memKb === null ? '?' : Math.floor(memKb / 1024)} MiB of memory and ${tmpKb === null ? '?' : Math.floor(tmpKb / 1024)} MiB in /tmp available, the image needs ${(imageKb / 1024).toFixed(1)} MiB`;

    let room = await measure();
    if (enough(room)) {
      await this.ctx.log(`Room for the image: ${describe(room)}.`);
      return;
    }
    await this.ctx.log(`Not enough room yet (${describe(room)}): dropping caches.`, 'warning');
    await this.run1(session, 'rm -rf /tmp/opkg-lists && sync && echo 3 > /proc/sys/vm/drop_caches', { anyExit: true });
    room = await measure();
    if (enough(room)) {
      await this.ctx.log(`Room for the image after dropping caches: ${describe(room)}.`);
      return;
    }
    const present = (await this.run1(session, `ls /etc/init.d/`, { anyExit: true })).stdout.split(/\s+/);
    const toStop = NON_CRITICAL_SERVICES.filter((service) => present.includes(service) && !this.stopped.has(service));
    await this.ctx.log(`Still not enough room (${describe(room)}): stopping non-critical services ${toStop.join(', ') || '(none found)'}. They are restarted if the upgrade does not go ahead.`, 'warning');
    for (const service of toStop) this.stopped.add(service);
    await this.ctx.recordStoppedServices([...this.stopped]);
    for (const service of toStop) await this.run1(session, `/etc/init.d/${service} stop`, { anyExit: true });
    await this.run1(session, 'sync && echo 3 > /proc/sys/vm/drop_caches', { anyExit: true });
    room = await measure();
    if (!enough(room)) {
      throw new UpgradeAborted('insufficient-memory', `Not enough room for the image even with services stopped: ${describe(room)}. Nothing was changed; the services were restarted.`);
    }
    await this.ctx.log(`Room for the image with services stopped: ${describe(room)}.`);
  }

  /** Streams the image through the SSH channel into /tmp. */
  private async transfer(session: SshSession): Promise<void> {
    const { size } = this.ctx.image;
    await this.ctx.log(`Sending the image (${(size / 1048576).toFixed(1)} MiB) to ${this.remotePath}.`);
    const started = Date.now();
    let sent = 0;
    let reported = 25;
    let pending: Promise<void> = Promise.resolve();
    let result: ExecResult;
    try {
      result = await session.exec(`cat > ${quote(this.remotePath)}`, {
        timeoutMs: Math.max(this.commandTimeoutMs, this.settings.commandTimeout * 1000 + size / 50),
        signal: this.ctx.signal,
        stdin: this.ctx.image.open(),
        onStdinBytes: (bytes) => {
          sent += bytes;
          const percent = 25 + Math.floor((sent / Math.max(size, 1)) * 35);
          // Progress in steps of 5 %: a row update per step, not per chunk.
          if (percent >= reported + 5) {
            reported = percent - (percent % 5);
            const at = reported;
            pending = pending.then(() => this.ctx.progress(at)).catch(() => {});
          }
        },
      });
    } catch (error) {
      this.throwIfAborted();
      throw new RecoverableFailure('transfer-interrupted', `The transfer broke off after ${sent} of ${size} bytes: ${(error as Error).message}.`);
    }
    await pending;
    this.throwIfAborted();
    if (result.code !== 0 || sent !== size) {
      throw new RecoverableFailure('transfer-interrupted', `The transfer broke off after ${sent} of ${size} bytes${result.stderr ? `: ${result.stderr.trim()}` : ''}.`);
    }
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    await this.ctx.log(`Image sent in ${seconds.toFixed(1)} s (${(size / 1048576 / seconds).toFixed(1)} MiB/s).`);
  }

  /** The device's own sha256sum of what it received must be the image's. */
  private async checkTransferredImage(session: SshSession): Promise<void> {
    const result = await this.run1(session, `sha256sum ${quote(this.remotePath)}`, { anyExit: true });
    const received = result.stdout.trim().split(/\s+/)[0] ?? '';
    if (received !== this.ctx.image.sha256) {
      throw new RecoverableFailure('checksum-mismatch', `The image arrived damaged: the device computed sha256 ${received || '(none)'}, expected ${this.ctx.image.sha256}.`);
    }
    await this.ctx.log('The device confirmed the image checksum.');
  }

  /** `sysupgrade -T`: the device's own checks (board, metadata, format) before anything is written. */
  private async testImage(session: SshSession): Promise<void> {
    const force = this.ctx.options.F ? ' -F' : '';
    const result = await this.run1(session, `sysupgrade -T${force} ${quote(this.remotePath)}`, { anyExit: true });
    if (result.code !== 0) {
      const output = `${result.stdout}${result.stderr}`.trim();
      throw new UpgradeAborted('image-rejected', `The device rejected the image (sysupgrade -T exited with ${result.code}): ${output || 'no output'}. Nothing was changed.`);
    }
    await this.ctx.log('The device accepted the image (sysupgrade -T).');
  }

  /**
   * Flashes. sysupgrade closes every session when it commences, so the connection dropping is the
   * expected answer, whatever the exit status; a quick non-zero exit with no "Commencing" means
   * the device refused and did not flash.
   */
  private async flash(session: SshSession): Promise<void> {
    const command = ['sysupgrade', '-v', ...sysupgradeFlags(this.ctx.options), quote(this.remotePath)].join(' ');
    await this.ctx.log(`Flashing: ${command}`);
    let result: ExecResult;
    try {
      // Not tied to the operation's signal: once flashing, a cancel is refused and the command must be let run.
      result = await session.exec(command, { timeoutMs: this.settings.upgradeTimeout * 1000 });
    } catch (error) {
      if (error instanceof SshCommandError && error.kind === 'timeout') {
        await this.ctx.log(`sysupgrade kept the session open for ${this.settings.upgradeTimeout} s; closing it and waiting for the device.`, 'warning');
        return;
      }
      throw error;
    }
    const output = `${result.stdout}${result.stderr}`.trim();
    if (output) await this.ctx.log(`sysupgrade: ${output.split('\n').slice(-10).join(' | ')}`);
    const commenced = /commencing upgrade/i.test(output);
    if (!result.dropped && result.code !== 0 && !commenced) {
      throw new UpgradeAborted('flash-refused', `sysupgrade refused to flash (exit status ${result.code}): ${output || 'no output'}. The device was not flashed.`);
    }
  }

  /** Waits for the device to reboot and proves it runs the new release. */
  private async waitAndVerify(flashedAt: number | null, intro: string, { takenOver = false } = {}): Promise<UpgradeSuccess> {
    await this.ctx.progress(70);
    const delay = this.settings.reconnectDelay * 1000 - (flashedAt === null ? 0 : Date.now() - flashedAt);
    await this.ctx.log(`${intro} ${Math.round(Math.max(delay, 0) / 100) / 10} s for the device to reboot.`);
    if (delay > 0) await this.ctx.sleep(delay);
    const attempts = this.settings.reconnectMaxRetries;
    // What the device showed at the last attempt when it answered on the same boot (takeover only).
    let lastWaiting: string | null = null;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const device = await this.ctx.refreshDevice();
      let session: SshSession;
      try {
        session = await this.connect(device, { afterFlash: true });
      } catch (error) {
        if (!(error instanceof RecoverableFailure)) throw error;
        lastWaiting = null;
        await this.ctx.log(`Reconnection ${attempt} of ${attempts} to ${device.host}:${device.port} failed (${error.message}); next try in ${this.settings.reconnectRetryDelay} s.`, 'info', causeOf(error));
        await this.ctx.progress(Math.min(89, 70 + Math.floor((attempt / attempts) * 19)));
        if (attempt < attempts) await this.ctx.sleep(this.settings.reconnectRetryDelay * 1000);
        continue;
      }
      try {
        await this.ctx.log(`Reconnected to ${device.host}:${device.port} (attempt ${attempt}).`);
        if (!takenOver) return await this.verifyRunning(session);
        // After a takeover nobody saw the flash start: the device may still prove it never happened.
        const found = await this.inspectAfterTakeover(session);
        if (!('waiting' in found)) return found;
        lastWaiting = found.waiting;
        await this.ctx.log(`${found.waiting}; next try in ${this.settings.reconnectRetryDelay} s.`);
        if (attempt < attempts) await this.ctx.sleep(this.settings.reconnectRetryDelay * 1000);
      } finally {
        session.close();
      }
    }
    if (lastWaiting !== null) {
      throw new UpgradeFailed('flash-unconfirmed', `${lastWaiting}, still after ${attempts} reconnection attempts. Whether the device flashed could not be told, so the image was not sent again; it is not retried automatically.`);
    }
    throw new UpgradeFailed('unreachable-after-flash', `The device did not come back after flashing (${attempts} reconnection attempts). It may still be flashing or be unreachable at a new address; it is not retried automatically.`);
  }

  private async verifyRunning(session: SshSession): Promise<UpgradeSuccess> {
    await this.ctx.progress(90);
    const bootId = bootIdOf(await this.run1(session, BOOT_ID_COMMAND));
    const board = parseBoardInfo((await this.run1(session, 'ubus call system board')).stdout);
    const release = board?.release ?? parseReleaseFile((await this.run1(session, 'cat /etc/openwrt_release', { anyExit: true })).stdout);
    const { os, version } = this.ctx.image.build;
    const expected = os ?? version;
    if (this.ctx.bootIdBefore && bootId === this.ctx.bootIdBefore) {
      throw new UpgradeFailed('not-flashed', `The device never rebooted (same boot id) and still runs ${release.description || 'the old release'}: the image was not flashed.`);
    }
    const matches = this.runsBuild(release);
    if (!matches) {
      throw new UpgradeFailed('not-flashed', `The device rebooted but runs ${release.description || 'an unknown release'}, not ${expected}: the image was not flashed (or the build's OS identifier is wrong).`);
    }
    if (board && this.ctx.device.boardName && board.boardName !== this.ctx.device.boardName) {
      throw new UpgradeFailed('board-changed', `The device came back as board "${board.boardName}", expected "${this.ctx.device.boardName}".`);
    }
    await this.ctx.log(`Verified: new boot, running ${release.description}.`);
    await this.writeMarker(session);
    return { message: `Upgraded to ${release.description}.`, os: release.description };
  }

  // --- helpers -----------------------------------------------------------------------------

  /** Leaves the image's checksum on the device, so that this image is never flashed on it again by accident. */
  private async writeMarker(session: SshSession): Promise<void> {
    const result = await this.run1(session, `mkdir -p ${CHECKSUM_MARKER.slice(0, CHECKSUM_MARKER.lastIndexOf('/'))} && echo ${this.ctx.image.sha256} > ${CHECKSUM_MARKER}`, { anyExit: true });
    if (result.code === 0) await this.ctx.log(`Wrote the checksum marker ${CHECKSUM_MARKER}.`);
    else await this.ctx.log(`Could not write the checksum marker ${CHECKSUM_MARKER} (exit status ${result.code}): ${(result.stderr || result.stdout).trim().slice(0, 200) || 'no output'}. The upgrade stands; only the already-installed check will rely on the running release.`, 'warning');
  }

  /** Restarts services a crashed earlier attempt left stopped. */
  private async restartServicesLeftStopped(session: SshSession): Promise<void> {
    if (this.stopped.size === 0) return;
    await this.ctx.log(`Restarting services an interrupted attempt left stopped: ${[...this.stopped].join(', ')}.`, 'warning');
    await this.restartStoppedServices(session, this.ctx.signal);
  }

  private async restartStoppedServices(session: SshSession, signal?: AbortSignal): Promise<void> {
    for (const service of this.stopped) {
      await session.exec(`/etc/init.d/${service} start`, { timeoutMs: this.commandTimeoutMs, ...(signal ? { signal } : {}) }).catch(() => {});
    }
    this.stopped.clear();
    await this.ctx.recordStoppedServices([]).catch(() => {});
  }

  /**
   * On every path that does not flash: restart what was stopped, remove the copied image. Runs even
   * after a cancel or time-out (so not under the operation's aborted signal), with its own bounds.
   */
  private async cleanUpUnflashed(session: SshSession): Promise<void> {
    if (session.isClosed) return;
    const hadStopped = this.stopped.size > 0;
    await this.restartStoppedServices(session);
    await session.exec(`rm -f ${quote(this.remotePath)}`, { timeoutMs: this.commandTimeoutMs }).catch(() => {});
    if (hadStopped) await this.ctx.log('Restarted the services stopped for the upgrade.').catch(() => {});
  }

  private throwIfAborted(): void {
    if (this.ctx.signal.aborted) {
      const reason = this.ctx.signal.reason as unknown;
      throw reason instanceof Error ? reason : new UpgradeCancelled();
    }
  }

  /** Runs one command; a non-zero exit is an error unless `anyExit`. A dropped connection is recoverable. */
  private async run1(session: SshSession, command: string, options: { anyExit?: boolean } = {}): Promise<ExecResult> {
    let result: ExecResult;
    try {
      result = await session.exec(command, { timeoutMs: this.commandTimeoutMs, signal: this.ctx.signal });
    } catch (error) {
      this.throwIfAborted();
      throw new RecoverableFailure('connection-lost', `"${command}" failed: ${(error as Error).message}.`);
    }
    if (result.dropped) throw new RecoverableFailure('connection-lost', `The connection dropped while running "${command}".`);
    if (!options.anyExit && result.code !== 0) {
      throw new UpgradeAborted('command-failed', `"${command}" failed with exit status ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 300)}`);
    }
    return result;
  }
}
