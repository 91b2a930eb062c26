import { boardsFor, FAULT_NAMES, fleetSummary, runSimulation, writeFleetJson } from '../../simulator/cli.js';
import { SIMULATED_BOARDS } from '../../simulator/fleet.js';
import type { FaultName } from '../../simulator/router.js';
import { type CliValues, numberOption, requireOption } from './options.js';
import { UsageError } from './usage.js';

/** `fleetflash simulate`: simulated OpenWrt routers until SIGINT/SIGTERM. */
export async function simulateCommand(values: CliValues): Promise<void> {
  const faults = typeof values.faults === 'string' && values.faults !== '' ? values.faults.split(',') : [];
  const unknown = faults.filter((fault) => !(FAULT_NAMES as readonly string[]).includes(fault));
  if (unknown.length) {
    throw new UsageError(`unknown fault ${unknown.join(', ')}: choose from ${FAULT_NAMES.join(', ')}`);
  }
  const boards = boardsFor(typeof values.board === 'string' ? values.board : 'mix');
  if (!boards) {
    throw new UsageError(
      `unknown board ${values.board}: choose mix or one of ${SIMULATED_BOARDS.map((b) => b.boardName).join(', ')}`,
    );
  }
  if (typeof values.json === 'string' && typeof values['json-file'] === 'string')
    throw new UsageError('--json and --json-file are the same option: give one');
  const jsonFile = typeof values['json-file'] === 'string' ? values['json-file'] : values.json;
  let register: { url: string; organization: string; secret: string } | undefined;
  if (values.register !== undefined) {
    register = {
      url: String(values.register),
      organization: requireOption(values, 'organization'),
      secret: requireOption(values, 'secret'),
    };
  }
  const agent = values.agent === true;
  if (agent && !register) throw new UsageError('--agent routers enroll with a server: give --register URL too');
  const fleet = await runSimulation({
    devices: numberOption(values, 'devices', 5, (n) => Number.isInteger(n) && n >= 1 && n <= 5000),
    basePort: numberOption(values, 'base-port', 0, (n) => Number.isInteger(n) && n >= 0 && n <= 65000),
    seed: numberOption(values, 'seed', 1, Number.isInteger),
    faults: faults as FaultName[],
    faultRate: numberOption(values, 'fault-rate', faults.length ? 0.1 : 0, (n) => n >= 0 && n <= 1),
    rebootSeconds: numberOption(values, 'reboot-seconds', 3, (n) => n >= 0 && n <= 600),
    password: typeof values.password === 'string' ? values.password : 'simulated',
    boards,
    ...(register ? { register } : {}),
    ...(typeof jsonFile === 'string' ? { jsonFile } : {}),
    ...(agent ? { agent } : {}),
  });
  // On exit: each router's flash count and final release, in the JSON file and as a summary.
  const stop = () =>
    void fleet.stop().then(() => {
      if (typeof jsonFile === 'string') writeFleetJson(fleet, jsonFile);
      process.stdout.write(fleetSummary(fleet), () => process.exit(0));
    });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
