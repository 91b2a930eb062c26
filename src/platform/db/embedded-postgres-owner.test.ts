import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { select1 } from '../../../test/helpers/database.js';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { liveOwner, runningPostmaster } from './embedded-postgres-owner.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres.js';

/**
 * Who owns the embedded PostgreSQL of a data folder while it starts. The postmaster runs (and
 * `postmaster.pid` names it) a while before it answers; a command looking in that window must find
 * the starting process as owner, or it would take the server for an orphan and stop it.
 */

const logger = createLogger('silent');
const handles: EmbeddedPostgresHandle[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const handle of handles.reverse()) await handle.stop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function freshDataDir(): string {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-owner-'));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the postgres user, which must enter it
  folders.push(dataDir);
  return dataDir;
}

async function until<T>(probe: () => T | null, what: string, withinMs = 60_000): Promise<T> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; ) {
    const found = probe();
    if (found !== null) return found;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('ownership of the embedded PostgreSQL while it starts', () => {
  it(
    'names its owner before the postmaster runs, and a command arriving meanwhile shares the server instead of ' +
      'stopping it',
    async () => {
      const dataDir = freshDataDir();
      const clusterDir = path.join(dataDir, 'postgres');
      const starting = startEmbeddedPostgres({ dataDir, logger, durable: false, exclusive: true });
      // The first moment the postmaster exists (it does not answer yet).
      const postmaster = await until(() => runningPostmaster(clusterDir), 'the postmaster');
      expect(liveOwner(dataDir)?.pid).toBe(process.pid);

      const command = await startEmbeddedPostgres({ dataDir, logger });
      const server = await starting;
      handles.push(server);
      expect(server.ownsServer).toBe(true);
      expect(command.ownsServer).toBe(false);
      expect(command.url).toBe(server.url);
      expect(runningPostmaster(clusterDir)?.pid).toBe(postmaster.pid);
      expect(await select1(command.url)).toBe(1);
    },
  );

  it('two starts at the same moment on a fresh folder end with one server, which both use', async () => {
    const dataDir = freshDataDir();
    const both = await Promise.all([
      startEmbeddedPostgres({ dataDir, logger, durable: false }),
      startEmbeddedPostgres({ dataDir, logger, durable: false }),
    ]);
    handles.push(...both);
    expect(both.map((handle) => handle.ownsServer).sort()).toEqual([false, true]);
    expect(both[0].url).toBe(both[1].url);
    for (const handle of both) expect(await select1(handle.url)).toBe(1);
  });

  it(
    'a server started while a one-shot command runs the database waits for the command to end, then starts its ' +
      'own',
    async () => {
      const dataDir = freshDataDir();
      const command = await startEmbeddedPostgres({ dataDir, logger, durable: false });
      const lines: string[] = [];
      const watched = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
      let settled = false;
      const serving = startEmbeddedPostgres({ dataDir, logger: watched, durable: false, exclusive: true });
      serving
        .then(
          () => {},
          () => {},
        )
        .finally(() => {
          settled = true;
        });
      await until(
        () => (settled || lines.some((line) => line.includes('waiting for it to end')) ? true : null),
        'the server to wait',
      );
      expect(settled).toBe(false);
      expect(await select1(command.url)).toBe(1); // the command's database is left alone

      await command.stop();
      const server = await serving;
      handles.push(server);
      expect(server.ownsServer).toBe(true);
      expect(await select1(server.url)).toBe(1);
      expect(JSON.parse(readFileSync(path.join(dataDir, 'postgres-owner.json'), 'utf8'))).toMatchObject({
        pid: process.pid,
        server: true,
      });
    },
  );

  it('a start that fails leaves no owner file behind', async () => {
    const dataDir = freshDataDir();
    const first = await startEmbeddedPostgres({ dataDir, logger, durable: false });
    await first.stop();
    // A configuration PostgreSQL refuses to start with.
    const clusterDir = path.join(dataDir, 'postgres');
    const conf = path.join(clusterDir, 'postgresql.conf');
    const original = readFileSync(conf, 'utf8');
    writeFileSync(conf, `${original}\nshared_buffers = 'not a size'\n`);
    await expect(startEmbeddedPostgres({ dataDir, logger, durable: false })).rejects.toThrow(/did not start/);
    expect(existsSync(path.join(dataDir, 'postgres-owner.json'))).toBe(false);
    writeFileSync(conf, original);
  });
});
