import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../platform/paths.js';
import { agentFilesOf } from './agent-first-boot.js';
import { AgentPackages, buildAgentPackage, scriptVersion } from './agent-package.js';

const SCRIPT = '#!/bin/sh\nVERSION=2.1.0\necho agent\n';
const INSTALLER = `#!/bin/sh
cat > /etc/init.d/fleetflash <<'SERVICE'
#!/bin/sh /etc/rc.common
START=99
SERVICE
chmod 755 /etc/init.d/fleetflash
cat > /lib/upgrade/keep.d/fleetflash <<'KEEP'
/usr/sbin/fleetflash-agent
KEEP
`;

describe('buildAgentPackage', () => {
  it('names the package after the script version', () => {
    const built = buildAgentPackage(agentFilesOf(SCRIPT, INSTALLER));
    expect(built.version).toBe('2.1.0');
    expect(built.fileName).toBe('fleetflash-agent_2.1.0_all.ipk');
    expect(built.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Reproducible: the same files give the same bytes (the ETag follows the content only).
    expect(buildAgentPackage(agentFilesOf(SCRIPT, INSTALLER)).bytes.equals(built.bytes)).toBe(true);
  });

  it('refuses a script without a usable VERSION and an installer that does not write the service', () => {
    expect(() => scriptVersion('#!/bin/sh\necho agent\n')).toThrow(/no VERSION=/);
    expect(() => scriptVersion('VERSION=latest\n')).toThrow(/no VERSION=/);
    expect(() => buildAgentPackage({ script: '#!/bin/sh\n', service: '', keepList: '' })).toThrow(/no VERSION=/);
    expect(() => agentFilesOf(SCRIPT, INSTALLER.replace('/etc/init.d/fleetflash <<', '/tmp/x <<'))).toThrow(
      /no longer writes \/etc\/init\.d\/fleetflash/,
    );
  });
});

describe('AgentPackages', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-agent-package-'));
    cpSync(path.join(PROJECT_ROOT, 'agent'), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds once per content of the agent files and again when they change', async () => {
    const packages = new AgentPackages(dir);
    const first = await packages.current();
    expect(await packages.current()).toBe(first);
    const installer = path.join(dir, 'install.sh');
    writeFileSync(installer, readFileSync(installer, 'utf8').replace('START=99', 'START=98'));
    const second = await packages.current();
    expect(second).not.toBe(first);
    expect(second.sha256).not.toBe(first.sha256);
  });
});
