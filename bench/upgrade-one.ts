/**
 * Benchmark: upgrade one simulated router with a 32 MiB image, beside raw ssh2 throughput on
 * loopback measured in the same run.
 *
 * Reported:
 * - fleetflash's transfer throughput (from the operation's own log timestamps: sending → sent);
 * - baseline: a plain ssh2 client streaming the same bytes into an exec channel (`cat > file`) on
 *   the same simulated router — the same server work, without fleetflash around it; the ratio
 *   fleetflash ÷ baseline is what this benchmark is judged by;
 * - for scale, the same plain client into a bare ssh2 server that discards the bytes;
 * - the operation's time outside the transfer and the configured waits (reboot wait, reconnect).
 *
 *   npm run bench:upgrade            # 3 rounds
 *   BENCH_ROUNDS=1 npm run bench:upgrade
 */
import { rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { createHttpApp, startBackgroundWork } from '../src/composition.js';
import { createApiToken } from '../src/modules/accounts/auth.service.js';
import { createLogger } from '../src/platform/logger.js';
import { SIMULATED_BOARDS } from '../simulator/fleet.js';
import { SimulatedRouter } from '../simulator/router.js';
import { makeSampleImage } from '../simulator/sample-image.js';
import { startBenchDatabase } from './lib/fleetflash-process.js';
import { median, rawTransfer } from './lib/raw-ssh.js';
import { openBenchRuntime } from './lib/runtime.js';

const MiB = 1024 * 1024;
const IMAGE_BYTES = Number(process.env.BENCH_MIB ?? 32) * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const board = SIMULATED_BOARDS[0]!;

/** A bare ssh2 server whose exec channels discard what they receive. */
async function startSinkServer(): Promise<{ port: number; close(): void }> {
  let key = ssh2.utils.generateKeyPairSync('ed25519').private;
  while (ssh2.utils.parseKey(key) instanceof Error) key = ssh2.utils.generateKeyPairSync('ed25519').private;
  const server = new ssh2.Server({ hostKeys: [key] }, (client) => {
    client.on('authentication', (context) => context.accept());
    client.on('ready', () =>
      client.on('session', (accept) =>
        accept().on('exec', (acceptExec) => {
          const channel = acceptExec();
          channel.on('data', () => {});
          channel.on('end', () => {
            channel.exit(0);
            channel.end();
          });
        }),
      ),
    );
    client.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const database = await startBenchDatabase('fleetflash-bench-upgrade-', 'bench_upgrade', logger, {
    keepAdmin: true,
  });
  const { tempDir, embedded, databaseUrl } = database;
  const admin = database.admin!;
  const routers: SimulatedRouter[] = [];
  try {
    // Opening the runtime migrates the database.
    const runtime = await openBenchRuntime(databaseUrl, tempDir, logger, {
      FLEETFLASH_MAX_FILE_SIZE: String(64 * MiB),
      FLEETFLASH_OPENWRT_RECONNECT_DELAY: '0.5',
      FLEETFLASH_OPENWRT_RECONNECT_RETRY_DELAY: '0.1',
      FLEETFLASH_OPENWRT_RECONNECT_MAX_RETRIES: '100',
      FLEETFLASH_UPGRADE_POLL_INTERVAL: '0.05',
      FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'true',
    });
    const { db } = runtime;
    const app = await createHttpApp(runtime, { version: 'bench' });
    const work = await startBackgroundWork(runtime, { tasks: false, upgrades: true, builds: false });

    const user = await db
      .insertInto('users')
      .values({ username: 'bench', passwordHash: 'x', isSuperuser: true })
      .returning(['id', 'username'])
      .executeTakeFirstOrThrow();
    const { token } = await createApiToken(
      db,
      { userId: user.id, username: user.username, isSuperuser: true, memberships: new Map(), via: 'cli' },
      { name: 'bench' },
    );
    const call = async (
      method: 'GET' | 'POST' | 'PUT',
      path_: string,
      payload?: object,
      headers: Record<string, string> = {},
    ) => {
      const response = await app.inject({
        method,
        url: path_,
        headers: { authorization: `Bearer ${token}`, ...headers },
        ...(payload ? { payload } : {}),
      });
      if (response.statusCode >= 300) throw new Error(`${method} ${path_}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const organization = await call('POST', '/api/v1/organizations/', { name: 'Bench' });
    await call('POST', '/api/v1/credentials/', {
      organization: organization.id,
      name: 'sim',
      username: 'root',
      password: 'simulated',
      is_default: true,
    });
    const category = await call('POST', '/api/v1/firmware/category/', { name: 'bench', organization: organization.id });
    const sink = await startSinkServer();

    const rows: {
      fleetflash: number;
      sameServer: number;
      bareSink: number;
      outside: number;
      total: number;
      waits: number;
    }[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const revision = `r${30000 + round}-0123456789`;
      const os_ = `OpenWrt 24.10.0 ${revision}`;
      const imageFile = path.join(tempDir, `image-${round}.bin`);
      writeFileSync(
        imageFile,
        makeSampleImage({
          payloadSize: IMAGE_BYTES - 400,
          supportedDevices: [board.boardName],
          target: board.target,
          version: '24.10.0',
          revision,
        }),
      );
      const build = await call('POST', '/api/v1/firmware/build/', {
        category: category.id,
        version: `24.10.0-${round}`,
        os: os_,
      });
      const boundary = 'benchboundary';
      const { readFileSync } = await import('node:fs');
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
            `filename="openwrt-24.10.0-${board.imageType}"\r\n\r\n`,
        ),
        readFileSync(imageFile),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const image = await call('POST', `/api/v1/firmware/build/${build.id}/image/`, body, {
        'content-type': `multipart/form-data; boundary=${boundary}`,
      });

      const router = new SimulatedRouter({
        name: `bench-${round}`,
        macAddress: `02:be:00:00:00:0${round}`,
        boardName: board.boardName,
        model: board.model,
        release: { distribution: 'OpenWrt', version: '23.05.2', revision: 'r23630-842932a63d', target: board.target },
        rebootMs: 200,
        memTotalKb: 256_000,
      });
      await router.start();
      routers.push(router);
      const device = await call('POST', '/api/v1/devices/', {
        organization: organization.id,
        name: `bench-${round}`,
        mac_address: `02:be:00:00:00:0${round}`,
        board_name: board.boardName,
        model: board.model,
        os: 'OpenWrt 23.05.2 r23630-842932a63d',
        management_ip: router.address.host,
        ssh_port: router.address.port,
      });

      // Baselines first, on the same router and file.
      const sameServer = rawTransfer(router.address.host, router.address.port, 'simulated', imageFile);
      const sameSeconds = await sameServer;
      const bareSeconds = await rawTransfer('127.0.0.1', sink.port, 'x', imageFile);

      const started = await call('PUT', `/api/v1/firmware/device/${device.id}/firmware/`, { image: image.id });
      const operationId = started.upgrade_operation.id;
      let operation: {
        status: string;
        started_at: string;
        finished_at: string;
        log_lines: { at: string; message: string }[];
      };
      for (;;) {
        operation = await call('GET', `/api/v1/firmware/upgrade-operation/${operationId}/`);
        if (!['pending', 'in-progress'].includes(operation.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (operation.status !== 'success') throw new Error(`upgrade ended ${operation.status}`);
      const at = (prefix: string) =>
        new Date(operation.log_lines.find((line) => line.message.startsWith(prefix))!.at).getTime();
      const transfer = (at('Image sent') - at('Sending the image')) / 1000;
      const waits = (at('Reconnected') - at('Flashing:')) / 1000;
      const total = (new Date(operation.finished_at).getTime() - new Date(operation.started_at).getTime()) / 1000;
      rows.push({
        fleetflash: IMAGE_BYTES / MiB / transfer,
        sameServer: IMAGE_BYTES / MiB / sameSeconds,
        bareSink: IMAGE_BYTES / MiB / bareSeconds,
        outside: total - transfer - waits,
        total,
        waits,
      });
      const row = rows.at(-1)!;
      process.stdout.write(
        `  round ${round}: fleetflash ${row.fleetflash.toFixed(1)} MiB/s, plain ssh2 (same ` +
          `server) ${row.sameServer.toFixed(1)} MiB/s, plain ssh2 (discarding ` +
          `server) ${row.bareSink.toFixed(1)} MiB/s; operation ${total.toFixed(2)} s = ` +
          `transfer ${transfer.toFixed(2)} s + reboot wait ${waits.toFixed(2)} s + ` +
          `rest ${row.outside.toFixed(2)} s\n`,
      );
    }
    const m = (key: keyof (typeof rows)[number]) => median(rows.map((row) => row[key]));
    process.stdout.write(
      `\nUpgrade of one simulated router with a ${IMAGE_BYTES / MiB} MiB image (${ROUNDS} rounds, medians), ` +
        `Node ${process.version}, ${os.cpus().length} CPUs:\n\n`,
    );
    process.stdout.write('| transfer | MiB/s |\n|---|---:|\n');
    process.stdout.write(`| fleetflash (upgrade operation) | ${m('fleetflash').toFixed(1)} |\n`);
    process.stdout.write(
      `| plain ssh2 exec channel, same simulated router (baseline) | ${m('sameServer').toFixed(1)} |\n`,
    );
    process.stdout.write(`| plain ssh2 exec channel, server discarding the bytes | ${m('bareSink').toFixed(1)} |\n`);
    process.stdout.write(
      `\nratio fleetflash / baseline throughput: ${(m('fleetflash') / m('sameServer')).toFixed(3)}\n`,
    );
    process.stdout.write(
      `operation time outside transfer and configured waits: ${m('outside').toFixed(2)} s ` +
        `(of ${m('total').toFixed(2)} s; reboot wait ${m('waits').toFixed(2)} s with reconnect_delay 0.5 s)\n`,
    );

    await work.stop();
    await app.close();
    sink.close();
    await runtime.close();
  } finally {
    await Promise.all(routers.map((router) => router.stop()));
    await admin.query('DROP DATABASE IF EXISTS bench_upgrade WITH (FORCE)').catch(() => {});
    await admin.end();
    await embedded.stop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
