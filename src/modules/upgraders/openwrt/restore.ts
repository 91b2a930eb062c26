import { SshCommandError, type SshSession } from '../ssh-session.js';
import {
  RecoverableFailure,
  UpgradeAborted,
  UpgradeFailed,
  type UpgradeContext,
  type UpgradeSuccess,
} from '../upgrader.js';
import { AfterFlash } from './after-flash.js';
import { parseBoardInfo } from './device-facts.js';
import { BOOT_ID_COMMAND, bootIdOf, OpenWrtRemote, type OpenWrtSettings, quote, sha256In } from './remote.js';

/** Where the archive is sent on the router (/tmp is RAM: gone after the reboot). */
const RESTORE_PATH = '/tmp/fleetflash-restore.tar.gz';

/**
 * A configuration restore, as a checklist: connect, check it is the same board, send the archive
 * (`cat >`, checked with the router's sha256sum), record the point of no return, `sysupgrade -r`,
 * `reboot`, then the same proof of boot as an upgrade, expecting the release the device runs now.
 */
export class OpenWrtRestore {
  private readonly remote: OpenWrtRemote;
  private readonly afterFlash: AfterFlash;

  constructor(
    private readonly ctx: UpgradeContext,
    settings: OpenWrtSettings,
  ) {
    this.remote = new OpenWrtRemote(ctx, settings);
    this.afterFlash = new AfterFlash(this.remote);
  }

  async run(): Promise<UpgradeSuccess> {
    const session = await this.remote.connect(this.ctx.device, { afterFlash: false });
    let restoring = false;
    try {
      await this.ctx.progress(10);
      await this.checkIdentity(session);
      await this.ctx.progress(20);
      await this.send(session);
      await this.ctx.progress(60);
      await this.ctx.recordBootId(bootIdOf(await this.remote.run1(session, BOOT_ID_COMMAND)));
      await this.ctx.beginFlash();
      restoring = true;
      await this.restore(session);
      await this.reboot(session);
    } catch (error) {
      if (!restoring && !session.isClosed)
        await session.exec(`rm -f ${RESTORE_PATH}`, { timeoutMs: this.remote.commandTimeoutMs }).catch(() => {});
      throw error;
    } finally {
      session.close();
    }
    return this.afterFlash.waitAndVerify(Date.now(), 'Rebooting with the restored configuration: waiting');
  }

  /** The backup belongs to this device: it must still be the same board. */
  private async checkIdentity(session: SshSession): Promise<void> {
    const result = await this.remote.run1(session, 'ubus call system board');
    const board = parseBoardInfo(result.stdout);
    if (!board)
      throw new UpgradeAborted('unknown-device', 'The device did not describe itself (ubus call system board).');
    if (!this.ctx.image.boards.includes(board.boardName)) {
      throw new UpgradeAborted(
        'board-mismatch',
        `The device reports board "${board.boardName}", but the backup was taken on ` +
          `${this.ctx.image.boards.join(', ')}. Nothing was changed.`,
      );
    }
    const release = board.release.description || 'an unknown release';
    await this.ctx.log(`Device identified: ${board.model} (${board.boardName}), running ${release}.`);
  }

  private async send(session: SshSession): Promise<void> {
    const { size, sha256 } = this.ctx.image;
    await this.ctx.log(`Sending the configuration backup (${(size / 1024).toFixed(1)} KiB) to ${RESTORE_PATH}.`);
    let result: Awaited<ReturnType<SshSession['exec']>>;
    try {
      result = await session.exec(`cat > ${quote(RESTORE_PATH)}`, {
        timeoutMs: this.remote.commandTimeoutMs,
        signal: this.ctx.signal,
        stdin: this.ctx.image.open(),
      });
    } catch (error) {
      this.remote.throwIfAborted();
      throw new RecoverableFailure(
        'transfer-interrupted',
        `Sending the backup broke off: ${(error as Error).message}.`,
      );
    }
    if (result.code !== 0)
      throw new RecoverableFailure('transfer-interrupted', `Sending the backup failed: ${result.stderr.trim()}.`);
    const check = await this.remote.run1(session, `sha256sum ${quote(RESTORE_PATH)}`, { anyExit: true });
    const received = sha256In(check.stdout);
    if (received !== sha256)
      throw new RecoverableFailure(
        'checksum-mismatch',
        `The backup arrived damaged: the device computed sha256 ${received || '(none)'}, expected ${sha256}.`,
      );
    await this.ctx.log('The device confirmed the backup checksum.');
  }

  /** `sysupgrade -r`: the archive's files replace the device's configuration (no reboot yet). */
  private async restore(session: SshSession): Promise<void> {
    const command = `sysupgrade -r ${quote(RESTORE_PATH)}`;
    await this.ctx.log(`Restoring: ${command}`);
    const result = await this.remote.run1(session, command, { anyExit: true });
    if (result.code !== 0) {
      const output = `${result.stdout}${result.stderr}`.trim().slice(0, 300);
      throw new UpgradeFailed(
        'restore-failed',
        `sysupgrade -r exited with ${result.code}: ${output || 'no output'}. The configuration may be partly ` +
          `restored; the device was not rebooted.`,
      );
    }
    await this.ctx.log('The device restored the configuration (sysupgrade -r); rebooting it.');
  }

  /** `reboot`: the session may drop before the command answers, which is the expected answer. */
  private async reboot(session: SshSession): Promise<void> {
    try {
      await session.exec('reboot', { timeoutMs: this.remote.commandTimeoutMs });
    } catch (error) {
      if (!(error instanceof SshCommandError)) throw error;
    }
  }
}
