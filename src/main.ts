import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from './http/app.js';
import { TASKS } from './tasks/registry.js';
import { actorForUser, createApiToken } from './modules/accounts/auth.service.js';
import { findOrganizationBySlug } from './modules/accounts/organization.repository.js';
import { createOrganization } from './modules/accounts/organization.service.js';
import { findUserByUsername } from './modules/accounts/user.repository.js';
import { createUser, ensureInitialSuperuser } from './modules/accounts/user.service.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { generatePassword } from './platform/crypto.js';
import { mapDatabaseError } from './platform/db/pg-errors.js';
import { AppError } from './platform/errors.js';
import { createLogger, type Logger } from './platform/logger.js';
import { PROJECT_ROOT } from './platform/paths.js';
import { TaskScheduler } from './platform/scheduled-tasks.js';
import { openRuntime, type Runtime } from './runtime.js';
import { UpgradeDispatcher } from './modules/upgrades/upgrade-dispatcher.js';
import { BuildDispatcher } from './modules/imagebuilder/build-dispatcher.js';
import { FAULT_NAMES, runSimulation, writeSampleImage } from '../simulator/cli.js';
import type { FaultName } from '../simulator/router.js';
import type { Actor } from './modules/accounts/actor.js';
import { runDemo } from './demo.js';

const VERSION = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const USAGE = `fleetflash ${VERSION}: firmware management for fleets of OpenWrt routers

Usage: fleetflash <command> [options]

Commands:
  serve                 API and worker in one process (the default)
  api                   HTTP API only (scale-out: run several, plus workers)
  worker                background jobs only
  migrate               apply database migrations and exit
  user create           create a user: --username U [--password P] [--email E] [--superuser]
                        [--organization SLUG --role admin|operator]
  org create            create an organization: --name N [--slug S]
  token create          create an API token: --username U [--name N] [--expires-in-days D]
  simulate              run simulated OpenWrt routers: --devices N [--base-port P] [--seed S]
                        [--faults transfer-cut,never-returns,…] [--fault-rate 0.1] [--reboot-seconds 3]
                        [--password P] [--register URL --organization SLUG --secret S] [--json FILE]
  demo                  serve a throw-away fleetflash with a simulated fleet and sample firmware, to try
                        mass upgrades: [--devices 50] [--fault-rate 0.1] [--reboot-seconds 3]
  sample-image          write a sysupgrade-shaped image the simulator flashes: --board B --os "OpenWrt V R"
                        [--out FILE] [--size-mib N]

Settings come from environment variables and an optional JSON file (FLEETFLASH_CONFIG);
see docs/settings.md.`;

/** A (CLI) actor with every right: commands run by the machine's operator act as a superuser. */
const OPERATOR: Actor = { userId: '00000000-0000-0000-0000-000000000000', username: 'cli', isSuperuser: true, memberships: new Map(), via: 'cli' };

type Role = 'serve' | 'api' | 'worker';

function onShutdown(logger: Logger, steps: (() => Promise<unknown>)[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown took longer than 30 s; exiting');
      process.exit(1);
    }, 30_000);
    deadline.unref();
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        logger.error({ err: error }, 'error during shutdown');
      }
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function describeDatabase(runtime: Runtime): string {
  return runtime.embedded ? `embedded PostgreSQL in ${path.join(runtime.config.dataDir, 'postgres')}` : 'PostgreSQL at DATABASE_URL';
}

export interface RunningServer {
  url: string;
  runtime: Runtime;
}

/**
 * The embedded PostgreSQL died and its supervisor could not restart it: exit non-zero so that a
 * service manager (systemd, a container runtime) restarts the whole process.
 */
function exitOnDatabaseLost(logger: Logger): (error: Error) => void {
  return (error) => {
    logger.fatal({ err: error }, 'the embedded PostgreSQL could not be restarted; exiting so a service manager restarts fleetflash');
    process.exit(1);
  };
}

