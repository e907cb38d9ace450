/** The api_tokens table: rows only, no crypto (see src/auth/). */
import type { Db } from '../store/db.js';

export interface ApiTokenRow {
  id: string;
  name: string | null;
  role: string;
  hash: string;
  created: number;
  last_used: number | null;
  revoked: number | null;
}

export class ApiTokenTable {
  constructor(private readonly db: Db) {}

  insert(row: Omit<ApiTokenRow, 'last_used' | 'revoked'>): void {
    this.db.prepare('INSERT INTO api_tokens (id, name, role, hash, created) VALUES (@id, @name, @role, @hash, @created)').run(row);
  }

  get(id: string): ApiTokenRow | undefined {
    return this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id) as ApiTokenRow | undefined;
  }

  list(): ApiTokenRow[] {
    return this.db.prepare('SELECT * FROM api_tokens ORDER BY created, id').all() as ApiTokenRow[];
  }

  /** Mark revoked; false when there is no such token or it was already revoked. */
  revoke(id: string, now: number): boolean {
    return this.db.prepare('UPDATE api_tokens SET revoked = ? WHERE id = ? AND revoked IS NULL').run(now, id).changes === 1;
  }

  /** Record use, at most once per `everyMs` so a busy script does not write on every request. */
  touch(id: string, now: number, everyMs: number): void {
    this.db.prepare('UPDATE api_tokens SET last_used = ? WHERE id = ? AND (last_used IS NULL OR last_used < ?)').run(now, id, now - everyMs);
  }
}
