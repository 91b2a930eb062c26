import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentHttp } from './agent-http.js';
import type { RouterState } from './router-state.js';
import type { Faults } from './router.js';
import { runShell } from './shell.js';

/**
 * The simulated agent's configuration restore (`action=restore`) and health probe (`action=probe`), as the
 * shell agent runs them (docs/agent-protocol.md), on the router's `RouterState` so the SSH routers' faults mean
 * the same: `probeFails` / `probeHangs` for probes, `restoreFails` for `sysupgrade -r`.
 */

/** What the actions need of the simulated agent router. */
export interface AgentActionHost {
  readonly name: string;
  readonly state: RouterState;
  readonly faults: Faults;
  readonly http: AgentHttp;
  readonly signal: AbortSignal;
  report(operation: string, step: string, fields: Record<string, string>): Promise<Map<string, string>>;
  poll(operation: string, phase?: string): Promise<Map<string, string>>;
  /** The router reboots after the restore (same release) and reports `booted` for the operation. */
  rebootFor(operation: string): void;
}

/** The failure an action reports (`failed code=…`). */
export class ActionFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const RESTORE_PATH = '/tmp/fleetflash-restore.tar.gz';
const OUTPUT_LIMIT = 1000;

/** Runs one probe with its timeout and reports its exit status and output. */
export async function runProbe(host: AgentActionHost, answer: Map<string, string>): Promise<void> {
  const operation = answer.get('operation') ?? '';
  const index = answer.get('probe') ?? '';
  const timeoutMs = Number(answer.get('timeout') ?? 0) * 1000;
  const command = answer.get('command') ?? '';
  const { faults } = host;
  let result: { exit: string; timedOut: boolean; output: string };
  if (faults.probeHangs !== undefined && command.includes(faults.probeHangs)) {
    await sleep(timeoutMs, undefined, { signal: host.signal });
    result = { exit: '', timedOut: true, output: '' };
  } else if (faults.probeFails !== undefined && command.includes(faults.probeFails)) {
    result = { exit: '1', timedOut: false, output: `simulated probe failure: ${command}` };
  } else {
    const ran = await runShell(command, host.state);
    result = { exit: String(ran.code), timedOut: false, output: `${ran.stdout}${ran.stderr}` };
  }
  await host.report(operation, 'probe', {
    index,
    exit: result.exit,
    timed_out: result.timedOut ? '1' : '0',
    output: result.output.slice(0, OUTPUT_LIMIT),
  });
}

/**
 * A configuration restore: download the archive, check size, sha256 and board, report `ready`, wait for
 * `action=flash`, then `sysupgrade -r` and a reboot. Throws ActionFailed for what the agent reports as failed.
 * Returns false when the server cancelled it.
 */
export async function runRestore(host: AgentActionHost, answer: Map<string, string>): Promise<boolean> {
  const operation = answer.get('operation') ?? '';
  const size = Number(answer.get('size') ?? 0);
  const board = answer.get('board') ?? '';
  if (board !== host.state.reportedBoard)
    throw new ActionFailed('board-mismatch', `This router is ${host.state.reportedBoard}; the backup is of ${board}.`);
  const response = await host.http.request(answer.get('archive_url') ?? '', { method: 'GET', signal: host.signal });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  if (response.statusCode !== 200) throw new ActionFailed('transfer-interrupted', `HTTP ${response.statusCode}`);
  const archive = Buffer.concat(chunks);
  await host.report(operation, 'downloaded', {});
  const sha256 = createHash('sha256').update(archive).digest('hex');
  if (archive.length !== size || sha256 !== answer.get('sha256'))
    throw new ActionFailed('checksum-mismatch', `The backup has ${archive.length} bytes and sha256 ${sha256}.`);
  const upload = host.state.beginUpload(RESTORE_PATH);
  upload.write(archive);
  upload.end();
  await host.report(operation, 'verified', {});
  await host.report(operation, 'ready', {});
  for (;;) {
    const next = await host.poll(operation, 'ready');
    const action = next.get('action');
    if (action === 'flash' && next.get('operation') === operation) break;
    if (action === 'cancel') return false;
  }
  await host.report(operation, 'flashing', {});
  const restored = host.faults.restoreFails
    ? { code: 1, stderr: "tar: can't remove old file etc/config/network: Read-only file system" }
    : await host.state.command('sysupgrade', ['-r', RESTORE_PATH], '');
  host.state.remove(RESTORE_PATH, false);
  if (restored?.code !== 0)
    throw new ActionFailed('restore-failed', `sysupgrade -r exited with ${restored?.code}: ${restored?.stderr}`);
  host.rebootFor(operation);
  return true;
}