async function runServer(role: Role, config: Config, logger: Logger, extraShutdown: (() => Promise<unknown>)[] = []): Promise<RunningServer | null> {
  const runtime = await openRuntime(config, logger, { exclusive: true, onDatabaseLost: exitOnDatabaseLost(logger) });
  const tasks = role === 'api' ? null : new TaskScheduler({
    db: runtime.db, databaseUrl: runtime.databaseUrl, logger, tasks: TASKS,
    context: {
      config, db: runtime.db, storage: runtime.storage, secrets: runtime.secrets, hardwareTable: runtime.hardwareTable,
      logger,
    },
  });
  await tasks?.start();
  const dispatcher = role === 'api' ? null : new UpgradeDispatcher(
    { db: runtime.db, storage: runtime.storage, secrets: runtime.secrets, config, logger, upgraders: runtime.upgraders },
    runtime.databaseUrl,
  );
  await dispatcher?.start();
  const builds = role === 'api' || !config.imageBuilds.enabled ? null : new BuildDispatcher(
    { db: runtime.db, config, storage: runtime.storage, secrets: runtime.secrets, hardwareTable: runtime.hardwareTable, logger },
    runtime.databaseUrl,
  );
  await builds?.start();
  if (role === 'worker') {
    onShutdown(logger, [
      () => dispatcher!.stop(), async () => builds?.stop(), async () => tasks?.stop(), () => runtime.close(),
    ]);
    logger.info({ database: describeDatabase(runtime) }, 'fleetflash worker started');
    process.stdout.write(`fleetflash ${VERSION} worker started (${dispatcher!.workerId})\n`);
    return null;
  }

  const bootstrap = await ensureInitialSuperuser(runtime.db, { username: config.bootstrap.adminUsername, password: config.bootstrap.adminPassword });
  const app = await buildApp({
    config, logger, version: VERSION, db: runtime.apiDb, storage: runtime.storage, hardwareTable: runtime.hardwareTable,
    secrets: runtime.secrets, upgraders: runtime.upgraders, databaseUrl: runtime.databaseUrl,
  });
  app.server.requestTimeout = 0; // uploads of large images may legitimately take long
  app.server.headersTimeout = 60_000;
  app.server.keepAliveTimeout = 65_000;
  await app.listen({ host: config.server.host, port: config.server.port });
  onShutdown(logger, [
    ...extraShutdown, () => app.close(), async () => dispatcher?.stop(), async () => builds?.stop(),
    async () => tasks?.stop(), () => runtime.close(),
  ]);

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const shownHost = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  const url = config.server.publicUrl ?? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  const lines = [
    '',
    `fleetflash ${VERSION} is running at ${url}/`,
    ...(existsSync(path.join(config.webDir, 'index.html')) ? [`  Web UI:            ${url}/ (log in there)`] : [`  Web UI:            not built (npm run build builds it into ${config.webDir})`]),
    `  API documentation: ${url}/api/v1/docs/`,
    `  Database:          ${describeDatabase(runtime)}`,
  ];
  if (bootstrap.generatedPassword) {
    lines.push(
      `  Log in as "${bootstrap.username}" with password: ${bootstrap.generatedPassword}`,
      '  (shown only this once: note it, or change it with PATCH /api/v1/users/{id}/)',
    );
  } else if (bootstrap.created) {
    lines.push(`  Log in as "${bootstrap.username}" with the password from FLEETFLASH_ADMIN_PASSWORD.`);
  } else {
    lines.push('  Log in with your fleetflash account (the first superuser was created on the first start).');
  }
  lines.push(`  Example: curl -c cookies -H 'content-type: application/json' -H 'origin: ${url}' -d '{"username":"…","password":"…"}' ${url}/api/v1/auth/login`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
  return { url, runtime };
}

async function withRuntime(config: Config, logger: Logger, work: (runtime: Runtime) => Promise<void>): Promise<void> {
  const runtime = await openRuntime(config, logger);
  try {
    await work(runtime);
  } finally {
    await runtime.close();
  }
}

function numberOption(values: Record<string, unknown>, name: string, fallback: number, check: (value: number) => boolean): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) throw new UsageError(`--${name}: "${String(raw)}" is not a valid value`);
  return value;
}

