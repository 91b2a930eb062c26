import type { SshSession } from '../ssh-session.js';
import {
  FlashNotPerformed,
  RecoverableFailure,
  UpgradeFailed,
  type UpgradeContext,
  type UpgradeSuccess,
} from '../upgrader.js';
import { parseBoardInfo, parseReleaseFile, type BoardInfo } from './device-facts.js';
import { InstalledImage, runsBuild } from './installed.js';
import {
  BOOT_ID_COMMAND,
  bootIdOf,
  joinCommands,
  type OpenWrtRemote,
  type OpenWrtSettings,
  splitAnswers,
} from './remote.js';
import { runSshHealthCheck } from './health-check.js';
import { FLASH_PROCESS_COMMAND, flashProcessFrom, takeoverFinding } from './takeover.js';

/**
 * After the flash command: waiting for the device to reboot and proving it runs the build's release;
 * and, after a takeover of an operation whose flash was recorded, finding out from the device whether
 * the flash happened at all.
 */

function causeOf(error: Error): string | undefined {
  return error.cause === undefined ? undefined : String(error.cause);
}

/** A takeover that must wait for a reboot instead of deciding now, and why. */
interface Waiting {
  waiting: string;
}

/** The after-flash steps of one upgrade. */
export class AfterFlash {
  private readonly ctx: UpgradeContext;
  private readonly settings: OpenWrtSettings;
  private readonly installed: InstalledImage;

