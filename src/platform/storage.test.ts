import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStorage } from './storage.js';

let root: string;
let storage: LocalStorage;
const incoming = () => path.join(root, 'incoming');

beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-storage-'));
  storage = new LocalStorage(root);
  await storage.init();
});
afterEach(() => {
  storage.stopHousekeeping();
  rmSync(root, { recursive: true, force: true });
});

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function partial(name: string, ageMs = 0): string {
  const file = path.join(incoming(), name);
  writeFileSync(file, 'partial bytes');
  const when = new Date(Date.now() - ageMs);
  utimesSync(file, when, when);
  return name;
}

describe('partial uploads left behind', () => {
  it('are removed at start when their writer is gone, and kept while it may still be writing', async () => {
    const own = storage.partialUploadName(process.pid);
    const sameHost = storage.partialUploadName(deadPid()).split('.');
    const gone = [
      partial(storage.partialUploadName(deadPid())),
      // At start this pid receives nothing yet: a file under it is an earlier process's that had the pid.
      partial(own),
      // An earlier boot of this machine: nothing of that boot still runs.
      partial([sameHost[0], 'b'.repeat(32), '123', sameHost.at(-2), 'part'].join('.')),
      // Whoever wrote these, nobody touched them for over an hour.
      partial(`otherhost.${'c'.repeat(32)}.42.${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.part`, 2 * 3_600_000),
      partial('3f1c2b9e-0000-4000-8000-000000000000.part', 2 * 3_600_000),
    ];
    const kept = [
      // A live process on this machine (our parent) may be receiving it right now.
      partial(storage.partialUploadName(process.ppid)),
      // Another machine sharing the folder: its pids mean nothing here; only age tells.
      partial(`otherhost.${'c'.repeat(32)}.42.${'1'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.part`, 60_000),
    ];
    const logged: number[] = [];
    await storage.startHousekeeping((removed) => logged.push(removed));
    expect(readdirSync(incoming()).sort()).toEqual([...kept].sort());
    expect(logged).toEqual([gone.length]);
  });

  it('of another pid namespace (a container sharing host name and boot id) are removed only by age', async () => {
    const ownName = storage.partialUploadName(process.pid);
    const [host, boot] = ownName.split('.');
    // Our own uploads carry our namespace, so another container's pass can tell them apart.
    const namespace = existsSync('/proc/self/ns/pid')
      ? /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1]
      : undefined;
    if (namespace !== undefined) expect(ownName.split('.')[2]).toBe(`ns${namespace}`);
    const uuid = (digit: string) => `${digit.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`;
    // Namespace 1 is never a real one (real ones are large inode numbers), so it is never ours.
    const otherContainer = (digit: string, pid: number) => `${host}.${boot}.ns1.${pid}.${uuid(digit)}.part`;
    // Its pid looks dead here, yet in its own container that process may be receiving it right now.
    const live = partial(otherContainer('1', deadPid()), 60_000);
    // Pid 1 as well, which is our parent's or our own in many containers.
    const livePidOne = partial(otherContainer('2', 1), 60_000);
    const abandoned = partial(otherContainer('3', deadPid()), 2 * 3_600_000);
    // A name from before namespaces were recorded is judged as before: a dead pid of this boot.
    const oldStyle = partial(`${host}.${boot}.${deadPid()}.${uuid('4')}.part`);
    await storage.startHousekeeping(() => {});
    const left = readdirSync(incoming());
    expect(left.sort()).toEqual([live, livePidOne].sort());
    expect(left).not.toContain(abandoned);
    expect(left).not.toContain(oldStyle);
  });

  it('are removed by the periodic pass too, without touching an upload in progress', async () => {
    await storage.startHousekeeping(() => {}, 20);
    const source = new PassThrough();
    const receiving = storage.receive(source, null);
    source.write(Buffer.alloc(1000, 1));
    const crashed = partial(storage.partialUploadName(deadPid()));
    for (let attempt = 0; attempt < 250 && existsSync(path.join(incoming(), crashed)); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(existsSync(path.join(incoming(), crashed))).toBe(false);
    // The live upload of this process survived the passes and completes whole.
    source.end(Buffer.alloc(500, 2));
    const file = await receiving;
    expect(file.size).toBe(1500);
    expect(existsSync(file.tempPath)).toBe(true);
    await storage.discard(file);
  });
});
