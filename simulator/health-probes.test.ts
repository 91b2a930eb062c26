import { describe, expect, it } from 'vitest';
import { faultsFor, SIMULATED_BOARDS } from './fleet.js';
import { RouterState } from './router-state.js';
import { runShell } from './shell.js';

/** What the simulated router answers to the documented health probes (docs/operations.md). */

const WAN_PROBE = `ubus call network.interface.wan status | grep -q '"up": true'`;

function router(): RouterState {
  const release = { distribution: 'OpenWrt', version: '23.05.0', revision: 'r1', target: 'ath79/generic' };
  return new RouterState({ name: 'r', macAddress: '02:00:00:00:00:01', boardName: 'b', model: 'm', release });
}

describe('health probes on a simulated router', () => {
  it('passes the documented examples on a healthy router, and fails pidof of what does not run', async () => {
    const state = router();
    for (const command of [WAN_PROBE, 'pidof dnsmasq', 'ping -c 1 -W 2 192.0.2.1'])
      expect((await runShell(command, state)).code, command).toBe(0);
    expect((await runShell(WAN_PROBE, state)).stdout).toBe('');
    expect((await runShell('pidof no-such-daemon', state)).code).toBe(1);
    await runShell('/etc/init.d/dnsmasq stop', state);
    expect((await runShell('pidof dnsmasq', state)).code).toBe(1);
  });

  it('makes the fleet fault health-fails target the documented WAN probe', () => {
    const { faults } = faultsFor('health-fails', () => 0.5, SIMULATED_BOARDS[0]!);
    expect(faults.probeFails).toBeDefined();
    expect(WAN_PROBE).toContain(faults.probeFails);
  });
});
