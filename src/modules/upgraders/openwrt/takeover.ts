import type { ExecResult } from '../ssh-session.js';

/**
 * What a worker that takes over a recorded flash concludes from what the device shows. Sending the
 * image again is the one dangerous answer (a router flashed twice, or flashed while it flashes), so
 * it is given only on proof: the same boot as before the flash, sysupgrade certainly not running,
 * and the device certainly on another release than the build's. Everything uncertain waits for a
 * reboot and verifies instead.
 */

/** Whether sysupgrade (or procd's `upgraded`, its stage 2) runs, as `pidof sysupgrade upgraded` tells. */
export type FlashProcess = 'running' | 'not-running' | 'unknown';

/** The command whose answer `flashProcessFrom` reads. */
export const FLASH_PROCESS_COMMAND = 'pidof sysupgrade upgraded';

/**
 * busybox pidof prints the pids and exits 0 when it finds one, and exits 1 printing nothing when it
 * finds none. Any other answer (127: no pidof on this device; a crash; output with a failure status)
 * proves nothing either way.
 */
export function flashProcessFrom(result: Pick<ExecResult, 'code' | 'stdout'>): FlashProcess {
  const output = result.stdout.trim();
  if (result.code === 0 && /^\d+(\s+\d+)*$/.test(output)) return 'running';
  if (result.code === 1 && output === '') return 'not-running';
  return 'unknown';
}

export type TakeoverFinding =
  /** A new boot since the flash was recorded: verify what it runs. */
  | 'new-boot'
  /** Same boot, sysupgrade running: wait for the reboot. */
  | 'flashing'
  /** Same boot, and the device already runs the build's release: nothing to flash, success. */
  | 'on-target'
  /** Same boot, no sysupgrade running, another release: the flash was never performed. */
  | 'not-performed'
  /** Same boot, but whether sysupgrade runs or what the device runs is not known: wait, never re-flash. */
  | 'unknown';

/** The decision, from the facts a takeover gathers on the device. */
export function takeoverFinding(facts: {
  sameBoot: boolean;
  flashProcess: FlashProcess;
  /** Whether the running release is the build's; null when the device did not say what it runs. */
  runsTarget: boolean | null;
}): TakeoverFinding {
  if (!facts.sameBoot) return 'new-boot';
  if (facts.flashProcess === 'running') return 'flashing';
  if (facts.runsTarget === true) return 'on-target';
  if (facts.flashProcess === 'not-running' && facts.runsTarget === false) return 'not-performed';
  return 'unknown';
}
