import { MAX_BACKUP_BYTES } from '../../backups/backup-archive.js';
import type { SshSession } from '../ssh-session.js';
import { RecoverableFailure, UpgradeFailed } from '../upgrader.js';
import { type OpenWrtRemote, quote } from './remote.js';

/** Where the router writes the archive; /tmp is RAM, and the file is removed as soon as it is fetched. */
export const BACKUP_PATH = '/tmp/fleetflash-backup.tar.gz';
const ARCHIVE = quote(BACKUP_PATH);

/**
 * The backup in one exec channel: the archive written (sysupgrade's own lines to stderr, as some releases
 * print "Saving config files..." on stdout), then its bytes on stdout, then removed; the exit status is
 * sysupgrade's when it failed, else cat's. A file rather than `sysupgrade -b -` (the archive on stdout, as
 * OpenWrt's web interface reads it): a sysupgrade that prints its progress on stdout would mix it into the
 * archive.
 */
export const BACKUP_COMMAND = `sysupgrade -b ${ARCHIVE} >&2 && cat ${ARCHIVE}; s=$?; rm -f ${ARCHIVE}; exit $s`;

/** Why a backup could not be kept (a message for the operation's log). */
class BackupProblem extends Error {}

/**
 * The configuration backup before a flash: `sysupgrade -b` writes the files sysupgrade would keep
 * into an archive on the router, which is read back in the same command (bounded in size) and
 * handed to the engine to check and keep. What a failure means is the operation's backup option,
 * except a lost connection, which is retried like any other.
 */
export class ConfigBackup {
  constructor(private readonly remote: OpenWrtRemote) {}

  /** Takes, fetches and keeps the backup, or says why not per the backup option (throws for `required`). */
  async take(session: SshSession, release: string): Promise<void> {
    const { ctx } = this.remote;
    if (ctx.backupMode === 'off') {
      await ctx.log('No configuration backup: the backup option is "off".');
      return;
    }
    if (ctx.backupKept) {
      await ctx.log(
        'The configuration backup an earlier attempt of this upgrade (or the upgrade it retries) took is kept: no ' +
          'second one.',
      );
      return;
    }
    try {
      const archive = await this.fetch(session);
      const kept = await ctx.keepBackup(archive, release).catch((error: Error) => {
        throw new BackupProblem(`the archive could not be kept: ${error.message}`);
      });
      await ctx.log(
        `Configuration backup kept: ${kept.files} files, ${(kept.size / 1024).toFixed(1)} KiB, sha256 ` +
          `${kept.sha256.slice(0, 16)}…, taken from ${release}.`,
      );
    } catch (error) {
      this.remote.throwIfAborted();
      if (!(error instanceof BackupProblem)) throw error;
      if (ctx.backupMode === 'best-effort') {
        await ctx.log(
          `The configuration backup failed (${error.message}); continuing without one, as the backup option is ` +
            `"best-effort".`,
          'warning',
        );
        return;
      }
      throw new UpgradeFailed(
        'backup-failed',
        `The configuration backup failed (${error.message}). Nothing was flashed; upgrade with the backup option ` +
          `"best-effort" or "off" to go on without one.`,
      );
    }
  }

  /**
   * `sysupgrade -b`, the archive's bytes and its removal, in one command (BACKUP_COMMAND), at most
   * MAX_BACKUP_BYTES: past the cap the channel is closed at once (a hostile router cannot make the server read
   * on). The read takes one of the worker's transfer slots, as image transfers do. A dropped connection or a
   * timeout while reading is a transport failure, retried as one (`connection-lost`); anything else is a
   * backup problem. A command that did not end by itself leaves the archive behind: it is removed then.
   */
  private async fetch(session: SshSession): Promise<Buffer> {
    const { ctx } = this.remote;
    const chunks: Buffer[] = [];
    let size = 0;
    const overCap = new AbortController();
    let result: Awaited<ReturnType<SshSession['exec']>> | null = null;
    const release = await ctx.transferSlot();
    try {
      result = await session.exec(BACKUP_COMMAND, {
        // The archive is written, then read: two commands' time.
        timeoutMs: 2 * this.remote.commandTimeoutMs,
        signal: AbortSignal.any([ctx.signal, overCap.signal]),
        onStdout: (chunk) => {
          if (overCap.signal.aborted) return;
          size += chunk.length;
          if (size > MAX_BACKUP_BYTES) overCap.abort();
          else chunks.push(chunk);
        },
      });
    } catch (error) {
      this.remote.throwIfAborted();
      if (overCap.signal.aborted)
        throw new BackupProblem(`the archive is larger than ${MAX_BACKUP_BYTES / 1048576} MiB (reading stopped)`);
      throw new RecoverableFailure(
        'connection-lost',
        `Reading the configuration backup failed: ${(error as Error).message}. Nothing was flashed.`,
      );
    } finally {
      release();
      // Not ended by itself (a cap, a timeout), the session still open: the command's own `rm` may not have run.
      if (result === null && !session.isClosed)
        await session.exec(`rm -f ${BACKUP_PATH}`, { timeoutMs: this.remote.commandTimeoutMs }).catch(() => {});
    }
    if (result.dropped)
      throw new RecoverableFailure(
        'connection-lost',
        'The connection dropped while the configuration backup was read. Nothing was flashed.',
      );
    const output = result.stderr.trim().slice(0, 300);
    // Nothing read: sysupgrade failed (its output went to stderr); else the read broke off.
    if (result.code !== 0 && size === 0)
      throw new BackupProblem(`sysupgrade -b exited with ${result.code}: ${output || 'no output'}`);
    if (result.code !== 0) throw new BackupProblem(`reading the archive failed (${output || result.code})`);
    if (size === 0) throw new BackupProblem('the archive is empty');
    return Buffer.concat(chunks);
  }
}
