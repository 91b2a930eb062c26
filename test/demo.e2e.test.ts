import { afterAll, describe, expect, it } from 'vitest';
import { type DemoProcess, startDemo } from './helpers/demo-process.js';
import { runCli } from './helpers/process.js';

/**
 * `fleetflash demo` as a newcomer runs it: a real process with its own embedded database and
 * simulated fleet; the one curl it prints launches a staged rollout that runs to the end.
 */

let demo: DemoProcess | undefined;
afterAll(async () => {
  await demo?.stop();
});

describe('fleetflash demo', () => {
  it('serves a fleet on two releases, and the printed request launches a staged rollout that finishes', async () => {
    demo = await startDemo(['--devices', '10', '--reboot-seconds', '0.3']);
    const deadline = Date.now() + 90_000;
    const output = demo.output();
    const { origin, password, token } = demo;
    expect(output).toContain('8 run OpenWrt 23.05.2, 2 already run 23.05.3');
    expect(output).toContain(
      'Plus 2 routers behind NAT on 23.05.2 (nat-0001, nat-0002): they run the pull agent and poll the server, no SSH.',
    );
    expect(output).toContain('"Berlin nights" window (01:00-05:00 Europe/Berlin)');
    // No faults by default: it says how to get routers that fail the health check.
    expect(output).toContain('start the demo with --faults health-fails --fault-rate 0.25');
    // The one password it prints is the one it set, and nothing sends the user to a setting they never made.
    expect(output).not.toContain('FLEETFLASH_ADMIN_PASSWORD');
    const login = await fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    const launch = /-d '([^']+)' (http:\/\/\S+\/upgrade\/)/.exec(output)!;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const preview = (await (await fetch(launch[2]!, { headers })).json()) as Record<string, any>;
    // The 8 SSH routers on the older release and the 2 agent routers.
    expect(preview.device_firmwares).toHaveLength(10);
    expect(preview.skipped.map((skip: { reason: string }) => skip.reason)).toEqual([
      'already-on-build',
      'already-on-build',
    ]);

    const body = JSON.parse(launch[1]!);
    body.rollout.bake_seconds = 0;
    const response = await fetch(launch[2]!, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    const { batch } = (await response.json()) as { batch: string };
    const batchUrl = new URL(`/api/v1/firmware/batch-upgrade-operation/${batch}/`, launch[2]!).toString();
    let state: Record<string, any> = {};
    const stages = new Set<number>();
    while (!['success', 'failed', 'cancelled'].includes(state.status)) {
      if (Date.now() > deadline + 60_000) throw new Error(`rollout did not finish: ${JSON.stringify(state)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = (await (await fetch(batchUrl, { headers })).json()) as Record<string, any>;
      stages.add(state.current_stage);
    }
    expect(state).toMatchObject({ status: 'success', progress_report: '10 out of 10', counts: { skipped: 2 } });
    expect(state.stages.map((stage: { size: number }) => stage.size)).toEqual([3, 7]);
    expect(stages.size).toBeGreaterThan(1);
    // The agent routers were in the rollout, upgraded from their polls by the agent upgrader.
    const operations = (await (await fetch(new URL('operations/?page_size=100', batchUrl), { headers })).json()) as {
      results: { id: string; device_name: string; status: string }[];
    };
    const nat = operations.results.filter((operation) => operation.device_name.startsWith('nat-'));
    expect(nat.map((operation) => [operation.device_name, operation.status]).sort()).toEqual([
      ['nat-0001', 'success'],
      ['nat-0002', 'success'],
    ]);
    for (const operation of nat) {
      const detail = await fetch(new URL(`/api/v1/firmware/upgrade-operation/${operation.id}/`, batchUrl), { headers });
      expect(((await detail.json()) as { log: string }).log).toContain('using the agent upgrader');
    }
  });

  it('refuses a fault it does not know, naming the ones it knows, before starting anything', async () => {
    const result = await runCli(['demo', '--faults', 'health-fails,melts'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown fault melts: choose from transfer-cut,');
    expect(result.stderr).toContain('health-fails');
    expect(result.stdout).not.toContain('Demo ready');
  });
});
