/**
 * Random secrets and how they are compared. Every secret Roost hands out is
 * 256 bits from the OS CSPRNG, so storing its SHA-256 digest is enough (no
 * salt or slow hash needed: there is nothing to guess). Comparisons go through
 * timingSafeEqual over two 32-byte digests, so neither the length nor the
 * content of a guess changes how long the comparison takes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of randomness in every token, login token and cookie: 256 bits. */
export const SECRET_BYTES = 32;

/** A fresh random secret, base64url (43 characters). */
export function newSecret(bytes = SECRET_BYTES): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a secret, hex: what the database stores. */
export function digestHex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Does `secret` hash to `storedHex`? Constant time over the fixed-length digests. */
export function matchesDigest(secret: string, storedHex: string): boolean {
  const a = createHash('sha256').update(secret, 'utf8').digest();
  const b = Buffer.from(storedHex, 'hex');
  if (b.length !== a.length) return false; // a malformed stored value, never a timing signal about the guess
  return timingSafeEqual(a, b);
}
