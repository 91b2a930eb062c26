import { writeSampleImage } from '../../simulator/cli.js';
import { type CliValues, numberOption, requireOption } from './options.js';
import { UsageError } from './usage.js';

/** `fleetflash sample-image`: a sysupgrade-shaped image the simulator accepts. */
export function sampleImageCommand(values: CliValues): void {
  const out = typeof values.out === 'string' ? values.out : 'sample-sysupgrade.bin';
  let suggested: string;
  try {
    suggested = writeSampleImage({
      boardName: requireOption(values, 'board'),
      os: requireOption(values, 'os'),
      out,
      sizeMiB: numberOption(values, 'size-mib', 4, (n) => n > 0 && n <= 512),
    });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
  process.stdout.write(`Wrote ${out}. Upload it with the file name ${suggested} (or give "type").\n`);
}
