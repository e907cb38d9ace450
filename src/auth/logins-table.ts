/**
 * Browser logins: the login_sessions table (one row per cookie) and the
 * login_tokens table (one-time tokens in login URLs). Rows only; lifetimes
 * and hashing are decided in src/auth/.
 */
import type { Db } from '../store/db.js';

export interface LoginSessionRow {
  id: string;
  source: string;
  role: string;
  name: string | null;
  created: number;
  last_seen: number;
}

export class LoginSessionTable {
  constructor(private readonly db: Db) {}

  insert(row: LoginSessionRow): void {
    this.db.prepare('INSERT INTO login_sessions (id, source, role, name, created, last_seen) VALUES (@id, @source, @role, @name, @created, @last_seen)').run(row);
  }

  get(id: string): LoginSessionRow | undefined {
    return this.db.prepare('SELECT * FROM login_sessions WHERE id = ?').get(id) as LoginSessionRow | undefined;
  }

  touch(id: string, now: number): void {
    this.db.prepare('UPDATE login_sessions SET last_seen = ? WHERE id = ?').run(now, id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM login_sessions WHERE id = ?').run(id).changes === 1;
  }

  /** End every login made with one credential (an API token id, 'password', 'link'). */
  deleteBySource(source: string): number {
    return this.db.prepare('DELETE FROM login_sessions WHERE source = ?').run(source).changes;
  }

  deleteAll(): number {
    return this.db.prepare('DELETE FROM login_sessions').run().changes;
  }

  /** Drop rows past either lifetime. */
  purge(idleBefore: number, createdBefore: number): number {
    return this.db.prepare('DELETE FROM login_sessions WHERE last_seen < ? OR created < ?').run(idleBefore, createdBefore).changes;
  }
}

export interface LoginTokenRow {
  hash: string;
  role: string;
  created: number;
  expires: number;
  used: number;
}

export class LoginTokenTable {
  constructor(private readonly db: Db) {}

  insert(row: Omit<LoginTokenRow, 'used'>): void {
    this.db.prepare('INSERT INTO login_tokens (hash, role, created, expires) VALUES (@hash, @role, @created, @expires)').run(row);
  }

  /**
   * Use a token: in one statement, so two requests racing with the same token
   * cannot both win. Returns the row when this call used it.
   */
  consume(hash: string, now: number): LoginTokenRow | undefined {
    return this.db.prepare('UPDATE login_tokens SET used = 1 WHERE hash = ? AND used = 0 AND expires > ? RETURNING *').get(hash, now) as LoginTokenRow | undefined;
  }

  /** Drop used and expired tokens. */
  purge(now: number): number {
    return this.db.prepare('DELETE FROM login_tokens WHERE used = 1 OR expires <= ?').run(now).changes;
  }
}
