import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_BOARDS } from '../simulator/fleet.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/** Each step and each failure path of the OpenWrt upgrader against the simulator. */

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  // A database that refuses one kind of write to one device: the fault a step right after connecting can meet.
  await sql`CREATE TABLE test_refused_device_writes (device_id uuid NOT NULL, what text NOT NULL)`.execute(h.db);
  await sql`CREATE FUNCTION test_refuse_device_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM test_refused_device_writes r WHERE r.device_id = NEW.id AND (
          (r.what = 'contact' AND to_jsonb(NEW) - 'last_seen' - 'modified' = to_jsonb(OLD) - 'last_seen' - 'modified')
          OR (r.what = 'host-key' AND NEW.ssh_host_key IS DISTINCT FROM OLD.ssh_host_key))) THEN
        RAISE EXCEPTION 'refused by the test';
      END IF;
      RETURN NEW;
    END $$`.execute(h.db);
  await sql`CREATE TRIGGER test_refuse_device_write BEFORE UPDATE ON devices
    FOR EACH ROW EXECUTE FUNCTION test_refuse_device_write()`.execute(h.db);
});

async function refuseDeviceWrite(deviceId: string, what: 'contact' | 'host-key') {
  await sql`INSERT INTO test_refused_device_writes VALUES (${deviceId}, ${what})`.execute(h.db);
}
afterAll(async () => {
  await h.close();
});

describe('already installed', () => {
  it(
    'does not flash an image the device already has (checksum marker), and PUT of the installed image starts ' +
      'nothing',
    async () => {
      const { router, deviceId } = await h.addRouter();
      const { imageId } = await h.addImage();
      expect((await h.waitForEnd(await h.upgrade(deviceId, imageId))).status).toBe('success');
      expect(router.flashCount).toBe(1);

      const again = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, { image: imageId });
      expect(again.statusCode).toBe(200);
      expect(again.json().upgrade_operation).toBeNull();

      // The record forgotten, the same image set again: the checksum marker on the router stops a second flash.
      expect((await h.api.delete(`/api/v1/firmware/device/${deviceId}/firmware/`)).statusCode).toBe(204);
      const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
      expect(result.status).toBe('success');
      expect(result.log).toContain('checksum marker /etc/fleetflash/firmware.sha256 matches');
      expect(router.flashCount).toBe(1);
    },
  );

  it('flashes the installed image again when "installed" is false, logging every step', async () => {
    const { router, deviceId } = await h.addRouter();
    const { imageId, os } = await h.addImage();
    const first = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(first.status).toBe('success');
    expect(first.log).toContain('Already installed? No');
    expect(first.log).toContain('Wrote the checksum marker /etc/fleetflash/firmware.sha256.');
    const bootAfterFirst = router.state.bootId;

    const forced = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
      image: imageId,
      installed: false,
    });
    const result = await h.waitForEnd(forced.json().upgrade_operation.id);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('Re-flash requested');
    expect(result.log).toContain('Already installed? Yes');
    expect(result.log).toContain('Flashing anyway');
    expect(result.log).toContain('Flash command accepted');
    expect(result.log).toContain('Wrote the checksum marker /etc/fleetflash/firmware.sha256.');
    expect(router.flashCount).toBe(2);
    expect(router.state.bootId).not.toBe(bootAfterFirst);
    expect(router.state.description).toBe(os);
    const record = (await h.api.get(`/api/v1/firmware/device/${deviceId}/firmware/`)).json();
    expect(record).toMatchObject({ image: imageId, installed: true });
  });

  it("does not flash a device that already runs the build's release", async () => {
    const { router, deviceId } = await h.addRouter();
    const { imageId, os } = await h.addImage();
    router.state.release = { ...router.state.release, version: '23.05.3', revision: os.split(' ')[2]! };
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status).toBe('success');
    expect(result.log).toContain(`already runs ${os}`);
    expect(router.flashCount).toBe(0);
  });
});