  constructor(private readonly remote: OpenWrtRemote) {
    this.ctx = remote.ctx;
    this.settings = remote.settings;
    this.installed = new InstalledImage(remote);
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
      session = await this.remote.connect(this.ctx.device, { afterFlash: true });
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

  /** Waits for the device to reboot and proves it runs the new release. */
  async waitAndVerify(flashedAt: number | null, intro: string, { takenOver = false } = {}): Promise<UpgradeSuccess> {
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
        session = await this.remote.connect(device, { afterFlash: true });
      } catch (error) {
        if (!(error instanceof RecoverableFailure)) throw error;
        lastWaiting = null;
        await this.ctx.log(
          `Reconnection ${attempt} of ${attempts} to ${device.host}:${device.port} failed (${error.message}); next ` +
            `try in ${this.settings.reconnectRetryDelay} s.`,
          'info',
          causeOf(error),
        );
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
      } finally {
        session.close();
      }
      // Asleep without a session: a sleeping operation does not count against the SSH sessions.
      if (attempt < attempts) await this.ctx.sleep(this.settings.reconnectRetryDelay * 1000);
    }
    if (lastWaiting !== null) {
      throw new UpgradeFailed(
        'flash-unconfirmed',
        `${lastWaiting}, still after ${attempts} reconnection attempts. Whether the device flashed could not be ` +
          `told, so the image was not sent again; it is not retried automatically.`,
      );
    }
    throw new UpgradeFailed(
      'unreachable-after-flash',
      `The device did not come back after flashing (${attempts} reconnection attempts). It may still be flashing or ` +
        `be unreachable at a new address; it is not retried automatically.`,
    );
  }

  /**
   * What a device shows after a recorded flash: a new boot (then verified), the build's release
   * already running (success, nothing flashed), proof of no flash, or a reason to wait (sysupgrade
   * running, or an answer that proves nothing). See takeover.ts for the rule.
   */
  private async inspectAfterTakeover(session: SshSession): Promise<UpgradeSuccess | Waiting> {
    const bootId = bootIdOf(await this.remote.run1(session, BOOT_ID_COMMAND));
    if (!this.ctx.bootIdBefore || bootId !== this.ctx.bootIdBefore) {
      await this.ctx.log('The device has booted since the flash was recorded (new boot id): checking what it runs.');
      return this.verifyRunning(session);
    }
    if (this.ctx.kind === 'restore') {
      // A restore keeps the release, so the release proves nothing; restoring the same archive twice changes
      // nothing, so an unproven restore is simply done again.
      throw new FlashNotPerformed(
        'The device is on the same boot as before the restore was recorded (boot id unchanged): the restore is ' +
          'done again.',
      );
    }
    // sysupgrade is a script (stage 1); procd's `upgraded` runs stage 2, which writes the flash.
    const pidof = await this.remote.run1(session, FLASH_PROCESS_COMMAND, { anyExit: true });
    const flashProcess = flashProcessFrom(pidof);
    const release = await this.readRelease(session);
    const runsTarget = release === null ? null : runsBuild(this.ctx, release);
    const sameBoot = 'The device is on the same boot as before the flash was recorded (boot id unchanged)';
    switch (takeoverFinding({ sameBoot: true, flashProcess, runsTarget })) {
      case 'flashing':
        return { waiting: `${sameBoot} and sysupgrade is running` };
      case 'on-target': {
        const description = release!.description || release!.version;
        await this.ctx.log(
          `${sameBoot} and already runs ${description}, the release of this build: it is not flashed again.`,
        );
        await this.installed.writeMarker(session);
        return {
          message:
            `Upgrade not needed: the device already runs ${description}; it was not flashed again after the ` +
            `takeover.`,
          notNeeded: true,
          os: description,
        };
      }
      case 'not-performed':
        throw new FlashNotPerformed(
          `${sameBoot}, no sysupgrade is running and it runs ${release!.description || release!.version}, ` +
            `not ${this.ctx.image.build.os ?? this.ctx.image.build.version}: the flash was never performed.`,
        );
      default: {
        const unsure =
          flashProcess === 'unknown'
            ? `whether sysupgrade is running is unknown ("${FLASH_PROCESS_COMMAND}" exited ` +
              `with ${pidof.code ?? 'no status'}${pidof.stderr.trim() ? `: ${pidof.stderr.trim().slice(0, 200)}` : ''})`
            : 'it did not say which release it runs';
        return { waiting: `${sameBoot}, but ${unsure}` };
      }
    }
  }

  /** The release the device runs (ubus, else /etc/openwrt_release); null when it does not say. */
  private async readRelease(session: SshSession): Promise<BoardInfo['release'] | null> {
    const board = parseBoardInfo((await this.remote.run1(session, 'ubus call system board', { anyExit: true })).stdout);
    const release =
      board?.release ??
      parseReleaseFile((await this.remote.run1(session, 'cat /etc/openwrt_release', { anyExit: true })).stdout);
    return release.description || release.version ? release : null;
  }

  private async verifyRunning(session: SshSession): Promise<UpgradeSuccess> {
    await this.ctx.progress(90);
    const both = await this.remote.run1(session, joinCommands([BOOT_ID_COMMAND, 'ubus call system board']));
    const [bootAnswer = '', boardAnswer = ''] = splitAnswers(both.stdout, 2);
    const bootId = bootAnswer.trim();
    const board = parseBoardInfo(boardAnswer);
    const release =
      board?.release ??
      parseReleaseFile((await this.remote.run1(session, 'cat /etc/openwrt_release', { anyExit: true })).stdout);
    const { os, version } = this.ctx.image.build;
    const expected = os ?? version;
    if (this.ctx.bootIdBefore && bootId === this.ctx.bootIdBefore) {
      throw new UpgradeFailed(
        'not-flashed',
        `The device never rebooted (same boot id) and still runs ${release.description || 'the old release'}: the ` +
          `image was not flashed.`,
      );
    }
    const matches = runsBuild(this.ctx, release);
    if (!matches) {
      throw new UpgradeFailed(
        'not-flashed',
        `The device rebooted but runs ${release.description || 'an unknown release'}, not ${expected}: the image ` +
          `was not flashed (or the build's OS identifier is wrong).`,
      );
    }
    if (board && this.ctx.device.boardName && board.boardName !== this.ctx.device.boardName) {
      throw new UpgradeFailed(
        'board-changed',
        `The device came back as board "${board.boardName}", expected "${this.ctx.device.boardName}".`,
      );
    }
    await this.ctx.log(`Verified: new boot, running ${release.description}.`);
    if (this.ctx.kind === 'restore')
      return { message: `Configuration restored; the device runs ${release.description}.`, os: release.description };
    // The marker first: whatever the health check finds, the device runs this image now.
    await this.installed.writeMarker(session);
    await runSshHealthCheck(this.remote, session, release.description);
    return { message: `Upgraded to ${release.description}.`, os: release.description };
  }
}
