import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell, type ShellSystem } from '../simulator/shell.js';
import { joinCommands, shown, splitAnswers } from '../src/modules/upgraders/openwrt/remote.js';
import { BUSYBOX, skipWithout } from './helpers/system-tools.js';

// Commands run in one exec channel (remote.ts): the same answers from busybox ash (OpenWrt's shell), the
// system's /bin/sh (the dropbear router's) and the simulator's shell.

const skip = skipWithout(import.meta.url, [BUSYBOX]);
const folder = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-joined-'));
const files: Record<string, string> = {
  first: 'one line\n',
  second: '{\n\t"board_name": "x"\n}\n',
  marker: 'abc\n',
  // A file without a newline at its end (a marker written by hand): the separator lands on its line.
  bare: 'abc',
};
for (const [name, content] of Object.entries(files)) writeFileSync(path.join(folder, name), content);
const at = (name: string) => path.join(folder, name);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

type Run = (line: string) => Promise<{ stdout: string; code: number }>;

async function inProcess(program: string, args: string[], line: string): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await promisify(execFile)(program, [...args, line]);
    return { stdout, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; code: number };
    return { stdout: failed.stdout, code: failed.code };
  }
}

const simulated: ShellSystem = {
  readFile: (file) => {
    const name = path.basename(file);
    return path.dirname(file) === folder && name in files ? files[name]! : null;
  },
  writeFile: () => null,
  exists: (file) => path.basename(file) in files,
  isDirectory: () => false,
  isExecutable: () => false,
  mkdir: () => undefined,
  remove: () => false,
  list: () => null,
  command: () => null,
};

const shells: [string, Run][] = [
  ['busybox ash', (line) => inProcess(BUSYBOX.command, ['sh', '-c'], line)],
  ['/bin/sh', (line) => inProcess('/bin/sh', ['-c'], line)],
  ['the simulator', (line) => runShell(line, simulated)],
];

describe.skipIf(skip).each(shells)('joined commands in %s', (_name, run) => {
  it('answers each command in order, a missing optional first one with nothing', async () => {
    const result = await run(
      joinCommands([`cat ${at('first')}`, `cat ${at('second')}`], `cat ${at('none')} 2>/dev/null`),
    );
    expect(result.code).toBe(0);
    expect(splitAnswers(result.stdout, 3)).toEqual(['', files.first, files.second]);
  });

  it('hands the optional first answer over when it is there', async () => {
    const result = await run(joinCommands([`cat ${at('first')}`], `cat ${at('marker')} 2>/dev/null`));
    expect(result.code).toBe(0);
    expect(splitAnswers(result.stdout, 2)).toEqual([files.marker, files.first]);
  });

  it('tells the answers apart when one does not end with a newline', async () => {
    const result = await run(
      joinCommands([`cat ${at('bare')}`, `cat ${at('first')}`], `cat ${at('bare')} 2>/dev/null`),
    );
    expect(result.code).toBe(0);
    expect(splitAnswers(result.stdout, 3)).toEqual([files.bare, files.bare, files.first]);
  });

  it('stops at the first failure with its exit status; the answers after it are empty', async () => {
    const result = await run(joinCommands([`cat ${at('first')}`, `cat ${at('none')}`, `cat ${at('second')}`]));
    expect(result.code).not.toBe(0);
    expect(splitAnswers(result.stdout, 3)).toEqual([files.first, '', '']);
  });
});

it('shows a joined command in log lines as a person would write it, without its separators', () => {
  expect(shown(joinCommands(['cat /proc/meminfo', 'df -k /tmp'], 'cat /etc/marker 2>/dev/null'))).toBe(
    'cat /etc/marker 2>/dev/null; cat /proc/meminfo && df -k /tmp',
  );
  // And a failed command's output quoted in the log: its separator lines left out.
  expect(shown('abc\n--fleetflash-answer-end--\nxyz')).toBe('abc\n\nxyz');
});
