import { existsSync } from 'node:fs';
import path from 'node:path';
import { backgroundWorkFor, createHttpApp, type Role, startBackgroundWork } from '../composition.js';
import { ensureInitialSuperuser, type InitialSuperuser } from '../modules/accounts/user.service.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { VERSION } from './usage.js';

export interface RunningServer {
  url: string;
  runtime: Runtime;
  /** Whether this start created the first superuser, and how it logs in. */
  bootstrap: InitialSuperuser;
}

/**
 * `fleetflash serve | api | worker`: opens the runtime, starts the role's background work and (but
 * for `worker`) listens; SIGINT/SIGTERM stop it gracefully. `extraShutdown` runs first on shutdown.
 * Resolves once running: with the URL for `serve` and `api`, with null for `worker`.
 * `announceLogin: false` leaves out how to log in, for a caller that says it itself (the demo).
 */
export async function runServer(
  role: Role,
  config: Config,
  logger: Logger,
  extraShutdown: (() => Promise<unknown>)[] = [],
  options: { announceLogin?: boolean } = {},
): Promise<RunningServer | null> {
  const runtime = await openRuntime(config, logger, { exclusive: true, onDatabaseLost: exitOnDatabaseLost(logger) });
  const work = await startBackgroundWork(runtime, backgroundWorkFor(role, config));
  if (role === 'worker') {
    onShutdown(logger, [...extraShutdown, () => work.stop(), () => runtime.close()]);
    logger.info({ database: describeDatabase(runtime) }, 'fleetflash worker started');
    process.stdout.write(`fleetflash ${VERSION} worker started (${work.upgrades?.workerId})\n`);
    return null;
  }

  const bootstrap = await ensureInitialSuperuser(runtime.db, {
    username: config.bootstrap.adminUsername,
    password: config.bootstrap.adminPassword,
  });
  const app = await createHttpApp(runtime, { version: VERSION });
  app.server.requestTimeout = 0; // uploads of large images may legitimately take long
  app.server.headersTimeout = 60_000;
  app.server.keepAliveTimeout = 65_000;
  await app.listen({ host: config.server.host, port: config.server.port });
  onShutdown(logger, [...extraShutdown, () => app.close(), () => work.stop(), () => runtime.close()]);

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const { host } = config.server;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = config.server.publicUrl ?? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  const webUi = existsSync(path.join(config.webDir, 'index.html'))
    ? `${url}/ (log in there)`
    : `not built (npm run build builds it into ${config.webDir})`;
  const lines = [
    '',
    `fleetflash ${VERSION} is running at ${url}/`,
    `  Web UI:            ${webUi}`,
    `  API documentation: ${url}/api/v1/docs/`,
    `  Database:          ${describeDatabase(runtime)}`,
  ];
  if (options.announceLogin !== false) lines.push(...loginLines(bootstrap, url));
  else lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
  return { url, runtime, bootstrap };
}

function loginLines(bootstrap: InitialSuperuser, url: string): string[] {
  const lines: string[] = [];
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
  lines.push(
    `  Example: curl -c cookies -H 'content-type: application/json' -H 'origin: ${url}' ` +
      `-d '{"username":"…","password":"…"}' ${url}/api/v1/auth/login`,
    '',
  );
  return lines;
}

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
  return runtime.embedded
    ? `embedded PostgreSQL in ${path.join(runtime.config.dataDir, 'postgres')}`
    : 'PostgreSQL at DATABASE_URL';
}

/**
 * The embedded PostgreSQL died and its supervisor could not restart it: exit non-zero so that a
 * service manager (systemd, a container runtime) restarts the whole process.
 */
function exitOnDatabaseLost(logger: Logger): (error: Error) => void {
  return (error) => {
    logger.fatal(
      { err: error },
      'the embedded PostgreSQL could not be restarted; exiting so a service manager restarts fleetflash',
    );
    process.exit(1);
  };
}
