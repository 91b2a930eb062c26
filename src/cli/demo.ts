import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAULT_NAMES } from '../../simulator/cli.js';
import { Fleet, SIMULATED_BOARDS, type BoardSpec } from '../../simulator/fleet.js';
import type { FaultName } from '../../simulator/router.js';
import { makeSampleImage } from '../../simulator/sample-image.js';
import { actorForUser, createApiToken } from '../modules/accounts/auth.service.js';
import { findUserByUsername } from '../modules/accounts/user.repository.js';
import { loadConfig, type Config } from '../platform/config.js';
import { generatePassword } from '../platform/crypto.js';
import { createLogger } from '../platform/logger.js';
import { type CliValues, numberOption } from './options.js';
import { type RunningServer, runServer } from './serve.js';
import { UsageError } from './usage.js';

/**
 * `fleetflash demo`: a throw-away fleetflash (embedded PostgreSQL in a temporary folder, removed on
 * exit) with an organization, a firmware category with two builds and their images, and a fleet of
 * simulated routers across three models on the older build, registered and linked to it — so a
 * newcomer can launch a staged mass upgrade with one request (or in the UI) and watch it finish.
 * Everything is set up through the public REST API, as a user would.
 */

const DEMO_BOARDS: readonly BoardSpec[] = [
  ...SIMULATED_BOARDS,
  {
    boardName: 'tplink,archer-a7-v5',
    model: 'TP-Link Archer A7 v5',
    target: 'ath79/generic',
    imageType: 'ath79-generic-tplink_archer-a7-v5-squashfs-sysupgrade.bin',
  },
];
const OLD = { version: '23.05.2', revision: 'r23630-842932a63d' };
const NEW = { version: '23.05.3', revision: 'r23809-234f1a2efa' };
const osOf = (release: { version: string; revision: string }) => `OpenWrt ${release.version} ${release.revision}`;

/**
 * Routers behind NAT on the older release, besides the `--devices` SSH routers: they run the pull agent (the
 * simulator's), enroll and poll, and take the same rollouts. A seed of their own keeps the SSH fleet's MACs and
 * faults what they were; they get no faults.
 */
const AGENT_ROUTERS = 2;
const AGENT_SEED = 13;

/** The faults `--fault-rate` hands out when `--faults` names none. */
const DEMO_FAULTS: readonly FaultName[] = [
  'transfer-cut',
  'board-mismatch',
  'never-returns',
  'auth-refused',
  'health-fails',
];

export interface DemoOptions {
  devices: number;
  faultRate: number;
  /** The faults the faulty routers get (one each, chosen by the seed). */
  faults: readonly FaultName[];
  rebootSeconds: number;
  /** Starts `serve` with this configuration (serve.ts owns the server's life cycle). */
  start(config: Config, shutdown: (() => Promise<unknown>)[]): Promise<RunningServer>;
}

