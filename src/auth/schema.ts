/**
 * The auth tables: API tokens, browser logins, one-time login tokens, and
 * small named settings (the password hash). Times are epoch milliseconds.
 * Secrets are never stored, only their SHA-256 digests (hex): the tokens are
 * 256-bit random values, so a fast hash is enough.
 */
import type { Schema } from '../store/schema.js';

export const AUTH_SCHEMA: Schema = {
  name: 'auth',
  migrations: [
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
  ],
};
