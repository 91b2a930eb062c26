import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';

/**
 * Who runs the embedded PostgreSQL of a data folder. The fleetflash process that starts it writes
 * `<dataDir>/postgres-owner.json` (its pid and, on Linux, the process's start time, so a reused pid
 * is not mistaken for the owner) *before* it spawns the server, and removes it when it stops the
 * server (or when the start failed). Claiming first matters: while a server starts, its postmaster
 * already runs but does not answer yet; another command that looked then and found no owner would
 * take it for an orphan and stop it. A postmaster that runs while its owner is gone was left behind
 * by a process killed with SIGKILL (or crashed): nobody would ever stop it, so the next start stops
 * it and starts its own.
 */

const OWNER_FILE = 'postgres-owner.json';

export interface Owner {
  pid: number;
  startTime: string | null;
  /** A server process (serve, api, worker) rather than a one-shot command. */
  server: boolean;
  /** Tells this claim from another one of the same process (tests start several in one process). */
  claim: string;
}

export interface RunningPostmaster {
  pid: number;
  port: number;
  /** Accepts connections; false while it still starts up (or already shuts down). */
  ready: boolean;
}

/** Start time of a process in clock ticks since boot (Linux), or null where /proc is not available. */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces, so count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** True for a live process; false for none and for a zombie (dead, not yet reaped by its parent). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/** Whether a pid names a PostgreSQL server (Linux: its command line), so a reused pid is left alone. */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true;
  }
}

/** The live postmaster recorded in the cluster's lock file, or null (none, or a stale lock file). */
export function runningPostmaster(clusterDir: string): RunningPostmaster | null {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = readFileSync(lockFile, 'utf8').split('\n');
  } catch (error) {
    // No lock file, or it went away as we looked (the postmaster stopped): no postmaster runs.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  // Line 8 is the postmaster's status: "starting", "ready", "stopping" (padded with blanks).
  const ready = lines[7]?.trim() === 'ready';
  // A stale lock file from a crash: PostgreSQL itself replaces it on start.
  return isProcessRunning(pid) && isPostgres(pid) ? { pid, port, ready } : null;
}

function readOwner(file: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    if (typeof owner.pid !== 'number') return null;
    return {
      pid: owner.pid,
      startTime: owner.startTime ?? null,
      server: owner.server ?? true,
      claim: owner.claim ?? '',
    };
  } catch {
    return null;
  }
}

function isAlive(owner: Owner): boolean {
  if (!isProcessRunning(owner.pid)) return false;
  const startTime = processStartTime(owner.pid);
  return owner.startTime === null || startTime === null || startTime === owner.startTime;
}

/** The live fleetflash process that owns (or is starting) the server of this data folder, or null. */
export function liveOwner(dataDir: string): Owner | null {
  const owner = readOwner(path.join(dataDir, OWNER_FILE));
  return owner !== null && isAlive(owner) ? owner : null;
}

export type ClaimResult = { claimed: true; owner: Owner } | { claimed: false; owner: Owner };

/**
 * Records this process as the owner of the data folder's server, unless a live process already
 * is. The file is created exclusively (O_EXCL), so of two processes starting at once only one
 * claims; a file left by a dead owner is replaced.
 */
export function claimOwnership(dataDir: string, server: boolean): ClaimResult {
  const file = path.join(dataDir, OWNER_FILE);
  const mine: Owner = { pid: process.pid, startTime: processStartTime(process.pid), server, claim: randomUUID() };
  for (;;) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      return { claimed: true, owner: mine };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = readOwner(file);
    if (current !== null && isAlive(current)) return { claimed: false, owner: current };
    rmSync(file, { force: true }); // left by a dead owner (or unreadable): take it over
  }
}

/**
 * After the server started: makes sure the owner file names this claim. Two processes that replaced
 * the same stale file at the same moment may both have believed they claimed it; PostgreSQL's own
 * lock let only one of them start the server, and that one is recorded.
 */
export function confirmOwnership(dataDir: string, owner: Owner): void {
  const file = path.join(dataDir, OWNER_FILE);
  if (readOwner(file)?.claim !== owner.claim) writeFileSync(file, JSON.stringify(owner));
}

