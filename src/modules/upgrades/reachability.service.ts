import type { Db } from '../../database.js';
import * as reachabilityRepository from './reachability.repository.js';

export type { DeviceDueForContact } from './reachability.repository.js';

/**
 * The devices the reachability check contacts in this run, marked as tried: active, with an address
 * and credentials, not seen nor tried since `staleBefore`, not in a running upgrade; oldest news first.
 * For the system (the periodic task), not for a person: no organization scope.
 */
export async function claimDevicesDueForContact(
  db: Db,
  options: { staleBefore: Date; limit: number },
): Promise<reachabilityRepository.DeviceDueForContact[]> {
  return reachabilityRepository.claimDevicesDueForContact(db, options);
}
