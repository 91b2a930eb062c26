import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type AgentFiles, composeAgentFirstBoot, isAgentServerUrl, readAgentFiles } from './agent-first-boot.js';

const ENROLLMENT = { serverUrl: 'https://fleet.example.net', organization: 'acme', secret: "ffr_a'b" };
const FILES: AgentFiles = { script: '#!/bin/sh\nVERSION=1\n', service: '#!/bin/sh /etc/rc.common\n', keepList: '/x\n' };

/** The enroller the script writes, as its lines. */
function enrollerOf(script: string): string[] {
  const lines = script.split('\n');
  const start = lines.indexOf("cat > /usr/libexec/fleetflash-enroll <<'FLEETFLASH_ENROLLER_END'");
  return lines.slice(start + 1, lines.indexOf('FLEETFLASH_ENROLLER_END', start));
}

describe('the first-boot script of an image that carries the agent', () => {
  it('takes the service and keep list from agent/install.sh', async () => {
    const files = await readAgentFiles();
    expect(files.script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(files.service).toContain('procd_set_param command /usr/sbin/fleetflash-agent run');
    expect(files.keepList.split('\n')).toContain('/etc/config/fleetflash');
  });

  it('is valid sh, installs the agent first and runs the admin script after it', async () => {
    const script = composeAgentFirstBoot(await readAgentFiles(), ENROLLMENT, 'uci set system.@system[0].x=1\nexit 1');
    execFileSync('sh', ['-n', '-c', script]);
    expect(script.indexOf('cat > /usr/sbin/fleetflash-agent')).toBeLessThan(script.indexOf('uci set system'));
    expect(script.endsWith('exit 1')).toBe(true);
  });

  it('hands url, organization and secret to the enroller exactly, quotes and all', () => {
    const enroller = enrollerOf(composeAgentFirstBoot(FILES, ENROLLMENT, ''));
    const assignments = enroller.filter((line) => /^(url|organization|secret)=/.test(line)).join('\n');
    const printed = execFileSync('sh', ['-c', `${assignments}\nprintf '%s|%s|%s' "$url" "$organization" "$secret"`]);
    expect(printed.toString()).toBe("https://fleet.example.net|acme|ffr_a'b");
  });

  it('refuses a server URL the agent cannot use, and a file that holds its here-document marker', () => {
    expect(isAgentServerUrl('http://10.0.0.1:8080/fleet')).toBe(true);
    expect(isAgentServerUrl("http://host'name")).toBe(false);
    expect(isAgentServerUrl('ftp://host')).toBe(false);
    expect(() => composeAgentFirstBoot(FILES, { ...ENROLLMENT, serverUrl: 'http://a b' }, '')).toThrow();
    expect(() =>
      composeAgentFirstBoot({ ...FILES, script: 'x\nFLEETFLASH_AGENT_SCRIPT_END\ny' }, ENROLLMENT, ''),
    ).toThrow(/marker/);
  });
});
