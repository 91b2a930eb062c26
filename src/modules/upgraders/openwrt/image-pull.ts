import type { ExecResult, SshSession } from '../ssh-session.js';
import type { UpgradeContext } from '../upgrader.js';
import { quote, sha256In, type OpenWrtRemote } from './remote.js';
import { TRANSFER_PROGRESS } from './transfer-progress.js';

/**
 * The download on the router (busybox ash): wget in the background with its pid kept beside the file, so
 * that a download that outlives its SSH channel (a timeout, a cancel: dropbear does not signal a command
 * whose channel closes) is stopped by `stopPullCommand` instead of filling /tmp behind the push. No `-T`
 * (wget's own idle timeout): Debian's static busybox wget crashes on it, so a stall is left to the
 * transfer's timeout and this stop. A complete download is followed by the device's sha256sum of the file, in
 * the same command (its only output: `-q`).
 */
export function pullCommand(file: string, url: string): string {
  const pid = quote(`${file}.wget-pid`);
  return (
    `wget -q -O ${quote(file)} ${quote(url)} & echo $! > ${pid}; wait $!; s=$?; rm -f ${pid}; ` +
    `[ $s -eq 0 ] && sha256sum ${quote(file)}; exit $s`
  );
}

/** Stops a download still running (if any) and removes what it wrote. */
export function stopPullCommand(file: string): string {
  const pid = quote(`${file}.wget-pid`);
  return `if [ -f ${pid} ]; then kill "$(cat ${pid})" 2>/dev/null; fi; rm -f ${pid} ${quote(file)}`;
}

/**
 * The image downloaded by the device itself (setting `openwrt.image_transfer: pull`): `wget` (busybox wget
 * or uclient-fetch, OpenWrt has one of them as `wget`) from the ticket URL the server signed, then the
 * device's own sha256sum of what arrived. Anything short of the image (no route to the server, an HTTP
 * error, a stall, a captive portal's page) is stopped and removed, and the caller pushes the image instead.
 */
export class ImagePull {
  private readonly ctx: UpgradeContext;

  constructor(
    private readonly remote: OpenWrtRemote,
    private readonly file: string,
    private readonly timeoutMs: number,
  ) {
    this.ctx = remote.ctx;
  }

  /** Whether the device holds the image, checksum confirmed. */
  async download(session: SshSession, url: string): Promise<boolean> {
    const { size, sha256 } = this.ctx.image;
    const shown = url.replace(/[^/]+$/, '…');
    await this.ctx.log(`The device downloads the image (${(size / 1048576).toFixed(1)} MiB) from ${shown}.`);
    const started = Date.now();
    let result: ExecResult | null = null;
    let failure = '';
    try {
      result = await session.exec(pullCommand(this.file, url), { timeoutMs: this.timeoutMs, signal: this.ctx.signal });
    } catch (error) {
      if (this.ctx.signal.aborted) {
        await this.stop(session);
        this.remote.throwIfAborted();
      }
      failure = (error as Error).message;
    }
    if (result?.code === 0) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      await this.ctx.log(
        `Image downloaded by the device in ${seconds.toFixed(1)} s (${(size / 1048576 / seconds).toFixed(1)} MiB/s).`,
      );
      const received = sha256In(result.stdout);
      if (received === sha256) {
        await this.ctx.progress(TRANSFER_PROGRESS.to);
        await this.ctx.log('The device confirmed the image checksum.');
        return true;
      }
      failure = `what arrived is not the image: sha256 ${received || '(none)'}, expected ${sha256}`;
    } else if (result) {
      failure = `wget exited with ${result.code}: ${`${result.stdout}${result.stderr}`.trim() || 'no output'}`;
    }
    // What wget says may quote the URL: its ticket stays out of the log.
    failure = failure.split(url).join(shown).slice(0, 300);
    await this.ctx.log(`The device could not download the image (${failure}); sending it over SSH instead.`, 'warning');
    await this.stop(session);
    return false;
  }

  /** Not under the operation's signal: it runs after a cancel too, with its own bound. */
  private async stop(session: SshSession): Promise<void> {
    if (session.isClosed) return;
    await session.exec(stopPullCommand(this.file), { timeoutMs: this.remote.commandTimeoutMs }).catch(() => undefined);
  }
}
