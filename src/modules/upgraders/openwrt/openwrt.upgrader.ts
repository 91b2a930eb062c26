import { boardFits } from '../../firmware/board-match.js';
import { SshCommandError, type ExecResult, type SshSession } from '../ssh-session.js';
import {
  RecoverableFailure,
  UpgradeAborted,
  type UpgradeContext,
  type Upgrader,
  type UpgradeSuccess,
} from '../upgrader.js';
import { AfterFlash } from './after-flash.js';
import { ConfigBackup } from './config-backup.js';
import { parseBoardInfo, type BoardInfo } from './device-facts.js';
import { runSshHealthCheck } from './health-check.js';
import { ImagePull } from './image-pull.js';
import { CHECKSUM_MARKER, InstalledImage } from './installed.js';
import {
  BOOT_ID_COMMAND,
  joinCommands,
  OpenWrtRemote,
  quote,
  sha256In,
  splitAnswers,
  type OpenWrtSettings,
} from './remote.js';
import { OpenWrtRestore } from './restore.js';
import { ImageRoom } from './room.js';
import { TRANSFER_PROGRESS, TransferSteps } from './transfer-progress.js';
import { normalizeSysupgradeOptions, SYSUPGRADE_OPTIONS, sysupgradeFlags } from './sysupgrade-options.js';

export type { OpenWrtSettings } from './remote.js';

export function openwrtUpgrader(settings: OpenWrtSettings): Upgrader {
  return {
    name: 'openwrt',
    optionDefinitions: SYSUPGRADE_OPTIONS,
    capabilities: { backup: true },
    normalizeOptions: normalizeSysupgradeOptions,
    upgrade: (context) => new OpenWrtUpgrade(context, settings).run(),
    restore: (context) => new OpenWrtRestore(context, settings).run(),
    verify: (context) => new AfterFlash(new OpenWrtRemote(context, settings)).resumeAfterFlash(),
  };
}

/**
 * One run of the upgrade; its methods are the checklist, in order. The room for the image
 * (room.ts), the already-installed check (installed.ts) and everything after the flash command
 * (after-flash.ts) are steps of their own.
 */
class OpenWrtUpgrade {
  private readonly remotePath: string;
  private readonly remote: OpenWrtRemote;
  private readonly installed: InstalledImage;
  private readonly room: ImageRoom;
  private readonly afterFlash: AfterFlash;
  private readonly backup: ConfigBackup;

  constructor(
    private readonly ctx: UpgradeContext,
    private readonly settings: OpenWrtSettings,
  ) {
    this.remotePath = `/tmp/fleetflash-${ctx.image.sha256.slice(0, 16)}.bin`;
    this.remote = new OpenWrtRemote(ctx, settings);
    this.installed = new InstalledImage(this.remote);
    this.room = new ImageRoom(this.remote);
    this.afterFlash = new AfterFlash(this.remote);
    this.backup = new ConfigBackup(this.remote);
  }

  async run(): Promise<UpgradeSuccess> {
    const session = await this.remote.connect(this.ctx.device, { afterFlash: false });
    let flashing = false;
    try {
      await this.ctx.progress(10);
      await this.room.restartServicesLeftStopped(session);
      const look = await this.firstLook(session);
      const board = await this.checkIdentity(look.board);
      await this.ctx.progress(15);
      const installed = await this.installed.alreadyInstalled(session, board, look.marker);
      if (installed) {
        // Nothing to flash, but the upgrade still answers for the device's health (a retry after a failed check).
        await runSshHealthCheck(this.remote, session);
        return installed;
      }
      await this.ctx.progress(18);
      // Before anything changes on the device (room, transfer): the backup is of the configuration as it runs.
      await this.backup.take(session, board.release.description || this.ctx.device.os);
      await this.ctx.progress(20);
      await this.room.makeRoom(session);
      await this.ctx.progress(TRANSFER_PROGRESS.from);
      await this.transfer(session);
      await this.ctx.progress(62);
      await this.testImage(session);
      await this.ctx.progress(64);
      // The boot id read at the first look: the same boot, as the session would not have outlived a reboot.
      await this.ctx.beginFlash(look.bootId);
      flashing = true;
      await this.flash(session);
    } catch (error) {
      if (!flashing) await this.cleanUpUnflashed(session);
      throw error;
    } finally {
      session.close();
    }
    return this.afterFlash.waitAndVerify(Date.now(), 'Flash command accepted: waiting');
  }

