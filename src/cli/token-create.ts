import { actorForUser, createApiToken } from '../modules/accounts/auth.service.js';
import { findUserByUsername } from '../modules/accounts/user.repository.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { type CliValues, requireOption } from './options.js';
import { UsageError } from './usage.js';
import { withRuntime } from './with-runtime.js';

/** `fleetflash token create`: an API token acting as the user; prints the token once. */
export function tokenCreateCommand(values: CliValues, config: Config, logger: Logger): Promise<void> {
  return withRuntime(config, logger, async ({ db }) => {
    const user = await findUserByUsername(db, requireOption(values, 'username'));
    if (!user) throw new UsageError(`no user named "${values.username}"`);
    const days = values['expires-in-days'] ? Number(values['expires-in-days']) : null;
    if (days !== null && (!Number.isInteger(days) || days < 1)) {
      throw new UsageError('--expires-in-days must be a whole number of days');
    }
    const actor = await actorForUser(db, user.id);
    const { token, row } = await createApiToken(db, actor, { name: values.name ?? 'cli', expiresInDays: days });
    const expires = row.expiresAt ? `, expires ${row.expiresAt.toISOString()}` : '';
    process.stdout.write(`Created token "${row.name}" for ${user.username}${expires}.\n${token}\n`);
  });
}
