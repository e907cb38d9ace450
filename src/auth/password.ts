/**
 * The optional password (`roost passwd`): scrypt from node:crypto with a
 * random salt, stored as "scrypt$N$r$p$salt$hash" (base64). Verification runs
 * scrypt asynchronously (libuv thread pool), so a login never blocks the event
 * loop, and compares with timingSafeEqual.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N=2^15, r=8 is 32 MiB and ~100 ms per try; OWASP's minimum is 2^17 x 8 x 1 with more memory. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 64;
const SALT_BYTES = 16;
/** Node refuses scrypt above maxmem; 128 * N * r plus headroom. */
const maxmem = (N: number, r: number) => 128 * N * r * 2;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 1024;

export class PasswordError extends Error {
  override name = 'PasswordError';
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  const opts: ScryptOptions = { N, r, p, maxmem: maxmem(N, r) };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, opts, (e, key) => (e ? reject(e) : resolve(key))));
}

/** Check length rules; returns the one-line problem or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `the password must have at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `the password must have at most ${PASSWORD_MAX} characters`;
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new PasswordError(problem);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS.N, PARAMS.r, PARAMS.p);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash || password.length > PASSWORD_MAX) return false;
  const N = Number(n), R = Number(r), P = Number(p);
  if (![N, R, P].every(Number.isSafeInteger)) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), N, R, P);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