  // --- the steps ---------------------------------------------------------------------------

  /**
   * What the checks before the transfer read from the device, in one command: the checksum marker of an
   * earlier upgrade (may be missing), the boot id (recorded before the flash) and `ubus call system board`.
   */
  private async firstLook(session: SshSession): Promise<{ marker: string; bootId: string; board: ExecResult }> {
    const result = await this.remote.run1(
      session,
      joinCommands([BOOT_ID_COMMAND, 'ubus call system board'], `cat ${CHECKSUM_MARKER} 2>/dev/null`),
    );
    const [marker = '', bootId = '', board = ''] = splitAnswers(result.stdout, 3);
    return { marker: marker.trim(), bootId: bootId.trim(), board: { ...result, stdout: board } };
  }

  /** The device must be the board the image is built for (unless forced with -F). */
  private async checkIdentity(result: ExecResult): Promise<BoardInfo> {
    const board = parseBoardInfo(result.stdout);
    if (!board)
      throw new UpgradeAborted(
        'unknown-device',
        `The device did not describe itself (ubus call system board ` +
          `answered: ${result.stdout.slice(0, 200) || result.stderr.slice(0, 200)}).`,
      );
    const fits = boardFits(this.ctx.image.boards, board);
    if (!fits) {
      const message =
        `The device reports board "${board.boardName}" (${board.model}), but the image is built ` +
        `for ${this.ctx.image.boards.join(', ')}.`;
      if (!this.ctx.options.F) throw new UpgradeAborted('board-mismatch', `${message} Nothing was changed.`);
      await this.ctx.log(`${message} Continuing because -F (force) was chosen.`, 'warning');
    } else {
      await this.ctx.log(
        `Device identified: ${board.model} (${board.boardName}), ` +
          `running ${board.release.description || 'an unknown release'}.`,
      );
    }
    return board;
  }

  /**
   * Puts the image into /tmp: downloaded by the device when the server hands out a download URL (setting
   * `openwrt.image_transfer: pull`), else, or when that download fails, streamed through the SSH session;
   * either way the device's own checksum of what arrived is the image's (a pull checks it before it counts).
   */
  private async transfer(session: SshSession): Promise<void> {
    // Transfers cost CPU, bandwidth and memory: the worker bounds how many run at once.
    const release = await this.ctx.transferSlot();
    let received: string;
    try {
      const url = this.ctx.imageDownloadUrl;
      if (url) {
        if (await new ImagePull(this.remote, this.remotePath, this.transferTimeoutMs()).download(session, url)) return;
        // The download may have counted steps: the push starts its progress over, as the transfer does.
        await this.ctx.progress(TRANSFER_PROGRESS.from);
      }
      received = await this.push(session);
    } finally {
      release();
    }
    await this.confirmChecksum(received);
  }

  /** Long enough for a slow link: the command timeout plus 20 ms per KB (50 KB/s at least). */
  private transferTimeoutMs(): number {
    return this.remote.commandTimeoutMs + this.ctx.image.size / 50;
  }

