import { describe, expect, it } from 'vitest';
import { ProgramNotFound, runCommand } from './run-command.js';

describe('runCommand', () => {
  it('says which program is not installed instead of a bare spawn ENOENT', async () => {
    const run = runCommand('fleetflash-no-such-program', [], { cwd: '/', deadline: Date.now() + 5_000 });
    await expect(run).rejects.toBeInstanceOf(ProgramNotFound);
    await expect(run).rejects.toThrow('The program "fleetflash-no-such-program" is not installed on this server');
  });

  it("tells make missing under coreutils timeout by timeout's exit status 127 and message", async () => {
    const result = await runCommand('timeout', ['5s', 'fleetflash-no-such-program'], {
      cwd: '/',
      deadline: Date.now() + 5_000,
    });
    expect(result.code).toBe(127);
    expect(result.stderr).toMatch(/timeout: failed to run command/);
  });
});