/** Removes the owner file if it still holds this claim (after a stop, or a start that failed). */
export function releaseOwnership(dataDir: string, owner: Owner): void {
  const file = path.join(dataDir, OWNER_FILE);
  if (readOwner(file)?.claim === owner.claim) rmSync(file, { force: true });
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; ) {
    if (!isProcessRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isProcessRunning(pid);
}

/**
 * Stops a postmaster nobody owns: fast shutdown (SIGINT: sessions are ended, data is safe), then
 * immediate shutdown (SIGQUIT: crash recovery on the next start), then SIGKILL as a last resort.
 */
export async function stopOrphanedPostmaster(postmaster: RunningPostmaster, logger: Logger): Promise<void> {
  const steps: [NodeJS.Signals, number][] = [
    ['SIGINT', 30_000],
    ['SIGQUIT', 10_000],
    ['SIGKILL', 5_000],
  ];
  for (const [signal, waitMs] of steps) {
    try {
      process.kill(postmaster.pid, signal);
    } catch {
      return; // already gone
    }
    if (await exited(postmaster.pid, waitMs)) {
      logger.warn({ pid: postmaster.pid, signal }, 'stopped the orphaned embedded PostgreSQL');
      return;
    }
  }
  throw new Error(
    `The orphaned embedded PostgreSQL (pid ${postmaster.pid}) did not stop: stop it by hand, then start fleetflash ` +
      `again.`,
  );
}

/** How long a start waits for another process that is starting the server, or for a command that holds it. */
const WAIT_FOR_OTHER_MS = 120_000;

export type Acquired = { claimed: Owner } | { shared: RunningPostmaster; owner: Owner };

/**
 * Claims the data folder's server (the caller then starts it, stopping an orphaned one first), or
 * finds one to share. The owner file is written before the server is spawned, so a server that is
 * still starting always has a live owner: a one-shot command waits until it answers, then shares it.
 * A server process refuses another server process's database, and waits for a one-shot command's
 * (which stops it when the command ends) to go away.
 */
export async function claimOrShare(
  dataDir: string,
  clusterDir: string,
  exclusive: boolean,
  logger: Logger,
): Promise<Acquired> {
  const deadline = Date.now() + WAIT_FOR_OTHER_MS;
  let announced = false;
  for (;;) {
    const claim = claimOwnership(dataDir, exclusive);
    if (claim.claimed) {
      const orphan = runningPostmaster(clusterDir);
      if (orphan !== null) {
        logger.warn(
          { pid: orphan.pid, port: orphan.port, clusterDir },
          'found an embedded PostgreSQL left running by a fleetflash process that ended without stopping it: ' +
            'stopping it to start our own',
        );
        await stopOrphanedPostmaster(orphan, logger);
      }
      return { claimed: claim.owner };
    }
    const { owner } = claim;
    if (exclusive && owner.server) {
      throw new Error(
        `Another fleetflash process (pid ${owner.pid}) runs the embedded PostgreSQL of ${dataDir}. Two servers ` +
          `cannot share ` +
          'an embedded database: stop that process, give this one another data folder (FLEETFLASH_DATA_DIR), or set ' +
          'DATABASE_URL to a PostgreSQL server that several processes share.',
      );
    }
    const running = runningPostmaster(clusterDir);
    if (!exclusive && running?.ready) return { shared: running, owner };
    if (Date.now() >= deadline) {
      throw new Error(
        exclusive
          ? `The fleetflash command (pid ${owner.pid}) that runs the embedded PostgreSQL of ${dataDir} did not end ` +
              `within ` +
              `${WAIT_FOR_OTHER_MS / 1000} s. A server cannot share a command's database, which stops when the ` +
              `command ends: ` +
              'start the server again once the command has finished.'
          : `The embedded PostgreSQL of ${dataDir}, started by fleetflash process ${owner.pid}, did not become ` +
              `ready within ` +
              `${WAIT_FOR_OTHER_MS / 1000} s. Try again once that process runs, or stop it.`,
      );
    }
    if (!announced) {
      announced = true;
      logger.info(
        { owner: owner.pid, dataDir },
        exclusive
          ? 'a fleetflash command runs the embedded PostgreSQL of this data folder: waiting for it to end'
          : 'another fleetflash process is starting the embedded PostgreSQL of this data folder: waiting until it ' +
              'is ready',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