  /**
   * Streams the image through the SSH channel into /tmp; the same command then has the device compute its
   * sha256, which it returns ('' when there is none).
   */
  private async push(session: SshSession): Promise<string> {
    const { size } = this.ctx.image;
    await this.ctx.log(`Sending the image (${(size / 1048576).toFixed(1)} MiB) to ${this.remotePath}.`);
    let sent = 0;
    const steps = new TransferSteps(size);
    let pending: Promise<void> = Promise.resolve();
    let result: ExecResult;
    const started = Date.now();
    try {
      result = await session.exec(`cat > ${quote(this.remotePath)} && sha256sum ${quote(this.remotePath)}`, {
        timeoutMs: this.transferTimeoutMs(),
        signal: this.ctx.signal,
        stdin: this.ctx.image.open(),
        onStdinBytes: (bytes) => {
          sent += bytes;
          const step = steps.next(sent);
          if (step !== null) pending = pending.then(() => this.ctx.progress(step)).catch(() => {});
        },
      });
    } catch (error) {
      this.remote.throwIfAborted();
      throw new RecoverableFailure(
        'transfer-interrupted',
        `The transfer broke off after ${sent} of ${size} bytes: ${(error as Error).message}.`,
      );
    }
    await pending;
    this.remote.throwIfAborted();
    if (result.code !== 0 || sent !== size) {
      throw new RecoverableFailure(
        'transfer-interrupted',
        `The transfer broke off after ${sent} of ${size} bytes${result.stderr ? `: ${result.stderr.trim()}` : ''}.`,
      );
    }
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    await this.ctx.log(`Image sent in ${seconds.toFixed(1)} s (${(size / 1048576 / seconds).toFixed(1)} MiB/s).`);
    return sha256In(result.stdout);
  }

  /** The device's own sha256sum of what it received must be the image's. */
  private async confirmChecksum(received: string): Promise<void> {
    if (received !== this.ctx.image.sha256) {
      throw new RecoverableFailure(
        'checksum-mismatch',
        `The image arrived damaged: the device computed sha256 ${received || '(none)'}, ` +
          `expected ${this.ctx.image.sha256}.`,
      );
    }
    await this.ctx.log('The device confirmed the image checksum.');
  }

  /** `sysupgrade -T`: the device's own checks (board, metadata, format) before anything is written. */
  private async testImage(session: SshSession): Promise<void> {
    const force = this.ctx.options.F ? ' -F' : '';
    const result = await this.remote.run1(session, `sysupgrade -T${force} ${quote(this.remotePath)}`, {
      anyExit: true,
    });
    if (result.code !== 0) {
      const output = `${result.stdout}${result.stderr}`.trim();
      throw new UpgradeAborted(
        'image-rejected',
        `The device rejected the image (sysupgrade -T exited with ${result.code}): ${output || 'no output'}. ` +
          `Nothing was changed.`,
      );
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
        await this.ctx.log(
          `sysupgrade kept the session open for ${this.settings.upgradeTimeout} s; closing it and waiting for the ` +
            `device.`,
          'warning',
        );
        return;
      }
      throw error;
    }
    const output = `${result.stdout}${result.stderr}`.trim();
    if (output) await this.ctx.log(`sysupgrade: ${output.split('\n').slice(-10).join(' | ')}`);
    const commenced = /commencing upgrade/i.test(output);
    if (!result.dropped && result.code !== 0 && !commenced) {
      throw new UpgradeAborted(
        'flash-refused',
        `sysupgrade refused to flash (exit status ${result.code}): ${output || 'no output'}. The device was not ` +
          `flashed.`,
      );
    }
  }

  /**
   * On every path that does not flash: restart what was stopped, remove the copied image. Runs even
   * after a cancel or time-out (so not under the operation's aborted signal), with its own bounds.
   */
  private async cleanUpUnflashed(session: SshSession): Promise<void> {
    if (session.isClosed) return;
    const hadStopped = this.room.servicesStopped;
    await this.room.restartStoppedServices(session);
    await session.exec(`rm -f ${quote(this.remotePath)}`, { timeoutMs: this.remote.commandTimeoutMs }).catch(() => {});
    if (hadStopped) await this.ctx.log('Restarted the services stopped for the upgrade.').catch(() => {});
  }
}