describe('preconditions on the device', () => {
  it('aborts, untouched, when the device reports another board', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { boardMismatch: 'tplink,archer-c7-v5' } });
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result).toMatchObject({ status: 'aborted', error_code: 'board-mismatch' });
    expect(result.log).toContain('tplink,archer-c7-v5');
    expect(router.uploads).toBe(0);
    expect(router.flashCount).toBe(0);
    // The device answered over SSH: that contact is its last_seen (the device list's "online").
    const device = (await h.api.get(`/api/v1/devices/${deviceId}/`)).json();
    expect(device.last_seen).not.toBeNull();
    expect((await h.api.get(`/api/v1/devices/?id=${deviceId}`)).json().results[0].reachable).toBe(true);
  });

  it('aborts when the device refuses the credentials, without retrying', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { authRefused: true } });
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result).toMatchObject({ status: 'aborted', error_code: 'auth-failed', attempt: 1 });
    expect(router.connections).toBe(1);
    // Refused credentials are no successful contact.
    expect((await h.api.get(`/api/v1/devices/${deviceId}/`)).json().last_seen).toBeNull();
  });

  it('aborts when sysupgrade -T rejects the image, and removes the copied file', async () => {
    const { router, deviceId } = await h.addRouter();
    // A type from the hardware table but no metadata: the server accepts it, the router's own check does not.
    const { imageId } = await h.addImage({ withoutMetadata: true, board: SIMULATED_BOARDS[0] });
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result).toMatchObject({ status: 'aborted', error_code: 'image-rejected' });
    expect(result.log).toContain('Image metadata not present');
    expect(router.flashCount).toBe(0);
    expect(router.state.list('/tmp')?.filter((name) => name.startsWith('fleetflash-'))).toEqual([]);
  });

  it(
    'frees memory by dropping caches and stopping services only when needed, and restarts them when it cannot go ' +
      'ahead',
    async () => {
      const { router, deviceId } = await h.addRouter({ memTotalKb: 52_000 });
      const { imageId } = await h.addImage({ size: 29 * 1024 * 1024 });
      const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
      expect(result).toMatchObject({ status: 'aborted', error_code: 'insufficient-memory' });
      expect(result.log).toContain('dropping caches');
      expect(result.log).toContain('stopping non-critical services');
      expect(router.state.runningServices).toEqual(expect.arrayContaining(['uhttpd', 'dnsmasq', 'rpcd', 'cron']));
      expect(router.uploads).toBe(0);
    },
  );

  it('goes ahead when stopping services makes room', async () => {
    const { router, deviceId } = await h.addRouter({ memTotalKb: 60_000 });
    const { imageId } = await h.addImage({ size: 18 * 1024 * 1024 });
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('with services stopped');
    expect(router.flashCount).toBe(1);
  });
});

describe('recoverable failures', () => {
  it('retries a transfer cut short and succeeds on the next attempt', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { transferCutAt: 20_000, transferCutTimes: 1 } });
    const { imageId } = await h.addImage({ size: 200_000 });
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('success');
    expect(result.attempt).toBe(2);
    expect(result.log).toMatch(/Detected a recoverable failure: .*(broke off|dropped|damaged)/);
    expect(router.flashCount).toBe(1);
  });

  it('gives up on an unreachable device after max retries, at backoff times', async () => {
    const { router, deviceId } = await h.addRouter();
    router.offline = true;
    const { imageId } = await h.addImage();
    const operationId = await h.upgrade(deviceId, imageId);
    const result = await h.waitForEnd(operationId);
    expect(result).toMatchObject({ status: 'failed', error_code: 'max-retries-exceeded', attempt: 5 });
    expect(result.log).toContain('Max retries exceeded');
    const logs = await h.db
      .selectFrom('upgradeOperationLogs')
      .select(['at', 'message'])
      .where('operationId', '=', operationId)
      .orderBy('seq')
      .execute();
    const starts = logs.filter((line) => line.message.startsWith('Attempt ')).map((line) => line.at.getTime());
    expect(starts).toHaveLength(5);
    // Backoff 0.05 s doubling, capped at 0.2 s: waits of 50, 100, 200, 200 ms (plus polling).
    const gaps = starts.slice(1).map((time, index) => time - starts[index]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
    expect(gaps[2]).toBeGreaterThanOrEqual(195);
    expect(gaps[3]).toBeGreaterThanOrEqual(195);
    expect(Math.max(...gaps)).toBeLessThan(2000);
  });
});

