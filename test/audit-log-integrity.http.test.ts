import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { purgeAuditLog } from '../src/modules/audit/audit.service.js';
import { purgeAuditLogTask } from '../src/modules/audit/purge-audit-log.task.js';
import { evaluateBatch } from '../src/modules/upgrades/batch-controller.js';
import { ROLLOUT_DEFAULTS } from '../src/modules/upgrades/rollout-policy.js';
import { parseConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { generateKeyPair } from './helpers/ssh-keys.js';

/**
 * The audit log keeps no secret, cannot be edited (the database refuses), is purged only past its
 * retention, and records the rollout controller's own pauses as system actions.
 */

let t: TestApp;
let acme: OrganizationRow;
let superuser: string;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  acme = await makeOrganization(t.db, { slug: 'acme' });
  superuser = await makeToken(t.db, await makeUser(t.db, { username: 'root', isSuperuser: true }));
  admin = await makeToken(
    t.db,
    await makeUser(t.db, { username: 'ada', memberships: [{ organization: acme, role: 'admin' }] }),
  );
});
afterAll(async () => {
  await t.close();
});

function call(authorization: string | undefined, method: 'GET' | 'POST' | 'PATCH', url: string, body?: object) {
  const headers: Record<string, string> = authorization ? { authorization } : { origin: 'http://localhost' };
  return t.app.inject({ method, url, headers, payload: body });
}

async function ok(response: Awaited<ReturnType<typeof call>>) {
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json();
}

/** Every audit row as text, as it is stored. */
async function wholeLog(): Promise<string> {
  const { rows } = await sql<{ row: string }>`SELECT row_to_json(a)::text AS row FROM audit_log a`.execute(t.db);
  return rows.map((entry) => entry.row).join('\n');
}

describe('secrets', () => {
  it('never writes passwords, keys, passphrases, tokens or their hashes to the log or its exports', async () => {
    const secrets: string[] = [];
    const keep = (value: string) => {
      secrets.push(value);
      return value;
    };
    const user = await ok(
      await call(superuser, 'POST', '/api/v1/users/', {
        username: 'sally',
        password: keep('User-Secret-Password-1'),
        memberships: [{ organization: acme.id, role: 'admin' }],
      }),
    );
    await ok(
      await call(superuser, 'PATCH', `/api/v1/users/${user.id}/`, {
        password: keep('Changed-Secret-Password-2'),
        revoke_tokens: true,
      }),
    );
    expect(
      (await call(undefined, 'POST', '/api/v1/auth/login', { username: 'sally', password: keep('Guess-3') }))
        .statusCode,
    ).toBe(401);
    const login = await call(undefined, 'POST', '/api/v1/auth/login', {
      username: 'sally',
      password: 'Changed-Secret-Password-2',
    });
    expect(login.statusCode).toBe(200);
    keep(login.cookies.find((cookie) => cookie.name === 'fleetflash_session')!.value);
    const token = await ok(await call(superuser, 'POST', '/api/v1/auth/tokens/', { name: 'ci' }));
    keep(token.token);
    const key = generateKeyPair({ passphrase: 'Key-Secret-Passphrase-5' });
    keep('Key-Secret-Passphrase-5');
    keep(key.private.split('\n')[1]!);
    const credentials = await ok(
      await call(admin, 'POST', '/api/v1/credentials/', {
        organization: acme.id,
        name: 'routers',
        username: 'root',
        password: keep('Cred-Secret-Password-4'),
        private_key: key.private,
        passphrase: 'Key-Secret-Passphrase-5',
      }),
    );
    await ok(
      await call(admin, 'PATCH', `/api/v1/credentials/${credentials.id}/`, { password: keep('Cred-Secret-New-6') }),
    );
    const registration = await ok(await call(admin, 'POST', `/api/v1/organizations/${acme.id}/registration-secret/`));
    keep(registration.secret);
    // What the database holds instead of the secrets must not leak either.
    const hashes = await sql<{ value: string }>`
      SELECT encode(token_hash, 'hex') AS value FROM api_tokens
      UNION ALL SELECT encode(token_hash, 'base64') FROM api_tokens
      UNION ALL SELECT password_hash FROM users
      UNION ALL SELECT encode(registration_secret_hash, 'hex') FROM organizations
        WHERE registration_secret_hash IS NOT NULL
      UNION ALL SELECT password_encrypted FROM credentials WHERE password_encrypted IS NOT NULL
      UNION ALL SELECT private_key_encrypted FROM credentials WHERE private_key_encrypted IS NOT NULL
      UNION ALL SELECT passphrase_encrypted FROM credentials WHERE passphrase_encrypted IS NOT NULL`.execute(t.db);
    secrets.push(...hashes.rows.map((row) => row.value));

    const log = await wholeLog();
    // The changes are there (so the check below looks at real entries)...
    for (const action of ['user.created', 'user.updated', 'login.failed', 'token.created', 'credentials.updated'])
      expect(log).toContain(`"action":"${action}"`);
    expect(log).toMatch(/"password_changed": ?true/);
    const csv = (await call(superuser, 'GET', '/api/v1/audit-log/export?format=csv')).body;
    const json = (await call(superuser, 'GET', '/api/v1/audit-log/export?format=json')).body;
    // ...and none of the secrets, in the rows nor in the exports.
    for (const secret of secrets) {
      expect(log, secret).not.toContain(secret);
      expect(csv, secret).not.toContain(secret);
      expect(json, secret).not.toContain(secret);
    }
  });
});

