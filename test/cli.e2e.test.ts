import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from './helpers/database.js';
import { runCli, startServer } from './helpers/process.js';

let database: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url, FLEETFLASH_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'fleetflash-cli-')) };
});
afterAll(async () => {
  await database.close();
});

describe('fleetflash CLI', () => {
  it('creates an organization, a user in it and an API token that the API accepts', async () => {
    const org = await runCli(['org', 'create', '--name', 'Field Ops'], env);
    expect(org.code, org.stderr).toBe(0);
    expect(org.stdout).toContain('slug field-ops');

    const user = await runCli(
      ['user', 'create', '--username', 'fieldadmin', '--organization', 'field-ops', '--role', 'admin'],
      env,
    );
    expect(user.code, user.stderr).toBe(0);
    expect(user.stdout).toMatch(/Created user fieldadmin/);
    const password = /Password \(shown once\): (\S+)/.exec(user.stdout)?.[1];
    expect(password).toBeDefined();

    const token = await runCli(
      ['token', 'create', '--username', 'fieldadmin', '--name', 'ci', '--expires-in-days', '7'],
      env,
    );
    expect(token.code, token.stderr).toBe(0);
    const secret = token.stdout.trim().split('\n').pop()!;
    expect(secret).toMatch(/^fft_/);

    const server = await startServer(env);
    try {
      const me = await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({
        username: 'fieldadmin',
        memberships: [{ organization_slug: 'field-ops', role: 'admin' }],
      });
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ username: 'fieldadmin', password }),
      });
      expect(login.status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('explains mistakes: unknown command, missing option, unknown organization', async () => {
    const unknown = await runCli(['frobnicate'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('Usage: fleetflash');
    const missing = await runCli(['user', 'create'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--username is required');
    const noOrg = await runCli(['user', 'create', '--username', 'x1', '--organization', 'nope'], env);
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain('no organization with slug "nope"');
    expect((await runCli(['user', 'create', '--username', 'twice'], env)).code).toBe(0);
    const duplicate = await runCli(['user', 'create', '--username', 'TWICE'], env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('already exists');
  });

  it('stops at boot on an invalid setting, naming the setting and the value', async () => {
    const result = await runCli(['migrate'], { ...env, PORT: 'eighty', FLEETFLASH_MAX_FILE_SIZE: '-1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT="eighty"');
    expect(result.stderr).toContain('FLEETFLASH_MAX_FILE_SIZE="-1"');
    expect(result.stderr).toContain('docs/settings.md');
  });
});

describe('fleetflash serve', () => {
  it('migrates an empty database, creates the first superuser once and prints how to log in', async () => {
    const empty = await createEmptyDatabase();
    const serveEnv = {
      DATABASE_URL: empty.url,
      FLEETFLASH_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'fleetflash-serve-')),
    };
    try {
      const first = await startServer(serveEnv);
      const password = /Log in as "admin" with password: (\S+)/.exec(first.output())?.[1];
      expect(password, first.output()).toBeDefined();
      const health = await fetch(`${first.url}/healthz`);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const login = await fetch(`${first.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: first.url },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { is_superuser: boolean }).is_superuser).toBe(true);
      expect(await first.stop()).toBe(0);

      const second = await startServer(serveEnv);
      expect(second.output()).not.toContain('with password');
      expect(second.output()).toContain('first superuser was created on the first start');
      expect(await second.stop()).toBe(0);
    } finally {
      await empty.drop();
    }
  });

  it(
    'takes the first superuser from FLEETFLASH_ADMIN_USERNAME/PASSWORD, and two servers starting at once ' + 'agree',
    async () => {
      const empty = await createEmptyDatabase();
      const serveEnv = {
        DATABASE_URL: empty.url,
        FLEETFLASH_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'fleetflash-serve-')),
        FLEETFLASH_ADMIN_USERNAME: 'root',
        FLEETFLASH_ADMIN_PASSWORD: 'a strong password',
      };
      try {
        const [one, two] = await Promise.all([startServer(serveEnv), startServer(serveEnv)]);
        const created = [one.output(), two.output()].filter((output) => output.includes('FLEETFLASH_ADMIN_PASSWORD'));
        expect(created).toHaveLength(1);
        const login = await fetch(`${two.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: two.url },
          body: JSON.stringify({ username: 'root', password: 'a strong password' }),
        });
        expect(login.status).toBe(200);
        expect(await one.stop()).toBe(0);
        expect(await two.stop()).toBe(0);
      } finally {
        await empty.drop();
      }
    },
  );
});
