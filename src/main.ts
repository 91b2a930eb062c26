import { demoCommand } from './cli/demo.js';
import { exitWithError } from './cli/errors.js';
import { migrateCommand } from './cli/migrate.js';
import { parseCommandLine } from './cli/options.js';
import { orgCreateCommand } from './cli/org-create.js';
import { sampleImageCommand } from './cli/sample-image.js';
import { runServer } from './cli/serve.js';
import { simulateCommand } from './cli/simulate.js';
import { tokenCreateCommand } from './cli/token-create.js';
import { USAGE, UsageError, VERSION } from './cli/usage.js';
import { userCreateCommand } from './cli/user-create.js';
import { loadConfig } from './platform/config.js';
import { createLogger } from './platform/logger.js';

/** The fleetflash command line: parses it and runs the command (one file per command in cli/). */
async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  if (values.version) return void process.stdout.write(`${VERSION}\n`);
  const command = positionals.join(' ') || 'serve';
  // Commands that need no configuration (demo makes its own).
  if (command === 'simulate') return simulateCommand(values);
  if (command === 'sample-image') return sampleImageCommand(values);
  if (command === 'demo') return demoCommand(values);

  const config = loadConfig();
  // CLI commands log warnings only: their output is the answer a person reads.
  const serverCommand = command === 'serve' || command === 'api' || command === 'worker';
  const logger = createLogger(serverCommand ? config.log.level : 'warn');
  switch (command) {
    case 'serve':
    case 'api':
    case 'worker':
      return void (await runServer(command, config, logger));
    case 'migrate':
      return migrateCommand(config, logger);
    case 'user create':
      return userCreateCommand(values, config, logger);
    case 'org create':
      return orgCreateCommand(values, config, logger);
    case 'token create':
      return tokenCreateCommand(values, config, logger);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch(exitWithError);
