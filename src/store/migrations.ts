/**
 * The database schema, as an ordered list of migrations. Migration N (1-based
 * position in MIGRATIONS) runs once, in a transaction, and sets
 * `PRAGMA user_version = N`. To change the schema, APPEND an entry; never edit
 * or reorder one that has shipped, because databases in the field already ran it.
 *
 * Times are epoch milliseconds. Secrets are never stored, only their SHA-256
 * digests (hex): the tokens are 256-bit random values, so a fast hash is enough.
 */
import type { Database } from 'better-sqlite3';
import { NOTIFY_MIGRATION } from '../notify/repository.js';
import { PANE_AGENTS_MIGRATION } from '../attention/pane-agents.js';

export interface Migration {
  /** Short description, for error messages. */
  name: string;
  /** SQL run with db.exec(), or a function for changes SQL alone cannot express. */
  up: string | ((db: Database) => void);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'auth: api tokens, browser logins, one-time login tokens, settings',
    up: `
      CREATE TABLE api_tokens (
        id        TEXT PRIMARY KEY,        -- public part of the token, shown by "roost token ls"
        name      TEXT,
        role      TEXT NOT NULL,           -- 'owner' | 'read-only' (anything else reads as read-only)
        hash      TEXT NOT NULL,           -- sha256 hex of the secret part
        created   INTEGER NOT NULL,
        last_used INTEGER,
        revoked   INTEGER                  -- when it was revoked; NULL while valid
      );
      CREATE TABLE login_sessions (
        id        TEXT PRIMARY KEY,        -- sha256 hex of the cookie value
        source    TEXT NOT NULL,           -- api token id, 'password' or 'link' (one-time login token)
        role      TEXT NOT NULL,
        name      TEXT,
        created   INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
      );
      CREATE INDEX login_sessions_source ON login_sessions (source);
      CREATE TABLE login_tokens (
        hash      TEXT PRIMARY KEY,        -- sha256 hex of the one-time token
        role      TEXT NOT NULL,
        created   INTEGER NOT NULL,
        expires   INTEGER NOT NULL,
        used      INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE settings (
        key       TEXT PRIMARY KEY,
        value     TEXT NOT NULL
      );
    `,
  },
  NOTIFY_MIGRATION,
  { name: 'attention: pane agents', up: PANE_AGENTS_MIGRATION },
];
