import { parseOpenWrtVersion, releaseOf } from '../upgrades/openwrt-version.js';
import {
  RecoverableFailure,
  UpgradeAborted,
  UpgradeFailed,
  type ImageTarget,
  type UpgradeOutcome,
} from '../upgraders/upgrader.js';

/**
 * How the pull agent's words map onto the engine's: the failure codes an agent may report, and
 * which release proves a flash.
 */

/** The codes of `step=failed` (docs/agent-protocol.md), each ending the attempt as an SSH upgrade would. */
export const AGENT_FAILURE_CODES = [
  'insufficient-memory',
  'transfer-interrupted',
  'checksum-mismatch',
  'image-rejected',
  'backup-failed',
  'flash-refused',
  'board-mismatch',
  'restore-failed',
] as const;
export type AgentFailureCode = (typeof AGENT_FAILURE_CODES)[number];

export function isAgentFailureCode(code: string): code is AgentFailureCode {
  return (AGENT_FAILURE_CODES as readonly string[]).includes(code);
}

/**
 * The outcome of an agent's `failed` report: a broken transfer or damaged image is retried (as over
 * SSH); a failed `sysupgrade -r` fails the restore; the others leave the device untouched and end the
 * operation aborted, as the same SSH checks do.
 * A code outside the list is the upgrader's own (`upgrader-error`, the code named in the log).
 */
export function failureOutcome(code: string, message: string): UpgradeOutcome {
  const text = `The device's agent gave up: ${message || 'no reason given'}.`;
  if (!isAgentFailureCode(code)) return new UpgradeFailed(`agent:${code || 'unknown'}`, text);
  if (code === 'transfer-interrupted' || code === 'checksum-mismatch') return new RecoverableFailure(code, text);
  // After `flashing` of a restore: sysupgrade -r failed part-way, and the agent did not reboot (as over SSH).
  if (code === 'restore-failed')
    return new UpgradeFailed(code, `${text} The configuration may be partly restored; the device was not rebooted.`);
  return new UpgradeAborted(code, `${text} Nothing was flashed.`);
}

/**
 * The release the device must report after the flash (the job's `release=`): the version word of the
 * build's OS identifier ("OpenWrt 23.05.3 r23809-…" → 23.05.3), else of its version label, else the label.
 */
export function expectedRelease(build: ImageTarget['build']): string {
  for (const word of `${build.os ?? ''} ${build.version}`.split(/\s+/)) {
    if (word && parseOpenWrtVersion(word)) return word;
  }
  return build.os ?? build.version;
}

/** The revision the build's OS identifier names ("OpenWrt 23.05.3 r23809-234f1a2efa" → r23809-234f1a2efa), or null. */
export function revisionOf(build: ImageTarget['build']): string | null {
  return (build.os ?? '').split(/\s+/).find((word) => /^r\d+-[0-9a-f]+$/.test(word)) ?? null;
}

/** Whether a release the agent reported is the build's (the same version, however it is spelled). */
export function releaseMatches(build: ImageTarget['build'], reported: string): boolean {
  const expected = expectedRelease(build);
  if (reported.trim() === expected) return true;
  const target = releaseOf(build.os, build.version);
  const seen = parseOpenWrtVersion(reported.trim());
  return (
    target !== null &&
    seen !== null &&
    target.numbers.every((part, index) => part === seen.numbers[index]) &&
    target.rc === seen.rc &&
    target.branchSnapshot === seen.branchSnapshot
  );
}
