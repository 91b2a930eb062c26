import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

function writeConfigFile(content: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-config-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('settings', () => {
  it("uses the seeds' defaults when nothing is set", () => {
    const config = parseConfig({}, '/srv/fleetflash');
    expect(config.server.port).toBe(8000);
    expect(config.dataDir).toBe('/srv/fleetflash/data');
    expect(config.database.url).toBeNull();
    expect(config.firmware.maxFileSize).toBe(30 * 1024 * 1024);
    expect(config.firmware.apiEnabled).toBe(true);
    expect(config.firmware.customOpenwrtImages).toEqual([]);
    expect(config.upgrades.retry).toEqual({ maxRetries: 4, retryBackoff: 60, retryBackoffMax: 600, retryJitter: true });
    expect(config.upgrades.taskTimeout).toBe(600);
    expect(config.upgrades.openwrt).toEqual({
      connectTimeout: 10,
      commandTimeout: 60,
      reconnectDelay: 120,
      reconnectRetryDelay: 20,
      reconnectMaxRetries: 15,
      upgradeTimeout: 90,
      imageTransfer: 'push',
    });
    expect(config.upgrades).toMatchObject({
      concurrency: 10_000,
      maxSshSessions: 100,
      maxTransfers: 50,
      lease: 30,
      pollInterval: 1,
      customUpgraders: [],
    });
    expect(config.security.secretKey).toBeNull();
  });

  it('lets routers pull images only with a public URL to pull them from', () => {
    expect(problemsOf({ FLEETFLASH_OPENWRT_IMAGE_TRANSFER: 'pull' })).toEqual([
      'openwrt.image_transfer "pull" (FLEETFLASH_OPENWRT_IMAGE_TRANSFER) needs public_url (FLEETFLASH_PUBLIC_URL): ' +
        'the address routers download images from',
    ]);
    expect(problemsOf({ FLEETFLASH_OPENWRT_IMAGE_TRANSFER: 'scp' })[0]).toContain('must be one of push, pull');
    const config = parseConfig({
      FLEETFLASH_OPENWRT_IMAGE_TRANSFER: 'pull',
      FLEETFLASH_PUBLIC_URL: 'https://fleet.example.net/',
    });
    expect(config.upgrades.openwrt.imageTransfer).toBe('pull');
    expect(config.server.publicUrl).toBe('https://fleet.example.net');
  });

  it('reads environment variables and converts their types', () => {
    const config = parseConfig({
      PORT: '9000',
      FLEETFLASH_DATA_DIR: '/var/lib/ff',
      FLEETFLASH_MAX_FILE_SIZE: 'unlimited',
      FLEETFLASH_RETRY_JITTER: 'no',
      FLEETFLASH_API_ENABLED: 'false',
      FLEETFLASH_OPENWRT_UPGRADE_TIMEOUT: '120',
      DATABASE_URL: 'postgres://u:p@db:5432/ff',
    });
    expect(config.server.port).toBe(9000);
    expect(config.dataDir).toBe('/var/lib/ff');
    expect(config.firmware.maxFileSize).toBeNull();
    expect(config.upgrades.retry.retryJitter).toBe(false);
    expect(config.firmware.apiEnabled).toBe(false);
    expect(config.upgrades.openwrt.upgradeTimeout).toBe(120);
    expect(config.database.url).toBe('postgres://u:p@db:5432/ff');
  });

  it('reads the JSON config file, and the environment wins over it', () => {
    const file = writeConfigFile({
      port: 8100,
      max_file_size: null,
      retry_options: { max_retries: 2, retry_backoff: 10 },
      openwrt: { reconnect_delay: 30 },
      custom_openwrt_images: [
        ['customimage-squashfs-sysupgrade.bin', { label: 'Custom WAP-1200', boards: ['CWAP1200'] }],
      ],
    });
    const config = parseConfig({ FLEETFLASH_CONFIG: file, FLEETFLASH_RETRY_MAX_RETRIES: '7' });
    expect(config.server.port).toBe(8100);
    expect(config.firmware.maxFileSize).toBeNull();
    expect(config.upgrades.retry.maxRetries).toBe(7);
    expect(config.upgrades.retry.retryBackoff).toBe(10);
    expect(config.upgrades.openwrt.reconnectDelay).toBe(30);
    expect(config.firmware.customOpenwrtImages).toEqual([
      { type: 'customimage-squashfs-sysupgrade.bin', label: 'Custom WAP-1200', boards: ['CWAP1200'] },
    ]);
    expect(config.configFile).toBe(file);
  });

  it('reports every invalid setting at once, naming the setting and the value', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      FLEETFLASH_MAX_FILE_SIZE: '-5',
      FLEETFLASH_RETRY_JITTER: 'maybe',
      DATABASE_URL: 'mysql://x',
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('PORT="eighty"');
    expect(problems.join('\n')).toContain('FLEETFLASH_MAX_FILE_SIZE="-5"');
    expect(problems.join('\n')).toContain('FLEETFLASH_RETRY_JITTER="maybe"');
    expect(problems.join('\n')).toContain('DATABASE_URL="mysql://x"');
  });

  it('refuses unknown keys, unreadable and malformed config files', () => {
    expect(problemsOf({ FLEETFLASH_CONFIG: writeConfigFile({ prot: 8000 }) })[0]).toContain(
      '"prot" is not a fleetflash setting',
    );
    expect(problemsOf({ FLEETFLASH_CONFIG: writeConfigFile('{not json') })[0]).toContain('is not valid JSON');
    expect(problemsOf({ FLEETFLASH_CONFIG: '/nonexistent/fleetflash.json' })[0]).toContain('cannot read');
  });

  it('refuses custom images whose boards are a bare string (a data bug of the system we replace)', () => {
    const problems = problemsOf({
      FLEETFLASH_CUSTOM_OPENWRT_IMAGES: JSON.stringify([
        { type: 'x-sysupgrade.bin', label: 'X', boards: 'UniFi 6 Lite' },
      ]),
    });
    expect(problems[0]).toContain('"boards" must be a non-empty array');
  });

  it('takes waits in fractions of a second, so tests can shrink them to milliseconds', () => {
    const config = parseConfig({
      FLEETFLASH_OPENWRT_RECONNECT_DELAY: '0.05',
      FLEETFLASH_RETRY_BACKOFF: '0.01',
      FLEETFLASH_RETRY_BACKOFF_MAX: '0.04',
    });
    expect(config.upgrades.openwrt.reconnectDelay).toBe(0.05);
    expect(config.upgrades.retry.retryBackoff).toBe(0.01);
  });

  it('checks custom upgraders and the secret key', () => {
    expect(
      parseConfig({ FLEETFLASH_UPGRADERS: JSON.stringify([{ os_pattern: '^MyOS', module: './my-upgrader.js' }]) })
        .upgrades.customUpgraders,
    ).toEqual([{ osPattern: '^MyOS', module: './my-upgrader.js' }]);
    expect(problemsOf({ FLEETFLASH_UPGRADERS: JSON.stringify([{ os_pattern: '([', module: 'x.js' }]) })[0]).toContain(
      'not a valid regular expression',
    );
    expect(problemsOf({ FLEETFLASH_SECRET_KEY: 'short' })[0]).toContain('at least 32 characters');
  });

  it('refuses a backoff maximum below the backoff', () => {
    expect(problemsOf({ FLEETFLASH_RETRY_BACKOFF: '100', FLEETFLASH_RETRY_BACKOFF_MAX: '50' })[0]).toContain(
      'retry_backoff_max',
    );
  });

  it('takes a direct listen URL beside DATABASE_URL (defaulting to none), and refuses one without it', () => {
    const url = 'postgres://fleetflash@pgbouncer:6432/fleetflash';
    const direct = 'postgres://fleetflash@db:5432/fleetflash';
    expect(parseConfig({ DATABASE_URL: url }).database.listenUrl).toBeNull();
    expect(parseConfig({ DATABASE_URL: url, FLEETFLASH_DATABASE_LISTEN_URL: direct }).database.listenUrl).toBe(direct);
    expect(problemsOf({ FLEETFLASH_DATABASE_LISTEN_URL: direct })[0]).toContain('needs database_url');
    expect(problemsOf({ DATABASE_URL: url, FLEETFLASH_DATABASE_LISTEN_URL: 'mysql://db' })[0]).toContain(
      'FLEETFLASH_DATABASE_LISTEN_URL="mysql://db": must start with postgres://',
    );
  });

  it('turns email on only with an SMTP server and a sender, refusing half a setting', () => {
    expect(parseConfig({}).notifications.email).toBeNull();
    const from = { FLEETFLASH_EMAIL_FROM: 'fleetflash <ff@example.com>' };
    expect(parseConfig({ ...from, FLEETFLASH_SMTP_HOST: 'mail.example.com' }).notifications.email).toEqual({
      smtp: { host: 'mail.example.com', port: 587, tls: 'starttls', user: null, password: null },
      from: 'fleetflash <ff@example.com>',
    });
    expect(parseConfig({ ...from, FLEETFLASH_SMTP_URL: 'smtps://u:p@mail:465' }).notifications.email?.smtp).toEqual({
      url: 'smtps://u:p@mail:465',
    });
    expect(problemsOf({ FLEETFLASH_SMTP_HOST: 'mail.example.com' })[0]).toContain('email.from');
    expect(problemsOf({ ...from, FLEETFLASH_SMTP_HOST: 'mail', FLEETFLASH_SMTP_URL: 'smtp://mail' })[0]).toContain(
      'set one of them',
    );
    expect(problemsOf({ FLEETFLASH_SMTP_URL: 'http://mail' })[0]).toContain('must start with smtp://');
    expect(problemsOf({ FLEETFLASH_SMTP_TLS: 'maybe' })[0]).toContain('starttls, tls, none');
  });

  it('never repeats the SMTP password in a message about it, and keeps it as given', () => {
    const wrong = problemsOf({ FLEETFLASH_CONFIG: writeConfigFile({ email: { smtp_password: 73519264 } }) });
    expect(wrong[0]).toContain('email.smtp_password');
    expect(wrong.join('\n')).not.toContain('73519264');
    const from = { FLEETFLASH_EMAIL_FROM: 'ff@example.com', FLEETFLASH_SMTP_HOST: 'mail', FLEETFLASH_SMTP_USER: 'u' };
    // Spaces are a password like any other, not "empty".
    const smtp = parseConfig({ ...from, FLEETFLASH_SMTP_PASSWORD: '  ' }).notifications.email?.smtp;
    expect(smtp).toMatchObject({ user: 'u', password: '  ' });
  });

  it('returns a frozen object', () => {
    const config = parseConfig({});
    expect(Object.isFrozen(config.upgrades.retry)).toBe(true);
  });
});
