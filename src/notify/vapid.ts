/**
 * The server's VAPID key pair for Web Push: generated once, kept in
 * <stateDir>/vapid.json (0600, folder 0700), and never logged. Browsers
 * subscribe with the public key; rotating it would orphan every
 * subscription, so it is created only when the file is absent, and two
 * processes starting at once agree on one pair (create-if-absent by link).
 */
import { existsSync, linkSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createECDH, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { ensurePrivateDir, writeFileAtomic } from '../config/files.js';

export const VAPID_FILE = 'vapid.json';

export interface VapidKeys {
  /** base64url, uncompressed P-256 point: applicationServerKey for PushManager.subscribe(). */
  publicKey: string;
  /** base64url (secret). */
  privateKey: string;
}

const schema = z.object({ publicKey: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/), privateKey: z.string().regex(/^[A-Za-z0-9_-]{40,50}$/) });

export class VapidError extends Error {
  override name = 'VapidError';
}

function read(file: string): VapidKeys {
  const r = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!r.success) throw new VapidError(`${file} does not hold a VAPID key pair; move it away to make a new one (browsers will need to subscribe again)`);
  return r.data;
}

export function vapidFile(stateDir: string): string {
  return join(stateDir, VAPID_FILE);
}

/**
 * A new P-256 key pair, as web-push's generateVAPIDKeys makes it (raw
 * uncompressed public point, raw private scalar padded to 32 bytes,
 * base64url): node's crypto, so the daemon need not load web-push (and its
 * dependencies, ~10 MB) until it sends a push.
 */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  const curve = createECDH('prime256v1');
  curve.generateKeys();
  const pad = (b: Buffer, n: number) => (b.length < n ? Buffer.concat([Buffer.alloc(n - b.length), b]) : b);
  return { publicKey: pad(curve.getPublicKey(), 65).toString('base64url'), privateKey: pad(curve.getPrivateKey(), 32).toString('base64url') };
}

/** The key pair in `file`, created on first use. */
export function loadOrCreateVapidKeys(file: string): VapidKeys {
  if (existsSync(file)) return read(file);
  ensurePrivateDir(dirname(file));
  const keys = generateVapidKeys();
  const tmp = `${file}.${randomBytes(6).toString('hex')}.new`;
  writeFileAtomic(tmp, `${JSON.stringify({ publicKey: keys.publicKey, privateKey: keys.privateKey })}\n`, 0o600);
  try {
    linkSync(tmp, file); // fails if another process made the file first: then theirs wins
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  return read(file);
}
