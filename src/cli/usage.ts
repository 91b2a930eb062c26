import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../platform/paths.js';

export const VERSION = (
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

export const USAGE = `fleetflash ${VERSION}: firmware management for fleets of OpenWrt routers

Usage: fleetflash <command> [options]

Commands:
  serve                 API and worker in one process (the default)
  api                   HTTP API only (scale-out: run several, plus workers)
  worker                background work only: upgrades, image builds, periodic tasks
  migrate               apply database migrations and exit
  user create           create a user: --username U [--password P] [--email E] [--superuser]
                        [--organization SLUG --role admin|operator]
  org create            create an organization: --name N [--slug S]
  token create          create an API token: --username U [--name N] [--expires-in-days D]
  simulate              run simulated OpenWrt routers: --devices N [--base-port P] [--seed S]
                        [--faults transfer-cut,never-returns,…] [--fault-rate 0.1] [--reboot-seconds 3]
                        [--password P] [--register URL --organization SLUG --secret S] [--json-file FILE]
                        [--board mix|BOARD_NAME] [--agent (pull mode: the routers run the agent and
                        poll the --register server)]; on exit prints each release and flash count (and
                        writes them to the JSON file)
  demo                  serve a throw-away fleetflash with a simulated fleet and sample firmware, to try
                        mass upgrades: [--devices 50] [--fault-rate 0.1] [--reboot-seconds 3]
                        [--faults health-fails,…] (the faults the faulty routers get; default: a mix);
                        --devices counts the SSH routers: 2 more behind NAT run the pull agent
  sample-image          write a sysupgrade-shaped image the simulator flashes: --board B --os "OpenWrt V R"
                        [--out FILE] [--size-mib N]

Settings come from environment variables and an optional JSON file (FLEETFLASH_CONFIG);
see docs/settings.md.`;

/** A mistake in the command line: reported with the usage text, exit code 1. */
export class UsageError extends Error {}
