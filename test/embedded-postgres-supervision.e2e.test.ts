import { appendFileSync, chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type ServerProcess } from './helpers/process.js';

/**
 * The real `serve` on its own embedded PostgreSQL, faced with the database's deaths: a postmaster
 * killed with SIGKILL is restarted; a postmaster left behind by a `serve` killed with SIGKILL is
 * stopped by the next start; a postmaster that cannot be restarted ends the process non-zero. In
 * every case, a stopped `serve` leaves no PostgreSQL of its data folder running.
 */

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-supervision-'));
// mkdtemp makes a private folder; as root PostgreSQL runs as the postgres user, which must enter it.
chmodSync(dataDir, 0o755);
const clusterDir = path.join(dataDir, 'postgres');
const env = { FLEETFLASH_DATA_DIR: dataDir };
const started: ServerProcess[] = [];

afterAll(async () => {
  for (const server of started)
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  for (const pid of postmastersOf(clusterDir)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function serve(): Promise<ServerProcess> {
  const server = await startServer(env, 'serve', 90_000);
  started.push(server);
  return server;
}

function postmasterPid(): number {
  return Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .startsWith('Z');
  } catch {
    return false;
  }
}

/** Live PostgreSQL servers started on this cluster folder (their command line names it). */
function postmastersOf(folder: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.includes(folder) && isRunning(pid);
      } catch {
        return false;
      }
    });
}

async function until(condition: () => Promise<boolean> | boolean, what: string, withinMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; ) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function healthy(url: string): Promise<boolean> {
  return fetch(`${url}/healthz`).then(
    (response) => response.status === 200,
    () => false,
  );
}

function exitOf(server: ServerProcess): Promise<number | null> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return Promise.resolve(server.child.exitCode);
  return new Promise((resolve) => server.child.once('close', (code) => resolve(code)));
}

describe('embedded PostgreSQL supervision', () => {
  it('restarts a postmaster killed with SIGKILL; the API answers again, and SIGTERM stops the restarted ' +
    'server', async () => {
    const server = await serve();
    const killed = postmasterPid();
    process.kill(killed, 'SIGKILL');
    await until(async () => {
      const current = existsSync(path.join(clusterDir, 'postmaster.pid')) ? postmasterPid() : killed;
      return current !== killed && isRunning(current) && healthy(server.url);
    }, 'the restarted database to answer');
    expect(server.output()).toContain('embedded PostgreSQL restarted');

    expect(await server.stop()).toBe(0);
    expect(postmastersOf(clusterDir)).toEqual([]);
  }, 150_000);

  it('stops the postmaster a SIGKILLed serve left behind, serves on its own, refuses a second serve, and leaves ' +
    'nothing running after SIGTERM', async () => {
    const first = await serve();
    const orphan = postmasterPid();
    first.child.kill('SIGKILL');
    await exitOf(first);
    expect(isRunning(orphan)).toBe(true);

    const second = await serve();
    expect(second.output()).toContain('left running by a fleetflash process that ended without stopping it');
    expect(isRunning(orphan)).toBe(false);
    expect(await healthy(second.url)).toBe(true);

    // Two servers cannot share one embedded database: the second says so and exits non-zero.
    const third = await runCli(['serve'], { ...env, HOST: '127.0.0.1', PORT: '0' }, 90_000);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain(`Another fleetflash process (pid ${second.child.pid}) runs the embedded PostgreSQL`);
    expect(await healthy(second.url)).toBe(true);

    expect(await second.stop()).toBe(0);
    expect(postmastersOf(clusterDir)).toEqual([]);
  }, 240_000);

  it('exits non-zero with a clear log line when the postmaster dies and cannot be restarted', async () => {
    const server = await serve();
    const exited = exitOf(server);
    // A configuration PostgreSQL refuses: the running server never rereads it, a restart fails.
    appendFileSync(path.join(clusterDir, 'postgresql.conf'), '\nthis line is not a setting\n');
    process.kill(postmasterPid(), 'SIGKILL');
    expect(await exited).toBe(1);
    expect(server.output()).toContain('restarting the embedded PostgreSQL failed');
    expect(server.output()).toContain(
      'the embedded PostgreSQL could not be restarted; exiting so a service manager restarts fleetflash',
    );
    expect(postmastersOf(clusterDir)).toEqual([]);
  }, 150_000);
});
