import { sql } from 'kysely';
import type { Db } from '../../database.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';

/** What decides which images fit a device: its board, its model and its organization. */
export interface FitTarget {
  boardName: string;
  model: string;
  organizationId: string;
}

/**
 * Images that fit a device: built for its board (`fleetflash_board_fits`, the SQL twin of
 * board-match.ts that mass upgrades use too) and of a build of its organization or a shared one.
 */
function fitting(db: Db, target: FitTarget) {
  return (
    db
      .selectFrom('firmwareImages as i')
      .innerJoin('firmwareBuilds as b', 'b.id', 'i.buildId')
      .where(sql<boolean>`fleetflash_board_fits(i.boards, ${target.boardName}, ${target.model})`)
      // The device's organization, not the caller's: what fits is what the device could be given.
      .where((eb) => inOrganizationScope(eb, 'b.organizationId', [target.organizationId], { shared: true }))
  );
}

/** One page of the images that fit, newest build first (then by image type), with their build's facts. */
export async function listImagesFittingDevice(db: Db, target: FitTarget, page: { limit: number; offset: number }) {
  return fitting(db, target)
    .selectAll('i')
    .select([
      'b.version as buildVersion',
      'b.os as buildOs',
      'b.organizationId as buildOrganizationId',
      'b.created as buildCreated',
    ])
    .orderBy('b.created', 'desc')
    .orderBy('b.version', 'desc')
    .orderBy('b.id')
    .orderBy('i.type')
    .orderBy('i.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export type FittingImageRow = Awaited<ReturnType<typeof listImagesFittingDevice>>[number];

export async function countImagesFittingDevice(db: Db, target: FitTarget): Promise<number> {
  const row = await fitting(db, target)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}
