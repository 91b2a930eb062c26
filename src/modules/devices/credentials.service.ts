import ssh2 from 'ssh2';
import type { SecretBox } from '../../platform/crypto.js';
import type { Db } from '../../database.js';
import { invalid, invalidReference, notFound } from '../../platform/errors.js';
import {
  type Actor,
  assertCanWrite,
  canRead,
  owningOrganizationId,
  readableOrganizationIds,
} from '../accounts/actor.js';
import { changedFields, recordAudit } from '../audit/record-audit.js';
import { inTransaction } from '../../platform/db/in-transaction.js';
import * as credentialsRepository from './credentials.repository.js';
import type { CredentialsRow, DeviceRow } from './devices.table.js';

/**
 * SSH credentials: a username with a password or a private key (optionally with a passphrase),
 * per organization, reusable by many devices; one of them may be the organization's default.
 * Secrets are sealed with the server key before they reach the database and never leave through
 * the API or the logs.
 */

export interface CredentialsInput {
  organization?: string | undefined;
  name: string;
  username: string;
  password?: string | null | undefined;
  privateKey?: string | null | undefined;
  passphrase?: string | null | undefined;
  isDefault?: boolean | undefined;
}

/** Plain credentials, for the upgrader only. */
export interface SshCredentials {
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

function assertPrivateKeyUsable(privateKey: string, passphrase: string | null | undefined): void {
  const parsed = ssh2.utils.parseKey(privateKey, passphrase ?? undefined);
  if (parsed instanceof Error) {
    const reason =
      /passphrase|decrypt|bad/i.test(parsed.message) && passphrase ? 'the passphrase does not open it' : parsed.message;
    throw invalid(
      `The private key cannot be used: ${reason}. Give an OpenSSH or PEM private key (and its passphrase if it has ` +
        `one).`,
      { private_key: 'unusable key' },
    );
  }
}

export async function listCredentials(
  db: Db,
  actor: Actor,
  organizationId: string | null | undefined,
  page: { limit: number; offset: number },
) {
  if (organizationId === null) return { rows: [], count: 0 };
  const filter = { organizationIds: readableOrganizationIds(actor), organizationId };
  const [rows, count] = await Promise.all([
    credentialsRepository.listCredentials(db, filter, page),
    credentialsRepository.countCredentials(db, filter),
  ]);
  return { rows, count };
}

export async function getCredentials(db: Db, actor: Actor, id: string): Promise<CredentialsRow> {
  const row = await credentialsRepository.findCredentialsById(db, id);
  if (!row || !canRead(actor, row.organizationId)) throw notFound('credentials', id);
  return row;
}

export async function createCredentials(
  db: Db,
  secrets: SecretBox,
  actor: Actor,
  input: CredentialsInput,
): Promise<CredentialsRow> {
  const organizationId = owningOrganizationId(actor, input.organization, 'credentials');
  assertCanWrite(actor, organizationId, 'credentials');
  if (!input.password && !input.privateKey) {
    throw invalid('Give a "password" or a "private_key" for SSH.', {
      password: 'password or private_key required',
      private_key: 'password or private_key required',
    });
  }
  if (input.privateKey) assertPrivateKeyUsable(input.privateKey, input.passphrase);
  return inTransaction(db, async (trx) => {
    const row = await credentialsRepository.insertCredentials(trx, {
      organizationId,
      name: input.name.trim(),
      username: input.username,
      passwordEncrypted: input.password ? secrets.seal(input.password) : null,
      privateKeyEncrypted: input.privateKey ? secrets.seal(input.privateKey) : null,
      passphraseEncrypted: input.privateKey && input.passphrase ? secrets.seal(input.passphrase) : null,
      isDefault: input.isDefault ?? false,
    });
    await recordAudit(trx, actor, {
      action: 'credentials.created',
      organizationId,
      target: { type: 'credentials', id: row.id, label: row.name },
      details: { ...auditedFields(row), ...secretKinds(row) },
    });
    return row;
  });
}

/** What the audit log keeps of credentials: never a secret, sealed or not. */
function auditedFields(row: CredentialsRow) {
  return { name: row.name, username: row.username, is_default: row.isDefault };
}

/** Which kinds of secret the credentials hold (booleans: that, not what). */
function secretKinds(row: CredentialsRow) {
  return {
    has_password: row.passwordEncrypted !== null,
    has_private_key: row.privateKeyEncrypted !== null,
    has_passphrase: row.passphraseEncrypted !== null,
  };
}

/**
 * Secrets left out of a change are kept; `null` removes one (a credential must keep a password or
 * a key). Giving a new private key without a passphrase clears the old passphrase.
 */
export async function updateCredentials(
  db: Db,
  secrets: SecretBox,
  actor: Actor,
  id: string,
  changes: Partial<CredentialsInput>,
): Promise<CredentialsRow> {
  const current = await getCredentials(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'credentials');
  if (changes.organization !== undefined && changes.organization !== current.organizationId) {
    throw invalid('Credentials cannot move to another organization: create new ones there.', {
      organization: 'cannot be changed',
    });
  }
  const password =
    changes.password === undefined
      ? current.passwordEncrypted
      : changes.password
        ? secrets.seal(changes.password)
        : null;
  let privateKey = current.privateKeyEncrypted;
  let passphrase = current.passphraseEncrypted;
  if (changes.privateKey !== undefined) {
    if (changes.privateKey) assertPrivateKeyUsable(changes.privateKey, changes.passphrase);
    privateKey = changes.privateKey ? secrets.seal(changes.privateKey) : null;
    passphrase = changes.privateKey && changes.passphrase ? secrets.seal(changes.passphrase) : null;
  }
  if (!password && !privateKey) {
    throw invalid('Credentials need a password or a private key: removing both would leave nothing to log in with.', {
      password: 'required',
    });
  }
  return inTransaction(db, async (trx) => {
    const row = await credentialsRepository.updateCredentials(trx, id, {
      ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
      ...(changes.username !== undefined ? { username: changes.username } : {}),
      ...(changes.isDefault !== undefined ? { isDefault: changes.isDefault } : {}),
      passwordEncrypted: password,
      privateKeyEncrypted: privateKey,
      passphraseEncrypted: passphrase,
    });
    if (!row) throw notFound('credentials', id);
    const details = {
      ...changedFields(auditedFields(current), auditedFields(row)),
      ...changedFields(secretKinds(current), secretKinds(row)),
      ...(changes.password ? { password_changed: true } : {}),
      ...(changes.privateKey ? { private_key_changed: true } : {}),
    };
    // A change that changes nothing (the same values again, no new secret) leaves no entry.
    if (Object.keys(details).length > 0)
      await recordAudit(trx, actor, {
        action: 'credentials.updated',
        organizationId: row.organizationId,
        target: { type: 'credentials', id: row.id, label: row.name },
        details,
      });
    return row;
  });
}

export async function deleteCredentials(db: Db, actor: Actor, id: string): Promise<void> {
  const current = await getCredentials(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'credentials');
  await inTransaction(db, async (trx) => {
    await credentialsRepository.deleteCredentials(trx, id);
    await recordAudit(trx, actor, {
      action: 'credentials.deleted',
      organizationId: current.organizationId,
      target: { type: 'credentials', id, label: current.name },
      details: auditedFields(current),
    });
  });
}

/** Credentials a device may use: its own, else its organization's default; the organization must match. */
export async function assertCredentialsUsableBy(db: Db, credentialsId: string, organizationId: string): Promise<void> {
  const row = await credentialsRepository.findCredentialsById(db, credentialsId);
  if (!row || row.organizationId !== organizationId) {
    throw invalidReference('credentials', `Credentials ${credentialsId} do not exist in the device's organization.`);
  }
}

/** The row of credentials the device will log in with, or undefined when it has none. */
export async function findEffectiveCredentials(db: Db, device: DeviceRow): Promise<CredentialsRow | undefined> {
  if (device.credentialsId) {
    const own = await credentialsRepository.findCredentialsById(db, device.credentialsId);
    if (own) return own;
  }
  return credentialsRepository.findDefaultCredentials(db, device.organizationId);
}

/** Opens the sealed secrets, for the SSH connection. */
export function openCredentials(secrets: SecretBox, row: CredentialsRow): SshCredentials {
  return {
    username: row.username,
    ...(row.passwordEncrypted ? { password: secrets.open(row.passwordEncrypted) } : {}),
    ...(row.privateKeyEncrypted ? { privateKey: secrets.open(row.privateKeyEncrypted) } : {}),
    ...(row.passphraseEncrypted ? { passphrase: secrets.open(row.passphraseEncrypted) } : {}),
  };
}
