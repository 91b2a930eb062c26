import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestS3, type TestS3 } from './helpers/s3.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * An upgrade whose image is in the object store (s3rver, standing in for a real one): the worker
 * streams the file from the store to the simulated router; nothing is read from a local disk.
 */

let s3: TestS3;
let h: Harness;
beforeAll(async () => {
  s3 = await startTestS3();
  h = await createHarness(s3.env());
  await h.startWorker();
});
afterAll(async () => {
  await h?.close();
  await s3?.close();
});

describe('upgrade with the S3 backend', () => {
  it('transfers the image from the object store to the router and flashes it', async () => {
    const { router, deviceId } = await h.addRouter();
    const { imageId, os } = await h.addImage({ size: 3 * 1024 * 1024 });
    const image = await h.db
      .selectFrom('firmwareImages')
      .select('sha256')
      .where('id', '=', imageId)
      .executeTakeFirstOrThrow();
    expect(await s3.keys()).toContain(`sha256/${image.sha256.slice(0, 2)}/${image.sha256}`);
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('success');
    expect(router.flashCount).toBe(1);
    expect(router.state.description).toBe(os);
  });
});
