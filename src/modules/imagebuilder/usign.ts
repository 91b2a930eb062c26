import { createPublicKey, verify } from 'node:crypto';

/**
 * usign (OpenWrt's signify variant) verification with Node's Ed25519. A public key is base64 of
 * "Ed" + an 8-byte key number + the 32-byte key; a signature file's last line is base64 of
 * "Ed" + the signer's key number + the 64-byte signature of the message.
 */

export class SignatureInvalid extends Error {}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('untrusted comment:'))
      .at(-1) ?? ''
  );
}

function decode(text: string, length: number, what: string): { keyNumber: string; payload: Buffer } {
  const bytes = Buffer.from(lastLine(text), 'base64');
  if (bytes.length !== length || bytes.subarray(0, 2).toString('latin1') !== 'Ed')
    throw new SignatureInvalid(`the ${what} is not a usign Ed25519 ${what}`);
  return { keyNumber: bytes.subarray(2, 10).toString('hex'), payload: bytes.subarray(10) };
}

/** Throws SignatureInvalid with the reason unless `signatureFile` is a valid signature of `message` by `publicKey`. */
export function verifyUsignSignature(message: Buffer, signatureFile: string, publicKey: string): void {
  const key = decode(publicKey, 42, 'public key');
  const signature = decode(signatureFile, 74, 'signature');
  if (signature.keyNumber !== key.keyNumber) {
    throw new SignatureInvalid(`signed by key ${signature.keyNumber}, but the configured key is ${key.keyNumber}`);
  }
  const keyObject = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: key.payload.toString('base64url') },
    format: 'jwk',
  });
  if (!verify(null, message, keyObject, signature.payload))
    throw new SignatureInvalid('the signature does not match the file: it was altered or signed by another key');
}
