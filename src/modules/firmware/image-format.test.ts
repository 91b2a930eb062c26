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

  it('expects the formats the type\'s file name implies', () => {
    expect(formatsForType(BIN)).toEqual(['uimage', 'trx', 'fit', 'squashfs', 'tar']);
    expect(formatsForType('mediatek-filogic-glinet_gl-mt3000-squashfs-sysupgrade.itb')).toEqual(['fit']);
    expect(formatsForType('x86-64-generic-squashfs-combined-efi.img.gz')).toEqual(['gzip']);
    expect(formatsForType('some-nand-sysupgrade.tar')).toEqual(['tar']);
  });

  it('refuses a text file, another format, and an implausibly small file, saying why', () => {
    const text = Buffer.from('this is not a firmware!!\n');
    expect(whyNotAnImage({ type: BIN, size: text.length, head: text })).toContain('this is text ("this is not a firmware!!")');
    expect(whyNotAnImage({ type: 'x86-64-generic-squashfs-combined-efi.img.gz', size: 1 << 20, head: withMagic([0x27, 0x05, 0x19, 0x56]) }))
      .toContain('is gzip, but this is a uImage file');
    expect(whyNotAnImage({ type: BIN, size: 1000, head: withMagic([0x27, 0x05, 0x19, 0x56]) })).toContain('only 1000 bytes');
    expect(whyNotAnImage({ type: BIN, size: MIN_IMAGE_BYTES, head: withMagic([0x27, 0x05, 0x19, 0x56]) })).toBeNull();
    expect(whyNotAnImage({ type: 'x86-64-generic-squashfs-combined-efi.img.gz', size: 1 << 20, head: withMagic([0x1f, 0x8b]) })).toBeNull();
  });
});
