/**
 * What an agent can do, by the version it reports (`agent_version`). Agents before 1.1.0 know only
 * `upgrade`: they ignore `restore` and `probe`, so the server refuses a restore for them at once and fails
 * a health check with a clear message, rather than wait for reports that never come.
 */

/** The first agent version that restores configuration backups and runs health probes. */
export const AGENT_RESTORE_PROBE_VERSION = '1.1.0';

/** Whether an agent of this version (e.g. "1.1.0", "1.1.0-sim") knows `restore` and `probe`. */
export function agentRestoresAndProbes(version: string | null): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return false;
  const major = Number(match[1]);
  return major > 1 || (major === 1 && Number(match[2]) >= 1);
}

/** The sentence that says an agent is too old for a feature, and how to update it. */
export function agentTooOld(version: string | null, what: string): string {
  return (
    `The device's agent (version ${version ?? 'unknown'}) cannot ${what}: agents from version ` +
    `${AGENT_RESTORE_PROBE_VERSION} can. Update it with the install command on the device page.`
  );
}
