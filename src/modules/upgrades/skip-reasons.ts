/**
 * Why a mass upgrade leaves a device out: a closed set, exported as an OpenAPI enum. Every device in
 * a mass upgrade's scope gets an operation or exactly one of these (a device deleted before its planned
 * operation is written gets neither, as its operation would have been deleted with it).
 *
 * `failure: false` marks skips that are not failures: the device needed nothing, or was never meant
 * for this batch (it runs nothing this build replaces, or it is switched off). They never make a
 * batch `failed`. The others mean a device that should have been upgraded could not be: they do.
 */
export const SKIP_REASONS = {
  'organization-mismatch': { failure: false, text: 'The device belongs to another organization than the build.' },
  deactivated: { failure: false, text: 'The device is deactivated: activate it to upgrade it.' },
  'already-on-build': { failure: false, text: 'The device already runs this build.' },
  'not-in-category': {
    failure: false,
    text:
      'The device does not run a build of this category (it runs another category, or has no firmware record): ' +
      'set upgrade_all to include it.',
  },
  'no-fitting-image': { failure: false, text: "No image of the build fits the device's board: upload one for it." },
  downgrade: {
    failure: false,
    text: 'The device runs a newer release than the build: set allow_downgrade to flash it anyway.',
  },
  'operation-running': { failure: true, text: 'Another upgrade of the device is pending or in progress.' },
  'no-credentials': {
    failure: true,
    text: "The device has no SSH credentials (its own or its organization's default).",
  },
  'no-upgrader': { failure: true, text: "No upgrader handles the device's OS string." },
  'no-address': { failure: true, text: 'The device has no management address.' },
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

export const SKIP_REASON_NAMES = Object.keys(SKIP_REASONS) as SkipReason[];

/** Whether a skip for this reason makes the batch `failed` (unknown reasons, from older versions, do). */
export function isFailingSkip(reason: string): boolean {
  return (SKIP_REASONS as Record<string, { failure: boolean }>)[reason]?.failure ?? true;
}
