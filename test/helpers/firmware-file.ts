/** Test images shaped like OpenWrt sysupgrade images (the simulator's sample images). */
export { makeSampleImage as makeSysupgradeImage, type SampleImageOptions as SysupgradeImageOptions } from '../../simulator/sample-image.js';
