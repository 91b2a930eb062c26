import { randomBytes } from 'node:crypto';
/** Test images shaped like OpenWrt sysupgrade images (the simulator's sample images). */
export {
  makeSampleImage as makeSysupgradeImage,
  type SampleImageOptions as SysupgradeImageOptions,
} from '../../simulator/sample-image.js';

/**
 * A file in a sysupgrade format (a uImage header, then random bytes) without OpenWrt metadata, as
 * older and vendor images are: accepted when its type expects that format and it is not implausibly small.
 */
export function makeBareImage(size = 64 * 1024): Buffer {
  const content = randomBytes(size);
  content.writeUInt32BE(0x27051956, 0);
  return content;
}
