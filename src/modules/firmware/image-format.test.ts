import { describe, expect, it } from 'vitest';
import { detectImageFormat, formatsForType, MIN_IMAGE_BYTES, whyNotAnImage } from './image-format.js';

function withMagic(bytes: number[], size = 512): Buffer {
  const head = Buffer.alloc(size);
  Buffer.from(bytes).copy(head);
  return head;
}

const BIN = 'ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin';

describe('image formats', () => {
  it('recognises the headers sysupgrade images start with', () => {
    expect(detectImageFormat(withMagic([0x27, 0x05, 0x19, 0x56]))).toBe('uimage');
    expect(detectImageFormat(withMagic([0xd0, 0x0d, 0xfe, 0xed]))).toBe('fit');
    expect(detectImageFormat(Buffer.from('HDR0\0\0\0\0'))).toBe('trx');
    expect(detectImageFormat(Buffer.from('hsqs\0\0\0\0'))).toBe('squashfs');
    expect(detectImageFormat(withMagic([0x1f, 0x8b, 0x08]))).toBe('gzip');
    const tar = Buffer.alloc(512);
    tar.write('sysupgrade-tplink_archer-c7-v2/', 0);
    tar.write('ustar', 257);
    expect(detectImageFormat(tar)).toBe('tar');
    const mbr = Buffer.alloc(512);
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    expect(detectImageFormat(mbr)).toBe('disk-image');
    expect(detectImageFormat(Buffer.from('this is not a firmware!!\n'))).toBeNull();
  });

  it("expects the formats the type's file name implies", () => {
    expect(formatsForType(BIN)).toEqual(['uimage', 'trx', 'fit', 'squashfs', 'tar', 'tplink', 'ubi', 'seama']);
    expect(formatsForType('mediatek-filogic-glinet_gl-mt3000-squashfs-sysupgrade.itb')).toEqual(['fit']);
    expect(formatsForType('x86-64-generic-squashfs-combined-efi.img.gz')).toEqual(['gzip']);
    expect(formatsForType('some-nand-sysupgrade.tar')).toEqual(['tar']);
  });

  it('refuses a text file, another format, and an implausibly small file, saying why', () => {
    const text = Buffer.from('this is not a firmware!!\n');
    expect(whyNotAnImage({ type: BIN, size: text.length, head: text })).toContain(
      'this is text ("this is not a firmware!!")',
    );
    expect(
      whyNotAnImage({
        type: 'x86-64-generic-squashfs-combined-efi.img.gz',
        size: 1 << 20,
        head: withMagic([0x27, 0x05, 0x19, 0x56]),
      }),
    ).toContain('is gzip, but this is a uImage file');
    expect(whyNotAnImage({ type: BIN, size: 1000, head: withMagic([0x27, 0x05, 0x19, 0x56]) })).toContain(
      'only 1000 bytes',
    );
    expect(whyNotAnImage({ type: BIN, size: MIN_IMAGE_BYTES, head: withMagic([0x27, 0x05, 0x19, 0x56]) })).toBeNull();
    expect(
      whyNotAnImage({
        type: 'x86-64-generic-squashfs-combined-efi.img.gz',
        size: 1 << 20,
        head: withMagic([0x1f, 0x8b]),
      }),
    ).toBeNull();
  });

  it('accepts legacy .bin images without metadata: TP-Link v1 and v2 headers, UBI, Seama, sysupgrade tar', () => {
    const tplinkV1 = withMagic([0x01, 0x00, 0x00, 0x00]);
    tplinkV1.write('TP-LINK Technologies', 4, 'latin1');
    tplinkV1.write('ver. 1.0', 28, 'latin1');
    const tplinkV2 = withMagic([0x02, 0x00, 0x00, 0x00]);
    tplinkV2.write('ver. 2.0', 4, 'latin1');
    const ubi = withMagic([...Buffer.from('UBI#'), 0x01]);
    const seama = withMagic([0x5e, 0xa3, 0xa4, 0x17, 0x00, 0x00, 0x00, 0x24]);
    const tar = Buffer.alloc(512);
    tar.write('sysupgrade-tplink_archer-c7-v2/CONTROL', 0);
    tar.write('ustar', 257);
    const big = 4 << 20;
    expect(detectImageFormat(tplinkV1)).toBe('tplink');
    expect(detectImageFormat(tplinkV2)).toBe('tplink');
    expect(detectImageFormat(ubi)).toBe('ubi');
    expect(detectImageFormat(seama)).toBe('seama');
    for (const head of [tplinkV1, tplinkV2, ubi, seama, tar]) {
      expect(whyNotAnImage({ type: BIN, size: big, head })).toBeNull();
      expect(whyNotAnImage({ type: 'x86-64-generic-ext4-combined.img', size: big, head })).toBeNull();
    }
    // A legacy header still has to be big enough for a kernel and a root file system.
    expect(whyNotAnImage({ type: BIN, size: 4096, head: tplinkV1 })).toContain('only 4096 bytes');
    // A type that implies another format still refuses them.
    expect(whyNotAnImage({ type: 'x86-64-generic-squashfs-combined-efi.img.gz', size: big, head: ubi })).toContain(
      'but this is a UBI file',
    );
  });

  it('does not take text or near misses for a legacy header', () => {
    // The version word alone is not a TP-Link header: v1 needs its vendor, v2 a version string.
    expect(detectImageFormat(withMagic([0x01, 0x00, 0x00, 0x00]))).toBeNull();
    const wrongVendor = withMagic([0x01, 0x00, 0x00, 0x00]);
    wrongVendor.write('ACME Routers', 4, 'latin1');
    expect(detectImageFormat(wrongVendor)).toBeNull();
    expect(detectImageFormat(withMagic([0x02, 0x00, 0x00, 0x00]))).toBeNull();
    expect(detectImageFormat(Buffer.from('UBI is a volume layer\n'))).toBeNull();
    const text = Buffer.from('TP-LINK Technologies firmware notes\n');
    expect(whyNotAnImage({ type: BIN, size: text.length, head: text })).toContain('this is text');
  });
});
