import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actorFor, makeBuild, makeCategory, makeOrganization, makeUser } from '../../test/helpers/factories.js';
import { makeSysupgradeImage } from '../../test/helpers/firmware-file.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js';
import { buildHardwareTable } from '../modules/firmware/hardware-table.js';
import { LocalStorage } from '../platform/storage.js';
import { uploadImage } from './upload-image.js';

/**
 * The firmware link an upload writes (devices that already run the build's OS on a fitting board
 * now run this image) commits with the image row, or not at all. A deferred constraint trigger
 * runs at the commit of the transaction that inserts the image: it sees exactly what that commit
 * makes visible.
 */

let t: TestDatabase;
let storageDir: string;
let storage: LocalStorage;
const table = buildHardwareTable([]);
const OS = 'OpenWrt 23.05.3 r23809-234f1a2efa';
let macs = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  storageDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-upload-tx-'));
  storage = new LocalStorage(storageDir);
  await storage.init();
});

afterAll(async () => {
  await t?.close();
  rmSync(storageDir, { recursive: true, force: true });
});

afterEach(async () => {
  await sql`DROP TRIGGER IF EXISTS test_at_image_commit ON firmware_images`.execute(t.db);
  await sql`DROP FUNCTION IF EXISTS test_at_image_commit()`.execute(t.db);
});

/** Runs `body` (PL/pgSQL, NEW is the image row) when the transaction inserting an image commits. */
async function atImageCommit(body: string): Promise<void> {
  await sql
    .raw(`CREATE FUNCTION test_at_image_commit() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN ${body} RETURN NULL; END $$`)
    .execute(t.db);
  await sql
    .raw(`CREATE CONSTRAINT TRIGGER test_at_image_commit AFTER INSERT ON firmware_images
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_at_image_commit()`)
    .execute(t.db);
}

/** An organization admin, a build of `OS`, and a device that runs it on the image's board. */
async function setup() {
  const organization = await makeOrganization(t.db);
  const user = await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] });
  const category = await makeCategory(t.db, { organizationId: organization.id });
  const build = await makeBuild(t.db, { categoryId: category.id, os: OS });
  macs += 1;
  const device = await t.db
    .insertInto('devices')
    .values({
      organizationId: organization.id,
      name: `router-${macs}`,
      macAddress: `02:00:00:00:00:${macs.toString(16).padStart(2, '0')}`,
      boardName: 'tplink,archer-c7-v2',
      os: OS,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const file = await storage.receive(Readable.from([makeSysupgradeImage()]), null);
  return { actor: actorFor(user, [[organization, 'admin']]), build, device, file };
}

const fileName = 'openwrt-23.05.3-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin';

describe('uploading an image', () => {
  it('commits the firmware link of the devices that run it with the image row', async () => {
    const { actor, build, device, file } = await setup();
    await atImageCommit(`IF NOT EXISTS (SELECT 1 FROM device_firmwares WHERE image_id = NEW.id AND installed) THEN
      RAISE EXCEPTION 'image % committed without its firmware link', NEW.id; END IF;`);
    const image = await uploadImage(t.db, storage, table, actor, build.id, { file, fileName });
    const link = await t.db
      .selectFrom('deviceFirmwares')
      .selectAll()
      .where('deviceId', '=', device.id)
      .executeTakeFirst();
    expect(link).toMatchObject({ imageId: image.id, installed: true });
    expect(await storage.exists(image.sha256)).toBe(true);
  });

  it('leaves neither the image nor the link when the transaction fails after writing both', async () => {
    const { actor, build, device, file } = await setup();
    await atImageCommit(`RAISE EXCEPTION 'injected failure at commit (links: %)',
      (SELECT count(*) FROM device_firmwares WHERE image_id = NEW.id);`);
    await expect(uploadImage(t.db, storage, table, actor, build.id, { file, fileName })).rejects.toThrow(
      /injected failure at commit \(links: 1\)/,
    );
    expect(await t.db.selectFrom('firmwareImages').select('id').where('buildId', '=', build.id).execute()).toEqual([]);
    const links = await t.db
      .selectFrom('deviceFirmwares')
      .select('imageId')
      .where('deviceId', '=', device.id)
      .execute();
    expect(links).toEqual([]);
  });
});
