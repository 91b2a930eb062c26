import { createOrganization } from '../modules/accounts/organization.service.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { type CliValues, requireOption } from './options.js';
import { OPERATOR, withRuntime } from './with-runtime.js';

/** `fleetflash org create`: an organization (the slug derives from the name unless given). */
export function orgCreateCommand(values: CliValues, config: Config, logger: Logger): Promise<void> {
  return withRuntime(config, logger, async ({ db }) => {
    const organization = await createOrganization(db, OPERATOR, {
      name: requireOption(values, 'name'),
      slug: values.slug,
    });
    process.stdout.write(
      `Created organization ${organization.name} (slug ${organization.slug}, id ${organization.id}).\n`,
    );
  });
}
