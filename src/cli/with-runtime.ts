import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { openRuntime, type Runtime } from '../runtime.js';
import type { Actor } from '../modules/accounts/actor.js';

/** Runs a one-shot command against the database (migrated first), then closes everything. */
export async function withRuntime(
  config: Config,
  logger: Logger,
  work: (runtime: Runtime) => Promise<void>,
): Promise<void> {
  const runtime = await openRuntime(config, logger);
  try {
    await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** A (CLI) actor with every right: commands run by the machine's operator act as a superuser. */
export const OPERATOR: Actor = {
  userId: '00000000-0000-0000-0000-000000000000',
  username: 'cli',
  isSuperuser: true,
  memberships: new Map(),
  via: 'cli',
};
