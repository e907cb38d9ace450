/**
 * Credentials and browser logins, over the store:
 *
 * - API tokens ("roost_<id>_<secret>", 256-bit secret): created by
 *   `roost token create`, shown once, stored as sha256(secret), looked up by
 *   the public id and compared in constant time. Revocable.
 * - One-time login tokens (in a login URL's #fragment): used once, expire
 *   after `loginTokenTtlMs` (default 10 minutes).
 * - The optional password (scrypt).
 * - Browser logins: a login trades one of the above for a random cookie value
 *   (never the credential itself); the database keeps sha256(cookie). A login
 *   ends on logout, after `idleMs` without use, `absoluteMs` after it began,
 *   when its API token is revoked, and for every login when the password
 *   changes.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { ApiTokenTable, type ApiTokenRow } from './tokens-table.js';
import { LoginSessionTable, LoginTokenTable, type LoginSessionRow } from './logins-table.js';
import { SettingsTable } from './settings-table.js';
import { digestHex, matchesDigest, newSecret } from './secrets.js';
import { hashPassword, verifyPassword } from './password.js';
import { toRole, type Principal, type Role } from './roles.js';

export const LOGIN_TOKEN_TTL_MS = 10 * 60_000;
/** A browser login unused this long ends (an open WebSocket counts as use). */
export const LOGIN_IDLE_MS = 7 * 24 * 3600_000;
/** A browser login ends this long after it began, however much it is used. */
export const LOGIN_ABSOLUTE_MS = 30 * 24 * 3600_000;
/** last_seen / last_used are written at most this often (ms), not on every request. */
const TOUCH_EVERY_MS = 60_000;

const API_TOKEN_RE = /^roost_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const PASSWORD_KEY = 'password';

export interface AuthOptions {
  now?: () => number;
  loginTokenTtlMs?: number;
  idleMs?: number;
  absoluteMs?: number;
}

export interface CreatedToken {
  id: string;
  name: string | null;
  role: Role;
  created: number;
  /** The secret, shown once. */
  token: string;
}

export interface TokenInfo {
  id: string;
  name: string | null;
  role: Role;
  created: number;
  lastUsed: number | null;
  revoked: number | null;
}

export type LoginCredentials = { token: string } | { password: string };

export interface Login {
  /** The cookie value: random, not the credential. */
  cookie: string;
  principal: Principal;
  /** Epoch ms when the login ends at the latest (absolute lifetime). */
  expiresAt: number;
}

export class Auth {
  readonly tokens: ApiTokenTable;
  readonly logins: LoginSessionTable;
  readonly loginTokens: LoginTokenTable;
  readonly settings: SettingsTable;
  readonly now: () => number;
  readonly loginTokenTtlMs: number;
  readonly idleMs: number;
  readonly absoluteMs: number;

  constructor(db: Db, opts: AuthOptions = {}) {
    this.tokens = new ApiTokenTable(db);
    this.logins = new LoginSessionTable(db);
    this.loginTokens = new LoginTokenTable(db);
    this.settings = new SettingsTable(db);
    this.now = opts.now ?? Date.now;
    this.loginTokenTtlMs = opts.loginTokenTtlMs ?? LOGIN_TOKEN_TTL_MS;
    this.idleMs = opts.idleMs ?? LOGIN_IDLE_MS;
    this.absoluteMs = opts.absoluteMs ?? LOGIN_ABSOLUTE_MS;
  }

  // --- API tokens ---------------------------------------------------------

  createApiToken(opts: { name?: string | null; role: Role }): CreatedToken {
    let id = newId();
    while (this.tokens.get(id)) id = newId();
    const secret = newSecret();
    const created = this.now();
    const name = opts.name ?? null;
    this.tokens.insert({ id, name, role: opts.role, hash: digestHex(secret), created });
    return { id, name, role: opts.role, created, token: `roost_${id}_${secret}` };
  }

  listApiTokens(): TokenInfo[] {
    return this.tokens.list().map((r) => ({ id: r.id, name: r.name, role: toRole(r.role), created: r.created, lastUsed: r.last_used, revoked: r.revoked }));
  }

  /** Revoke a token and end the browser logins made with it. False if unknown or already revoked. */
  revokeApiToken(id: string): boolean {
    const done = this.tokens.revoke(id, this.now());
    this.logins.deleteBySource(id);
    return done;
  }

