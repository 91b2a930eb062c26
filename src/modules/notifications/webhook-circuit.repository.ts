import { sql } from 'kysely';
import type { Db } from '../../database.js';
import { DELIVERIES_CHANNEL } from './delivery.repository.js';
import type { Circuit } from './webhook-circuit.js';

/** The circuit breaker's SQL (rules: webhook-circuit.ts), written when the delivery worker records an attempt. */

/** A webhook's circuit, its row locked until the transaction ends, with the database's time. */
export async function lockWebhookCircuit(db: Db, webhookId: string) {
  return db
    .selectFrom('webhooks')
    .select([
      'circuitFailures as failures',
      'circuitOpenings as openings',
      'circuitOpenUntil as openUntil',
      'organizationId',
      'url',
      sql<Date>`now()`.as('now'),
    ])
    .where('id', '=', webhookId)
    .forUpdate()
    .executeTakeFirst();
}

/** Writes the circuit `circuitAfterAttempt` computed (in the transaction holding the webhook's row). */
export async function updateWebhookCircuit(db: Db, webhookId: string, circuit: Circuit): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ circuitFailures: circuit.failures, circuitOpenings: circuit.openings, circuitOpenUntil: circuit.openUntil })
    .where('id', '=', webhookId)
    .execute();
}

/**
 * Closes the circuit and forgets its history (the webhook's URL changed, or it was deactivated or
 * activated): failures of the old receiver say nothing about the new one.
 */
export async function resetWebhookCircuit(db: Db, webhookId: string): Promise<void> {
  await updateWebhookCircuit(db, webhookId, { failures: 0, openings: 0, openUntil: null });
}

/**
 * Wakes the delivery workers when the webhook still has deliveries pending: an attempt that ended
 * frees one of its in-flight places, which workers of other processes would otherwise only notice
 * at their next poll.
 */
export async function notifyIfWebhookHasPending(db: Db, webhookId: string): Promise<void> {
  await sql`
    SELECT pg_notify(${DELIVERIES_CHANNEL}, '')
    WHERE EXISTS (
      SELECT 1 FROM notification_deliveries WHERE webhook_id = ${webhookId} AND status = 'pending'
    )`.execute(db);
}
