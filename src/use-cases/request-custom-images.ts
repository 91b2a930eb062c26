import type { Actor } from '../modules/accounts/actor.js';
import type { BuildServiceDeps } from '../modules/imagebuilder/build.service.js';
import {
  type CustomImagesInput,
  type CustomImagesResult,
  findCustomImages,
  submitCustomImageBuilds,
} from '../modules/imagebuilder/custom-image.service.js';
import { type AttachDeps, attachFinishedBuild } from './attach-finished-build.js';

/**
 * Requests custom images for a firmware build (one image build per model, see
 * custom-image.service.ts) and attaches at once those whose build is done already (cached, or
 * finished meanwhile), each in its own transaction (attach-finished-build.ts); the build worker
 * attaches the others when they finish. Answers the custom images as they are after that.
 */
export async function requestCustomImages(
  deps: BuildServiceDeps & AttachDeps,
  actor: Actor,
  buildId: string,
  input: CustomImagesInput,
): Promise<CustomImagesResult> {
  const submitted = await submitCustomImageBuilds(deps, actor, buildId, input);
  for (const build of submitted.finished) await attachFinishedBuild(deps, build);
  const requested = await findCustomImages(
    deps.db,
    submitted.requested.map((row) => row.id),
  );
  return { requested, skipped: submitted.skipped };
}
