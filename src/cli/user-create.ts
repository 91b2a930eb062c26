import { findOrganizationBySlug } from '../modules/accounts/organization.repository.js';
import { createUser } from '../modules/accounts/user.service.js';
import type { Config } from '../platform/config.js';
import { generatePassword } from '../platform/crypto.js';
import type { Logger } from '../platform/logger.js';
import { type CliValues, requireOption } from './options.js';
import { UsageError } from './usage.js';
import { OPERATOR, withRuntime } from './with-runtime.js';

/** `fleetflash user create`: a user, optionally a member of one organization; prints a generated password once. */
export function userCreateCommand(values: CliValues, config: Config, logger: Logger): Promise<void> {
  return withRuntime(config, logger, async ({ db }) => {
    const username = requireOption(values, 'username');
    const password = values.password ?? generatePassword();
    let memberships: { organization: string; role: 'admin' | 'operator' }[] = [];
    if (values.organization) {
      const organization = await findOrganizationBySlug(db, values.organization);
      if (!organization) {
        throw new UsageError(
          `no organization with slug "${values.organization}" (create it with: fleetflash org create --name …)`,
        );
      }
      const role = values.role ?? 'operator';
      if (role !== 'admin' && role !== 'operator') throw new UsageError('--role must be admin or operator');
      memberships = [{ organization: organization.id, role }];
    }
    const { user } = await createUser(db, OPERATOR, {
      username,
      password,
      email: values.email,
      isSuperuser: values.superuser ?? false,
      memberships,
    });
    process.stdout.write(`Created user ${user.username} (${user.id})${user.isSuperuser ? ', superuser' : ''}.\n`);
    if (!values.password) process.stdout.write(`Password (shown once): ${password}\n`);
  });
}