describe('after flashing', () => {
  it('fails with unreachable-after-flash when the device never comes back, and does not retry', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { neverReturns: true } });
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result).toMatchObject({ status: 'failed', error_code: 'unreachable-after-flash', attempt: 1 });
    expect(router.flashCount).toBe(0); // the reboot never completed
    const firmware = (await h.api.get(`/api/v1/firmware/device/${deviceId}/firmware/`)).json();
    expect(firmware.installed).toBe(false);
  });

  it('fails with not-flashed when the device comes back on the old release', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { returnsOldRelease: true } });
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result).toMatchObject({ status: 'failed', error_code: 'not-flashed' });
    expect(result.log).toContain('OpenWrt 23.05.2');
    expect(router.flashCount).toBe(1);
  });

  it('finds a device that came back at another address (re-read before each reconnection)', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { wrongAddressAfterReboot: true }, rebootMs: 300 });
    // biome-ignore lint/complexity/useLiteralKeys: options is private; the test reaches into it
    router['options'].onAddressChange = () => {
      void h.api.patch(`/api/v1/devices/${deviceId}/`, { ssh_port: router.address.port });
    };
    const { imageId, os } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('success');
    expect(router.state.description).toBe(os);
  });

  it('accepts and pins the new host key after -n (configuration discarded)', async () => {
    const { router, deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId, { n: true }));
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('sysupgrade -v -n');
    expect(result.log).toContain('Pinned the new SSH host key');
    const pins = result.log.match(/SHA256:[A-Za-z0-9+/]+/g) ?? [];
    expect(new Set(pins).size).toBe(2);
    expect(router.flashCount).toBe(1);
  });
});

describe('host key pinning', () => {
  it('aborts when the host key changed, until an admin resets the pin', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { changedHostKey: true } });
    const first = await h.addImage();
    // First connection pins key A (the router already runs the build: nothing is flashed); key B from then on.
    router.state.release = { ...router.state.release, version: '23.05.3', revision: first.os.split(' ')[2]! };
    expect((await h.waitForEnd(await h.upgrade(deviceId, first.imageId))).status).toBe('success');
    expect(router.flashCount).toBe(0);
    const second = await h.addImage();
    const mismatch = await h.waitForEnd(await h.upgrade(deviceId, second.imageId));
    expect(mismatch).toMatchObject({ status: 'aborted', error_code: 'host-key-mismatch' });
    expect(mismatch.log).toContain('reset-host-key');
    expect((await h.api.post(`/api/v1/devices/${deviceId}/reset-host-key/`)).json().ssh_host_key).toBeNull();
    const firmware = (await h.api.get(`/api/v1/firmware/device/${deviceId}/firmware/`)).json();
    const retried = await h.api.post(`/api/v1/firmware/upgrade-operation/${firmware.upgrade_operation.id}/retry/`);
    expect(retried.statusCode).toBe(201);
    expect((await h.waitForEnd(retried.json().id)).status).toBe('success');
  });
});

describe('steps right after connecting', () => {
  it('records a contact as best effort: a failed write of "last seen" does not fail the upgrade', async () => {
    const { router, deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    await refuseDeviceWrite(deviceId, 'contact');
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('success');
    expect(router.flashCount).toBe(1);
  });

  it('closes the SSH session when a step after the connection fails (pinning the host key)', async () => {
    const { router, deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    await refuseDeviceWrite(deviceId, 'host-key');
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result).toMatchObject({ status: 'failed', error_code: 'internal-error' });
    expect(router.connections).toBeGreaterThan(0);
    await expect.poll(() => router.openConnections, { timeout: 5000 }).toBe(0);
    expect(router.flashCount).toBe(0);
  });
});
