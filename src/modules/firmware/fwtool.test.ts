import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSysupgradeImage } from '../../../test/helpers/firmware-file.js';
import { readFwtoolMetadata } from './fwtool.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-fwtool-'));
function fileWith(content: Buffer): string {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.bin`);
  writeFileSync(file, content);
  return file;
}

describe('fwtool metadata', () => {
  it("reads supported devices and version from an image's metadata trailer", async () => {
    const metadata = await readFwtoolMetadata(
      fileWith(
        makeSysupgradeImage({
          supportedDevices: ['glinet,gl-mt3000'],
          target: 'mediatek/filogic',
          board: 'glinet_gl-mt3000',
        }),
      ),
    );
    expect(metadata).toEqual({
      metadata_version: '1.1',
      compat_version: '1.0',
      supported_devices: ['glinet,gl-mt3000'],
      version: {
        dist: 'OpenWrt',
        version: '23.05.3',
        revision: 'r23809-234f1a2efa',
        target: 'mediatek/filogic',
        board: 'glinet_gl-mt3000',
      },
    });
  });

  it('reads metadata that sits before a signature block', async () => {
    const metadata = await readFwtoolMetadata(
      fileWith(makeSysupgradeImage({ signed: true, supportedDevices: ['tplink,archer-c7-v5'] })),
    );
    expect(metadata?.supported_devices).toEqual(['tplink,archer-c7-v5']);
  });

  it('returns null for a file without a trailer', async () => {
    expect(await readFwtoolMetadata(fileWith(Buffer.from('just some bytes that are not an image')))).toBeNull();
    expect(await readFwtoolMetadata(fileWith(Buffer.alloc(0)))).toBeNull();
  });

  it('returns null when the metadata block holds no valid JSON or no supported_devices', async () => {
    expect(await readFwtoolMetadata(fileWith(makeSysupgradeImage({ rawMetadata: '{broken' })))).toBeNull();
    expect(await readFwtoolMetadata(fileWith(makeSysupgradeImage({ rawMetadata: '{"version": {}}' })))).toBeNull();
  });

  it('keeps only known fields with the right types', async () => {
    const metadata = await readFwtoolMetadata(
      fileWith(
        makeSysupgradeImage({
          rawMetadata: JSON.stringify({
            supported_devices: ['a,b'],
            compat_version: 2,
            version: { target: 'x86/64', board: 7 },
            extra: 'x',
          }),
        }),
      ),
    );
    expect(metadata).toEqual({ supported_devices: ['a,b'], version: { target: 'x86/64' } });
  });
});