async function simulate(values: Record<string, unknown>): Promise<void> {
  const faults = typeof values.faults === 'string' && values.faults !== '' ? values.faults.split(',') : [];
  const unknown = faults.filter((fault) => !(FAULT_NAMES as readonly string[]).includes(fault));
  if (unknown.length) throw new UsageError(`unknown fault ${unknown.join(', ')}: choose from ${FAULT_NAMES.join(', ')}`);
  let register: { url: string; organization: string; secret: string } | undefined;
  if (values.register !== undefined) {
    register = { url: String(values.register), organization: requireOption(values, 'organization'), secret: requireOption(values, 'secret') };
  }
  const fleet = await runSimulation({
    devices: numberOption(values, 'devices', 5, (n) => Number.isInteger(n) && n >= 1 && n <= 5000),
    basePort: numberOption(values, 'base-port', 0, (n) => Number.isInteger(n) && n >= 0 && n <= 65000),
    seed: numberOption(values, 'seed', 1, Number.isInteger),
    faults: faults as FaultName[],
    faultRate: numberOption(values, 'fault-rate', faults.length ? 0.1 : 0, (n) => n >= 0 && n <= 1),
    rebootSeconds: numberOption(values, 'reboot-seconds', 3, (n) => n >= 0 && n <= 600),
    password: typeof values.password === 'string' ? values.password : 'simulated',
    ...(register ? { register } : {}),
    ...(typeof values.json === 'string' ? { jsonFile: values.json } : {}),
  });
  const stop = () => void fleet.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function requireOption(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      email: { type: 'string' },
      superuser: { type: 'boolean' },
      organization: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      slug: { type: 'string' },
      'expires-in-days': { type: 'string' },
      devices: { type: 'string' },
      'base-port': { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      'fault-rate': { type: 'string' },
      'reboot-seconds': { type: 'string' },
      register: { type: 'string' },
      secret: { type: 'string' },
      json: { type: 'string' },
      board: { type: 'string' },
      os: { type: 'string' },
      out: { type: 'string' },
      'size-mib': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  if (values.version) return void process.stdout.write(`${VERSION}\n`);
  const command = positionals.join(' ') || 'serve';
  if (command === 'simulate') return simulate(values);
  if (command === 'sample-image') {
    const out = typeof values.out === 'string' ? values.out : 'sample-sysupgrade.bin';
    try {
      const suggested = writeSampleImage({ boardName: requireOption(values, 'board'), os: requireOption(values, 'os'), out, sizeMiB: numberOption(values, 'size-mib', 4, (n) => n > 0 && n <= 512) });
      return void process.stdout.write(`Wrote ${out}. Upload it with the file name ${suggested} (or give "type").\n`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError((error as Error).message);
    }
  }
  if (command === 'demo') {
    return runDemo({
      devices: numberOption(values, 'devices', 50, (n) => Number.isInteger(n) && n >= 2 && n <= 2000),
      faultRate: numberOption(values, 'fault-rate', 0, (n) => n >= 0 && n <= 1),
      rebootSeconds: numberOption(values, 'reboot-seconds', 3, (n) => n >= 0 && n <= 600),
      start: (demoConfig, shutdown) => runServer('serve', demoConfig, createLogger(demoConfig.log.level), shutdown) as Promise<RunningServer>,
    });
  }
  const config = loadConfig();
  // CLI commands log warnings only: their output is the answer a person reads.
  const serverCommand = ['serve', 'api', 'worker'].includes(command);
  const logger = createLogger(serverCommand ? config.log.level : 'warn');

  switch (command) {
    case 'serve':
    case 'api':
    case 'worker':
      return void (await runServer(command as Role, config, logger));
    case 'migrate':
      return withRuntime(config, logger, async () => void process.stdout.write('Database is up to date.\n'));
    case 'user create':
      return withRuntime(config, logger, async ({ db }) => {
        const username = requireOption(values, 'username');
        const password = values.password ?? generatePassword();
        let memberships: { organization: string; role: 'admin' | 'operator' }[] = [];
        if (values.organization) {
          const organization = await findOrganizationBySlug(db, values.organization);
          if (!organization) throw new UsageError(`no organization with slug "${values.organization}" (create it with: fleetflash org create --name …)`);
          const role = values.role ?? 'operator';
          if (role !== 'admin' && role !== 'operator') throw new UsageError('--role must be admin or operator');
          memberships = [{ organization: organization.id, role }];
        }
        const { user } = await createUser(db, OPERATOR, { username, password, email: values.email, isSuperuser: values.superuser ?? false, memberships });
        process.stdout.write(`Created user ${user.username} (${user.id})${user.isSuperuser ? ', superuser' : ''}.\n`);
        if (!values.password) process.stdout.write(`Password (shown once): ${password}\n`);
      });
    case 'org create':
      return withRuntime(config, logger, async ({ db }) => {
        const organization = await createOrganization(db, OPERATOR, { name: requireOption(values, 'name'), slug: values.slug });
        process.stdout.write(`Created organization ${organization.name} (slug ${organization.slug}, id ${organization.id}).\n`);
      });
    case 'token create':
      return withRuntime(config, logger, async ({ db }) => {
        const user = await findUserByUsername(db, requireOption(values, 'username'));
        if (!user) throw new UsageError(`no user named "${values.username}"`);
        const days = values['expires-in-days'] ? Number(values['expires-in-days']) : null;
        if (days !== null && (!Number.isInteger(days) || days < 1)) throw new UsageError('--expires-in-days must be a whole number of days');
        const { token, row } = await createApiToken(db, await actorForUser(db, user.id), { name: values.name ?? 'cli', expiresInDays: days });
        process.stdout.write(`Created token "${row.name}" for ${user.username}${row.expiresAt ? `, expires ${row.expiresAt.toISOString()}` : ''}.\n${token}\n`);
      });
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee docs/settings.md for every setting.\n`);
  } else if (error instanceof UsageError) {
    process.stderr.write(`fleetflash: ${error.message}\n\n${USAGE}\n`);
  } else if (error instanceof AppError || mapDatabaseError(error)) {
    process.stderr.write(`fleetflash: ${(error instanceof AppError ? error : mapDatabaseError(error)!).message}\n`);
  } else if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`fleetflash: ${error.message}\n\n${USAGE}\n`);
  } else {
    process.stderr.write(`fleetflash: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
