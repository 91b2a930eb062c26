import { FAULT_NAMES, runSimulation } from '../../simulator/cli.js';
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
  let register: { url: string; organization: string; secret: string } | undefined;
  if (values.register !== undefined) {
    register = {
      url: String(values.register),
      organization: requireOption(values, 'organization'),
      secret: requireOption(values, 'secret'),
    };
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
