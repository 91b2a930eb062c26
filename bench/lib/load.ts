import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../../src/platform/logger.js';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded-postgres.js';
import { migrate } from '../../src/platform/db/migrator.js';
import { MIGRATIONS_DIR } from '../../src/platform/paths.js';

/** What the HTTP benchmarks share: load from autocannon in its own process, medians, a throw-away database. */

export interface Sample {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

const autocannonBin = path.join(
  path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')),
  'autocannon.js',
);

export function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
): Promise<Sample> {
  const args = [autocannonBin, '-c', String(connections), '-d', String(seconds), '-j'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(output) as {
        requests: { average: number };
        latency: { p50: number; p99: number };
        non2xx: number;
      };
      resolve({
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
      });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarise(samples: Sample[]): { rps: number; p50: number; p99: number; errors: number } {
  return {
    rps: median(samples.map((sample) => sample.requestsPerSecond)),
    p50: median(samples.map((sample) => sample.p50Ms)),
    p99: median(samples.map((sample) => sample.p99Ms)),
    errors: samples.reduce((sum, sample) => sum + sample.non2xx, 0),
  };
}

/**
 * A migrated database of its own: in embedded PostgreSQL under `tempDir`, or in the server at
 * BENCH_DATABASE_URL (which needs CREATEDB). `close` drops it.
 */
export async function openBenchDatabase(
  tempDir: string,
  logger: Logger,
): Promise<{ databaseUrl: string; close(): Promise<void> }> {
  const external = process.env.BENCH_DATABASE_URL;
  const embedded = external
    ? null
    : await startEmbeddedPostgres({ dataDir: tempDir, logger, durable: false, database: 'postgres' });
  const adminUrl = external ?? embedded!.adminUrl;
  const databaseName = `fleetflash_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  const databaseUrl = url.toString();
  await migrate(databaseUrl, MIGRATIONS_DIR, logger);
  return {
    databaseUrl,
    async close() {
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => {});
      await admin.end();
      await embedded?.stop();
    },
  };
}

/**
 * CPU seconds used so far by the embedded PostgreSQL of `dataDir` (the postmaster and its backends,
 * read from /proc), or null where that cannot be read (another PostgreSQL, not Linux).
 */
export function postgresCpuSeconds(dataDir: string): number | null {
  try {
    const postmaster = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      // Fields after the command (which may hold spaces): state ppid … utime(14) stime(15).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(entry) !== postmaster && Number(fields[1]) !== postmaster) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  } catch {
    return null;
  }
}
