import type { RouterState } from './router-state.js';
import type { ShellResult } from './shell.js';

/**
 * `wget -q [-T s] -O <path> <url>` on a simulated router (the image download of `openwrt.image_transfer:
 * pull`, also as the first command of the upgrader's background form): fetches the URL and keeps the body
 * as an upload would be (hash, size and tail, not the bytes), with the answers busybox wget gives when the
 * server cannot be reached or refuses. The download ends with its SSH channel here (unlike on a router) or
 * with the upgrader's command that stops a left-over one (STOP_PULL_COMMAND: the router aborts it and
 * removes the file).
 */
export const WGET_COMMAND = /^\s*wget\s+-q\s+(?:-T\s+\d+\s+)?-O\s+(?:'([^']+)'|(\S+))\s+(?:'([^']+)'|(\S+))\s*(?:$|&)/;
export const STOP_PULL_COMMAND = /^\s*if \[ -f '([^']+)\.wget-pid' \]; then kill /;

export interface DownloadFaults {
  /** The router cannot reach the server over HTTP (a firewall between them). */
  pullBlocked?: boolean;
  /** Receive at most this fast. */
  slowLinkBytesPerSecond?: number;
  /** The server never answers: wget waits until it is stopped. */
  pullHangs?: boolean;
  /** A captive portal answers every HTTP request with its page: wget saves that and exits 0. */
  pullCaptive?: boolean;
}

export async function download(
  state: RouterState,
  url: string,
  path: string,
  faults: DownloadFaults,
  signal: AbortSignal,
): Promise<ShellResult> {
  const host = URL.canParse(url) ? new URL(url).hostname : url;
  const unreachable = {
    stdout: '',
    stderr: `wget: can't connect to remote host (${host}): Connection refused\n`,
    code: 1,
  };
  if (faults.pullBlocked) return unreachable;
  if (faults.pullHangs) {
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return unreachable;
  }
  if (faults.pullCaptive) {
    const portal = state.beginUpload(path);
    portal.write(Buffer.from('<html><body>Log in to use this network.</body></html>\n'));
    portal.end();
    return { stdout: '', stderr: '', code: 0 };
  }
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch {
    return unreachable;
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return { stdout: '', stderr: `wget: server returned error: HTTP/1.1 ${response.status}\n`, code: 1 };
  }
  const sink = state.beginUpload(path);
  try {
    for await (const chunk of response.body) {
      const failed = sink.write(Buffer.from(chunk));
      if (failed) {
        sink.abort();
        await response.body.cancel().catch(() => {});
        return { stdout: '', stderr: `wget: write error: ${failed}\n`, code: 1 };
      }
      if (faults.slowLinkBytesPerSecond)
        await new Promise((resolve) => setTimeout(resolve, (chunk.length / faults.slowLinkBytesPerSecond!) * 1000));
    }
  } catch {
    sink.abort();
    return { stdout: '', stderr: 'wget: error getting response: Connection reset by peer\n', code: 1 };
  }
  sink.end();
  return { stdout: '', stderr: '', code: 0 };
}