/** `fleetflash demo`: the demo on a `serve` of its own. */
export function demoCommand(values: CliValues): Promise<void> {
  const named = typeof values.faults === 'string' && values.faults !== '' ? values.faults.split(',') : [];
  const unknown = named.filter((fault) => !(FAULT_NAMES as readonly string[]).includes(fault));
  if (unknown.length > 0)
    throw new UsageError(`unknown fault ${unknown.join(', ')}: choose from ${FAULT_NAMES.join(', ')}`);
  return runDemo({
    devices: numberOption(values, 'devices', 50, (n) => Number.isInteger(n) && n >= 2 && n <= 2000),
    // Naming faults asks for some: 10 % unless --fault-rate says otherwise (as `simulate` does).
    faultRate: numberOption(values, 'fault-rate', named.length > 0 ? 0.1 : 0, (n) => n >= 0 && n <= 1),
    faults: named.length > 0 ? (named as FaultName[]) : DEMO_FAULTS,
    rebootSeconds: numberOption(values, 'reboot-seconds', 3, (n) => n >= 0 && n <= 600),
    start: async (config, shutdown) =>
      (await runServer('serve', config, createLogger(config.log.level), shutdown, {
        announceLogin: false,
      })) as RunningServer,
  });
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-demo-'));
  const password = generatePassword();
  const routerPassword = generatePassword();
  // Waits scaled to simulated routers that reboot in seconds, not minutes.
  const config = loadConfig({
    FLEETFLASH_DATA_DIR: dataDir,
    FLEETFLASH_ADMIN_USERNAME: 'admin',
    FLEETFLASH_ADMIN_PASSWORD: password,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    FLEETFLASH_OPENWRT_CONNECT_TIMEOUT: '5',
    FLEETFLASH_OPENWRT_RECONNECT_DELAY: String(Math.max(1, options.rebootSeconds / 2)),
    FLEETFLASH_OPENWRT_RECONNECT_RETRY_DELAY: '1',
    FLEETFLASH_OPENWRT_RECONNECT_MAX_RETRIES: '30',
    FLEETFLASH_RETRY_BACKOFF: '2',
    FLEETFLASH_RETRY_BACKOFF_MAX: '10',
    FLEETFLASH_OFFLINE_RETRY_BACKOFF_MAX: '30',
    FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '1',
    FLEETFLASH_UPGRADE_POLL_INTERVAL: '0.5',
    // The demo's simulated routers listen on 127.0.0.1.
    FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'true',
    ...(process.env.PORT ? {} : { PORT: '8000' }),
  });
  const fleets: Fleet[] = [];
  const cleanup = async () => {
    await Promise.all(fleets.map((fleet) => fleet.stop()));
  };
  const { url, runtime, bootstrap } = await options.start(config, [cleanup]);
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));

  const admin = await findUserByUsername(runtime.db, 'admin');
  const { token } = await createApiToken(runtime.db, await actorForUser(runtime.db, admin!.id), { name: 'demo' });
  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`demo set-up: ${method} ${route} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };

  const organization = await api('POST', '/api/v1/organizations/', { name: 'Demo', slug: 'demo' });
  const { secret } = await api('POST', `/api/v1/organizations/${organization.id}/registration-secret/`);
  await api('POST', '/api/v1/credentials/', {
    organization: organization.id,
    name: 'simulated routers',
    username: 'root',
    password: routerPassword,
    is_default: true,
  });
  // The documented probes (docs/operations.md), run after every upgrade of the category: routers given the
  // fault health-fails keep their WAN down after the reboot and fail it.
  const healthCheck = await api('POST', '/api/v1/health-checks/', {
    organization: organization.id,
    name: 'Router works',
    probes: [
      { name: 'WAN up', command: `ubus call network.interface.wan status | grep -q '"up": true'`, timeout_seconds: 10 },
      { name: 'dnsmasq runs', command: 'pidof dnsmasq', timeout_seconds: 5 },
      { name: 'gateway answers', command: 'ping -c 1 -W 2 192.0.2.1', timeout_seconds: 5 },
    ],
  });
  const category = await api('POST', '/api/v1/firmware/category/', {
    organization: organization.id,
    name: 'Office routers',
    description: 'The demo fleet',
    health_check: healthCheck.id,
  });
  // Applies to no device by itself: a mass upgrade that names it waits for the night in Berlin.
  await api('POST', '/api/v1/maintenance-windows/', {
    organization: organization.id,
    name: 'Berlin nights',
    time_zone: 'Europe/Berlin',
    schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '01:00', end: '05:00' }],
  });
  const builds: Record<string, string> = {};
  for (const release of [OLD, NEW]) {
    const build = await api('POST', '/api/v1/firmware/build/', {
      category: category.id,
      version: release.version,
      os: osOf(release),
      changelog: `OpenWrt ${release.version} (demo images)`,
    });
    builds[release.version] = build.id;
    for (const board of DEMO_BOARDS) {
      const image = makeSampleImage({
        payloadSize: 2 * 1024 * 1024,
        supportedDevices: [board.boardName],
        target: board.target,
        board: board.boardName.replace(',', '_'),
        ...release,
      });
      const form = new FormData();
      form.append('file', new Blob([image]), `openwrt-${release.version}-${board.imageType}`);
      await api('POST', `/api/v1/firmware/build/${build.id}/image/`, form);
    }
  }

  // Four in five routers run the older release; the rest already run the newer one.
  const onNew = Math.max(1, Math.round(options.devices / 5));
  const register = { url, organization: 'demo', secret };
  const { faults } = options;
  for (const [count, release, prefix, seed] of [
    [options.devices - onNew, OLD, 'office', 7],
    [onNew, NEW, 'lab', 11],
  ] as const) {
    const fleet = new Fleet({
      count,
      boards: DEMO_BOARDS,
      release: { distribution: 'OpenWrt', ...release },
      password: routerPassword,
      seed,
      rebootMs: options.rebootSeconds * 1000,
      faultRate: prefix === 'office' ? options.faultRate : 0,
      faults,
      namePrefix: prefix,
      register,
    });
    fleets.push(fleet);
    await fleet.start();
  }
  const agents = new Fleet({
    count: AGENT_ROUTERS,
    mode: 'agent',
    boards: DEMO_BOARDS,
    release: { distribution: 'OpenWrt', ...OLD },
    seed: AGENT_SEED,
    rebootMs: options.rebootSeconds * 1000,
    namePrefix: 'nat',
    register,
  });
  fleets.push(agents);
  await agents.start();
  // Enrolled with their release's revision, they are linked to the build they run, as SSH routers are.

  const newBuild = builds[NEW.version]!;
  const auth = `-H 'Authorization: Bearer ${token}'`;
  const natNames = agents.agents.map((agent) => agent.name).join(', ');
  const models = DEMO_BOARDS.map((board) => board.model).join(', ');
  const faultNote =
    options.faultRate > 0
      ? ` About ${Math.round(options.faultRate * 100)} % of the older ones have faults (${faults.join(', ')}).`
      : '';
  const rollout = '{"rollout": {"canary_count": 3, "stage_factor": 3, "bake_seconds": 5, "max_concurrent": 10}}';
  const batches = `${url}/api/v1/firmware/batch-upgrade-operation`;
  const upgradeUrl = `${url}/api/v1/firmware/build/${newBuild}/upgrade/`;
  process.stdout.write(
    [
      '',
      `Demo ready: ${options.devices} simulated routers (${models}) in organization "demo":`,
      `  ${options.devices - onNew} run OpenWrt ${OLD.version}, ${onNew} already run ${NEW.version}.${faultNote}`,
      `  Plus ${AGENT_ROUTERS} routers behind NAT on ${OLD.version} (${natNames}): ` +
        'they run the pull agent and poll the server, no SSH.',
      // Only a superuser this start created has the demo's password (a database with users keeps theirs).
      bootstrap.created
        ? `  Log in as "admin" with password ${password} (or use the API token below).`
        : '  Log in as "admin" with the password it had: this database had users before the demo, so the demo ' +
          'set none (or use the API token below).',
      '',
      `In the browser: open ${url}/ and log in. Firmware → the ${NEW.version} build → "Mass upgrade…" previews ` +
        'and launches',
      '  the rollout; its page shows progress live. ' +
        'Devices → a router → Firmware upgrades one router, with its live log.',
      '',
      "Upgrade safety: every flash is preceded by a configuration backup (sysupgrade -b; a router's Backups tab), " +
        'and the',
      '  category\'s "Router works" health check runs after each reboot of an SSH router (its probes need SSH). ' +
        'Routers with',
      '  the health-fails fault fail it; the batch page then offers "Restore the pre-upgrade backup of the failed ' +
        'devices".',
      ...(options.faultRate > 0 && options.faults.includes('health-fails')
        ? []
        : ['  To see it, start the demo with --faults health-fails --fault-rate 0.25 (a quarter of the older ones).']),
      '',
      'Maintenance windows: the mass upgrade page can hold the rollout to the "Berlin nights" window ' +
        '(01:00-05:00 Europe/Berlin);',
      '  its upgrades then wait, pending, for the window to open, and the batch page counts them. To run a ' +
        'rollout under a',
      '  window now, create one open at this hour on the Maintenance windows page and choose it instead.',
      '',
      'Preview the mass upgrade to 23.05.3 (who would be upgraded, who skipped and why):',
      `  curl -s ${auth} ${upgradeUrl}`,
      'Launch it as a staged rollout: a canary of 3, stages growing ×3, 5 s of bake time, at most 10 at once:',
      `  curl -s ${auth} -H 'content-type: application/json' -d '${rollout}' ${upgradeUrl}`,
      'Watch it live (Server-Sent Events), or poll the batch it returned:',
      `  curl -sN ${auth} ${url}/api/v1/events/`,
      `  curl -s ${auth} ${batches}/<batch>/`,
      `Pause, resume, cancel, retry the failed ones: POST ${batches}/<batch>/pause/ (resume/, cancel/, retry-failed/).`,
      `API documentation: ${url}/api/v1/docs/. Everything is thrown away when you press Ctrl-C.`,
      '',
    ].join('\n'),
  );
}
