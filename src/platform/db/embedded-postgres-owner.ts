import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';

/**
 * Who runs the embedded PostgreSQL of a data folder. The fleetflash process that starts it writes
 * `<dataDir>/postgres-owner.json` (its pid and, on Linux, the process's start time, so a reused pid
 * is not mistaken for the owner) and removes it when it stops the server. A postmaster that runs
 * while its owner is gone was left behind by a process killed with SIGKILL (or crashed): nobody
 * would ever stop it, so the next start stops it and starts its own.
 */

const OWNER_FILE = 'postgres-owner.json';

interface Owner {
  pid: number;
  startTime: string | null;
}

export interface RunningPostmaster {
  pid: number;
  port: number;
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
  if (!existsSync(lockFile)) return null;
  const lines = readFileSync(lockFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  // A stale lock file from a crash: PostgreSQL itself replaces it on start.
  return isProcessRunning(pid) && isPostgres(pid) ? { pid, port } : null;
}

/** The pid of the live fleetflash process that owns the server of this data folder, or null. */
export function liveOwner(dataDir: string): number | null {
  const file = path.join(dataDir, OWNER_FILE);
  if (!existsSync(file)) return null;
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Owner;
    if (!isProcessRunning(owner.pid)) return null;
    const startTime = processStartTime(owner.pid);
    return owner.startTime === null || startTime === null || startTime === owner.startTime ? owner.pid : null;
  } catch {
    return null;
  }
}

export function claimOwnership(dataDir: string): void {
  const owner: Owner = { pid: process.pid, startTime: processStartTime(process.pid) };
  writeFileSync(path.join(dataDir, OWNER_FILE), JSON.stringify(owner));
}

export function releaseOwnership(dataDir: string): void {
  const file = path.join(dataDir, OWNER_FILE);
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as Owner).pid === process.pid) rmSync(file, { force: true });
  } catch {
    // no file, or not ours: nothing to release
  }
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
  const steps: [NodeJS.Signals, number][] = [['SIGINT', 30_000], ['SIGQUIT', 10_000], ['SIGKILL', 5_000]];
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
  throw new Error(`The orphaned embedded PostgreSQL (pid ${postmaster.pid}) did not stop: stop it by hand, then start fleetflash again.`);
}