  /** The principal for an `Authorization: Bearer` value, or null. */
  verifyBearer(token: string): Principal | null {
    const row = this.checkApiToken(token);
    if (!row) return null;
    this.tokens.touch(row.id, this.now(), TOUCH_EVERY_MS);
    return { kind: 'token', role: toRole(row.role), name: row.name, tokenId: row.id };
  }

  private checkApiToken(token: string): ApiTokenRow | null {
    const m = API_TOKEN_RE.exec(token);
    if (!m) return null;
    const row = this.tokens.get(m[1]!);
    if (!row || row.revoked !== null) return null;
    return matchesDigest(m[2]!, row.hash) ? row : null;
  }

  // --- one-time login tokens ----------------------------------------------

  /** A fresh one-time login token (for a login URL's #token=...). */
  createLoginToken(role: Role = 'owner'): { token: string; expiresAt: number } {
    const now = this.now();
    this.loginTokens.purge(now);
    const token = newSecret();
    const expiresAt = now + this.loginTokenTtlMs;
    this.loginTokens.insert({ hash: digestHex(token), role, created: now, expires: expiresAt });
    return { token, expiresAt };
  }

  // --- password -----------------------------------------------------------

  hasPassword(): boolean {
    return this.settings.get(PASSWORD_KEY) !== undefined;
  }

  /** Set (or with null, remove) the password; every browser login ends. */
  async setPassword(password: string | null): Promise<void> {
    if (password === null) this.settings.delete(PASSWORD_KEY);
    else this.settings.set(PASSWORD_KEY, await hashPassword(password));
    this.logins.deleteAll();
  }

  // --- browser logins -----------------------------------------------------

  /** Trade a credential for a login; null when it is not valid. */
  async login(creds: LoginCredentials): Promise<Login | null> {
    let source: string;
    let role: Role;
    let name: string | null = null;
    if ('password' in creds) {
      const stored = this.settings.get(PASSWORD_KEY);
      if (stored === undefined || !(await verifyPassword(creds.password, stored))) return null;
      source = 'password';
      role = 'owner';
    } else if (API_TOKEN_RE.test(creds.token)) {
      const row = this.checkApiToken(creds.token);
      if (!row) return null;
      this.tokens.touch(row.id, this.now(), TOUCH_EVERY_MS);
      source = row.id;
      role = toRole(row.role);
      name = row.name;
    } else {
      const row = this.loginTokens.consume(digestHex(creds.token), this.now());
      if (!row) return null;
      source = 'link';
      role = toRole(row.role);
    }
    const now = this.now();
    this.logins.purge(now - this.idleMs, now - this.absoluteMs);
    const cookie = newSecret();
    const id = digestHex(cookie);
    this.logins.insert({ id, source, role, name, created: now, last_seen: now });
    return { cookie, principal: { kind: 'login', role, name, loginId: id, source }, expiresAt: now + this.absoluteMs };
  }

  /** The principal for a cookie value, or null if the login ended. Counts as use. */
  fromCookie(cookie: string): Principal | null {
    if (cookie.length > 128) return null;
    const id = digestHex(cookie);
    const row = this.logins.get(id);
    if (!row || !matchesDigest(cookie, row.id) || !this.alive(row)) return null;
    this.touchLogin(row);
    return { kind: 'login', role: toRole(row.role), name: row.name, loginId: row.id, source: row.source };
  }

  /** End one login (logout). */
  logout(loginId: string): void {
    this.logins.delete(loginId);
  }

  /**
   * Is a principal still good? Asked every second for each open WebSocket, so
   * a revoke, logout, password change or expiry (even done by another process
   * writing the database) closes sockets within seconds.
   */
  stillValid(p: Principal): boolean {
    if (p.kind === 'unix') return true;
    if (p.kind === 'token') {
      const row = this.tokens.get(p.tokenId);
      return row !== undefined && row.revoked === null;
    }
    const row = this.logins.get(p.loginId);
    if (!row || !this.alive(row)) return false;
    this.touchLogin(row);
    return true;
  }

  private alive(row: LoginSessionRow): boolean {
    const now = this.now();
    return now - row.last_seen < this.idleMs && now - row.created < this.absoluteMs;
  }

  private touchLogin(row: LoginSessionRow): void {
    const now = this.now();
    if (now - row.last_seen >= TOUCH_EVERY_MS) this.logins.touch(row.id, now);
  }
}

/** Public token id: 48 random bits, hex. Not a secret (it names the token in `roost token ls`). */
function newId(): string {
  return randomBytes(6).toString('hex');
}
