import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestS3, type TestS3 } from './helpers/s3.js';

/**
 * The tests' S3 server (test/helpers/s3.ts) must behave as a real store where fleetflash relies on it:
 * one object written while another of the same "folder" is deleted (two workers storing configuration
 * backups at once, each writing and then deleting its `incoming/` object). s3rver alone answers the write
 * before its file is open and removes the folder the delete left empty: the write then failed with an
 * uncaught ENOENT in this process, in about half of these rounds.
 */

let s3: TestS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startTestS3();
  client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});

afterAll(async () => {
  client?.destroy();
  await s3?.close();
});

describe('the S3 stand-in', () => {
  it('keeps an object written while another object of its folder is deleted', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    const put = (key: string, body: string) =>
      client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
    const remove = (key: string) => client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));
    try {
      for (let round = 0; round < 100; round += 1) {
        await put(`incoming/other-${round}.part`, 'other');
        await Promise.all([
          put(`incoming/kept-${round}.part`, `kept ${round}`),
          remove(`incoming/other-${round}.part`),
        ]);
        expect(await s3.text(`incoming/kept-${round}.part`)).toBe(`kept ${round}`);
        await remove(`incoming/kept-${round}.part`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
    expect(await s3.keys()).toEqual([]);
  }, 60_000);
});