describe('append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of audit rows in the database', async () => {
    expect((await wholeLog()).length).toBeGreaterThan(0);
    await expect(sql`UPDATE audit_log SET action = 'logout'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    // The purge's cut-off lets only older rows go: newer ones are still refused.
    await expect(
      t.db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('fleetflash.audit_purge_before', '2000-01-01', true)`.execute(trx);
        await sql`DELETE FROM audit_log`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
  });

  async function purgeWithCutoff(cutoff: string) {
    return t.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('fleetflash.audit_purge_before', ${cutoff}, true)`.execute(trx);
      await sql`DELETE FROM audit_log`.execute(trx);
    });
  }

  it('refuses a purge cut-off later than a day ago: infinity, the future, an hour ago', async () => {
    const before = (await wholeLog()).length;
    expect(before).toBeGreaterThan(0);
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    for (const cutoff of ['infinity', tomorrow, hourAgo])
      await expect(purgeWithCutoff(cutoff), cutoff).rejects.toThrow(/purge cut-off .* is later than a day ago/);
    expect((await wholeLog()).length).toBe(before);
  });

  it('stamps every insert with the time of the insert, so no entry is backdated into the purge window', async () => {
    await sql`INSERT INTO audit_log (at, actor_type, actor_name, actor_via, action, target_type)
      VALUES ('2000-01-01', 'system', 'backdater', 'system', 'device.updated', 'device')`.execute(t.db);
    const row = await t.db
      .selectFrom('auditLog')
      .select('at')
      .where('actorName', '=', 'backdater')
      .executeTakeFirstOrThrow();
    expect(Math.abs(row.at.getTime() - Date.now())).toBeLessThan(60_000);
  });
});

describe('retention', () => {
  /**
   * An entry `days` old. The database stamps inserts with now() (migration 0018), so the test, as the
   * table's owner, switches that trigger off for its own transaction: the owner can, as docs/operations.md says.
   */
  async function entryAged(days: number, name: string) {
    await t.db.transaction().execute(async (trx) => {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_stamp_now`.execute(trx);
      await sql`INSERT INTO audit_log (at, actor_type, actor_name, actor_via, action, organization_id, target_type)
        VALUES (${new Date(Date.now() - days * 86_400_000)}, 'system', ${name}, 'system', 'device.updated',
          ${acme.id}, 'device')`.execute(trx);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_stamp_now`.execute(trx);
    });
  }
  async function names(): Promise<string[]> {
    const rows = await t.db.selectFrom('auditLog').select('actorName').where('actorName', 'like', 'aged-%').execute();
    return rows.map((row) => row.actorName).sort();
  }

  it('reads audit_retention_days: 365 by default, 0 or "forever" keep forever', () => {
    expect(parseConfig({}).audit.retentionDays).toBe(365);
    expect(parseConfig({ FLEETFLASH_AUDIT_RETENTION_DAYS: '30' }).audit.retentionDays).toBe(30);
    expect(parseConfig({ FLEETFLASH_AUDIT_RETENTION_DAYS: '0' }).audit.retentionDays).toBeNull();
    expect(parseConfig({ FLEETFLASH_AUDIT_RETENTION_DAYS: 'forever' }).audit.retentionDays).toBeNull();
    expect(() => parseConfig({ FLEETFLASH_AUDIT_RETENTION_DAYS: '-3' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });

  it('deletes only entries past the retention, and none when kept forever', async () => {
    await entryAged(400, 'aged-400');
    await entryAged(40, 'aged-40');
    await entryAged(1, 'aged-1');
    expect(await purgeAuditLog(t.db, null)).toBe(0);
    expect(await names()).toEqual(['aged-1', 'aged-40', 'aged-400']);
    expect(await purgeAuditLog(t.db, 365)).toBe(1);
    expect(await names()).toEqual(['aged-1', 'aged-40']);
    // The hourly task reads the setting.
    const config = parseConfig({ FLEETFLASH_AUDIT_RETENTION_DAYS: '30' });
    await purgeAuditLogTask.run({ db: t.db, config, logger: createLogger('silent') }, new AbortController().signal);
    expect(await names()).toEqual(['aged-1']);
  });
});

describe('system actions', () => {
  it("records the rollout controller's pause at the failure threshold as the system's", async () => {
    const rollout = {
      canary_count: 2,
      canary_percent: null,
      stage_factor: null,
      stage_sizes: [2, 2],
      success_gate_percent: ROLLOUT_DEFAULTS.successGatePercent,
      failure_threshold_percent: 10,
      failure_threshold_min_decided: 2,
      bake_seconds: 0,
      max_concurrent: 10,
      start_at: null,
    };
    const batch = await t.db
      .insertInto('batchUpgradeOperations')
      .values({
        buildId: null,
        buildVersion: '23.05.3',
        organizationId: acme.id,
        status: 'in-progress',
        rollout: JSON.stringify(rollout),
        stageSizes: [2, 2],
        maxConcurrent: 10,
        startedAt: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const [index, stage, status] of [
      [1, 0, 'failed'],
      [2, 0, 'failed'],
      [3, 1, 'pending'],
      [4, 1, 'pending'],
    ] as const) {
      const device = await t.db
        .insertInto('devices')
        .values({ organizationId: acme.id, name: `r${index}`, macAddress: `02:00:00:00:09:0${index}` })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto('upgradeOperations')
        .values({
          deviceId: device.id,
          imageId: null,
          imageSha256: 'a'.repeat(64),
          status,
          batchId: batch.id,
          stage,
          nextAttemptAt: new Date(Date.now() + 86_400_000),
          finishedAt: status === 'failed' ? new Date() : null,
        })
        .execute();
    }
    expect((await evaluateBatch(t.db, batch.id))?.batch.status).toBe('paused');
    const paused = await call(admin, 'GET', `/api/v1/audit-log/?action=batch.paused&target_id=${batch.id}`);
    expect(paused.json().results).toEqual([
      expect.objectContaining({
        actor_type: 'system',
        actor_name: 'rollout-controller',
        actor_user_id: null,
        address: null,
        organization: acme.id,
        details: expect.objectContaining({ pause_reason: 'failure-threshold' }),
      }),
    ]);
    // A person resuming it is recorded as that person.
    await ok(await call(admin, 'POST', `/api/v1/firmware/batch-upgrade-operation/${batch.id}/resume/`));
    const resumed = await call(admin, 'GET', `/api/v1/audit-log/?action=batch.resumed&target_id=${batch.id}`);
    expect(resumed.json().results[0]).toMatchObject({
      actor_name: 'ada',
      details: { previous_status: 'paused', pause_reason: 'failure-threshold' },
    });
  });
});
