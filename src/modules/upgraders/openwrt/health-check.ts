import { runHealthCheck } from '../health-check-run.js';
import { SshCommandError, type SshSession } from '../ssh-session.js';
import type { OpenWrtRemote } from './remote.js';

/**
 * The health check after proof of boot, in the session that proved the boot: the upgrader owns the
 * session and the outcome, so the probes need no second connection and a failure is one more typed
 * outcome (`health-check-failed`) rather than a step the engine would have to reopen SSH for.
 */
export async function runSshHealthCheck(
  remote: OpenWrtRemote,
  session: SshSession,
  /** The release proved at boot, when this check follows a flash: recorded if the check fails. */
  provenRelease?: string,
): Promise<void> {
  const { ctx } = remote;
  await runHealthCheck(
    ctx,
    async (command, timeoutMs) => {
      try {
        const result = await session.exec(command, { timeoutMs, signal: ctx.signal });
        // After the flash nothing is retried: a probe that loses the connection fails like any other.
        if (result.dropped) return { timedOut: false, code: null, output: '(the SSH connection dropped)' };
        return { timedOut: false, code: result.code, output: `${result.stdout}${result.stderr}` };
      } catch (error) {
        if (error instanceof SshCommandError && error.kind === 'timeout') return { timedOut: true };
        remote.throwIfAborted();
        return { timedOut: false, code: null, output: `(the command could not run: ${(error as Error).message})` };
      }
    },
    provenRelease,
  );
}
