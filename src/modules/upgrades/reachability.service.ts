import type { Db } from '../../database.js';
import * as reachabilityRepository from './reachability.repository.js';

export type { DeviceDueForContact } from './reachability.repository.js';

/**
 * The next devices the reachability check probes, marked as tried: active, with an address and a
 * pinned host key, not seen nor tried since `staleBefore`, not in a running upgrade; oldest news first.
 * For the system (the periodic task), not for a person: no organization scope.
 */
export async function claimDevicesDueForContact(
  db: Db,
  options: { staleBefore: Date; limit: number },
): Promise<reachabilityRepository.DeviceDueForContact[]> {
  return reachabilityRepository.claimDevicesDueForContact(db, options);
}

/** Devices the check does not probe because no host key is pinned for them (not seen since `staleBefore`). */
export async function countUnpinnedDevicesDue(db: Db, options: { staleBefore: Date }): Promise<number> {
  return reachabilityRepository.countUnpinnedDevicesDue(db, options);
}
