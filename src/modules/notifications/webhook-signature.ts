import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature (docs/api.md shows a receiver checking it): HMAC-SHA256, keyed with the
 * webhook's secret, of `<timestamp>.<body>`, where the timestamp is exactly the text sent in
 * `X-Fleetflash-Timestamp` (Unix seconds): the sender signs the string it sends, and a receiver
 * verifies over the header's raw bytes, so no parsing or formatting in between can make the two
 * differ. Signing the timestamp too lets a receiver refuse an old request replayed.
 */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Headers of the signatures: the current secret's, and the replaced one's during a rotation's overlap. */
export const SIGNATURE_HEADER = 'x-fleetflash-signature';
export const PREVIOUS_SIGNATURE_HEADER = 'x-fleetflash-signature-previous';

/**
 * The signature headers of a delivery. `X-Fleetflash-Signature` always holds exactly one signature,
 * the current secret's: receivers that compare the whole header keep working through a rotation.
 * During the overlap after a rotation the secret it replaced signs too, in
 * `X-Fleetflash-Signature-Previous`, so a receiver still holding that one keeps accepting
 * deliveries while it is switched over.
 */
export function webhookSignatureHeaders(
  secret: string,
  previousSecret: string | null,
  timestamp: string,
  body: string,
): Record<string, string> {
  return {
    [SIGNATURE_HEADER]: signWebhookBody(secret, timestamp, body),
    ...(previousSecret === null
      ? {}
      : { [PREVIOUS_SIGNATURE_HEADER]: signWebhookBody(previousSecret, timestamp, body) }),
  };
}

/**
 * The receiver's check (the tests use it as a receiver would): `signature` (one header's value) is
 * `secret`'s over the raw timestamp header and body, compared in constant time.
 */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
