import type { SshSession } from '../ssh-session.js';
import type { UpgradeContext, UpgradeSuccess } from '../upgrader.js';
import type { BoardInfo } from './device-facts.js';
import type { OpenWrtRemote } from './remote.js';

/**
 * What the device already runs: the checksum marker a successful upgrade leaves, and whether a release
 * is the build's. Checked before anything is sent, and again after a flash or a takeover.
 */

/** Where a successful upgrade leaves the image's checksum: an identical image is never flashed again. */
export const CHECKSUM_MARKER = '/etc/fleetflash/firmware.sha256';

/** Whether a release is the build's: its OS identifier when the build has one, else its version. */
export function runsBuild(ctx: UpgradeContext, release: BoardInfo['release']): boolean {
  const { os, version } = ctx.image.build;
  return os ? release.description === os : release.version === version;
}

/** The already-installed check and the marker, on one upgrade's device. */
export class InstalledImage {
  private readonly ctx: UpgradeContext;

  constructor(private readonly remote: OpenWrtRemote) {
    this.ctx = remote.ctx;
  }

  /**
   * An image recorded by an earlier upgrade, or the build's release already running: nothing to do,
   * unless a re-flash was requested. Every outcome of the check is logged. `marker`: the content of
   * CHECKSUM_MARKER on the device (empty when missing), read with the device's other facts.
   */
  async alreadyInstalled(session: SshSession, board: BoardInfo, marker: string): Promise<UpgradeSuccess | null> {
    const { os, version } = this.ctx.image.build;
    const running = runsBuild(this.ctx, board.release);
    const found =
      marker === this.ctx.image.sha256
        ? `this exact image was installed by an earlier upgrade (the checksum marker ${CHECKSUM_MARKER} matches)`
        : running
          ? `the device already runs ${board.release.description}, the release of this build`
          : null;
    if (found === null) {
      await this.ctx.log(
        `Already installed? No: ${marker ? 'the checksum marker names another image' : 'no checksum marker'}, and ` +
          `the device runs ${board.release.description || 'an unknown release'}, not ${os ?? version}.`,
      );
      return null;
    }
    if (this.ctx.reinstall) {
      await this.ctx.log(
        `Already installed? Yes: ${found}. Flashing anyway: a re-flash was requested ("installed": false).`,
        'warning',
      );
      return null;
    }
    await this.ctx.log(`Already installed? Yes: ${found}: upgrade not needed.`);
    if (marker !== this.ctx.image.sha256) await this.writeMarker(session);
    const reason =
      marker === this.ctx.image.sha256
        ? 'this image is already installed'
        : `the device already runs ${board.release.description}`;
    return {
      message: `Upgrade not needed: ${reason}.`,
      notNeeded: true,
      os: board.release.description,
    };
  }

  /** Leaves the image's checksum on the device, so that this image is never flashed on it again by accident. */
  async writeMarker(session: SshSession): Promise<void> {
    const result = await this.remote.run1(
      session,
      `mkdir -p ${CHECKSUM_MARKER.slice(0, CHECKSUM_MARKER.lastIndexOf('/'))} && ` +
        `echo ${this.ctx.image.sha256} > ${CHECKSUM_MARKER}`,
      { anyExit: true },
    );
    if (result.code === 0) await this.ctx.log(`Wrote the checksum marker ${CHECKSUM_MARKER}.`);
    else
      await this.ctx.log(
        `Could not write the checksum marker ${CHECKSUM_MARKER} (exit ` +
          `status ${result.code}): ${(result.stderr || result.stdout).trim().slice(0, 200) || 'no output'}. The ` +
          `upgrade stands; only the already-installed check will rely on the running release.`,
        'warning',
      );
  }
}
