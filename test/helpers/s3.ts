import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/**
 * An S3 server for tests: s3rver (an S3-protocol server written for local testing) on 127.0.0.1,
 * storing into a private folder. It stands in for MinIO, Ceph RGW or AWS S3. `stop` makes the store
 * unreachable (connections refused); `start` brings it back on the same port with the same objects.
 */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** fleetflash settings for this store, as the environment sets them. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Every object key in the bucket (of any prefix), sorted. */
  keys(): Promise<string[]>;
  /** The content of an object, as text. */
  text(key: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

interface S3rverFiles {
  getResourcePath(bucket: string, key: string, kind: string): string;
  deleteObject(bucket: string, key: string): Promise<void>;
}

/**
 * Works around a race of the stand-in (s3rver 3): it answers a PutObject before the object's file is
 * open, and a DeleteObject removes the folders it leaves empty, so a delete of another object of the same
 * folder at that moment (two workers storing configuration backups at once: `incoming/`) made the write
 * fail with ENOENT, an uncaught exception in the test process (once in CI; test/s3-stand-in.test.ts
 * reproduces it). Real object stores have no folders: deletes here leave them in place.
 */
function keepFolders(server: S3rver): void {
  const files = (server as unknown as { store: S3rverFiles }).store;
  files.deleteObject = async (bucket, key) => {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((kind) =>
        rm(files.getResourcePath(bucket, key, kind), { force: true }),
      ),
    );
  };
}

export async function startTestS3(bucket = 'fleetflash'): Promise<TestS3> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-s3-'));
  let server: S3rver | null = null;
  let port = 0;
  const run = async () => {
    server = new S3rver({
      address: '127.0.0.1',
      port,
      directory,
      silent: true,
      configureBuckets: [{ name: bucket, configs: [] }],
    });
    keepFolders(server);
    port = ((await server.run()) as AddressInfo).port;
  };
  await run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
  const stop = async () => {
    const running = server as (S3rver & { httpServer?: Server }) | null;
    server = null;
    if (!running) return;
    const closing = running.close();
    // Connections the SDK keeps alive would otherwise still reach the closed server.
    running.httpServer?.closeAllConnections();
    await closing;
  };
  return {
    endpoint,
    bucket,
    env: (extra = {}) => ({
      FLEETFLASH_STORAGE_BACKEND: 's3',
      FLEETFLASH_S3_ENDPOINT: endpoint,
      FLEETFLASH_S3_BUCKET: bucket,
      FLEETFLASH_S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      FLEETFLASH_S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      FLEETFLASH_S3_FORCE_PATH_STYLE: 'true',
      ...extra,
    }),
    async keys() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async text(key) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await object.Body?.transformToString()) ?? '';
    },
    stop,
    start: run,
    async close() {
      await stop();
      client.destroy();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
