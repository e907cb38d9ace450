/**
 * The notify tables: one row per notification channel. Secrets (ntfy token,
 * webhook secret, push keys) live in the `config` JSON column of the 0600
 * database. Times are epoch ms.
 */
import type { Schema } from '../store/schema.js';

export const NOTIFY_SCHEMA: Schema = {
  name: 'notify',
  migrations: [
    // IF NOT EXISTS: this first ran in the first release's global list, where it had to be safe wherever it ran first.
    { name: 'notify: channels', up: `
CREATE TABLE IF NOT EXISTS notify_channels (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  kind          TEXT NOT NULL,            -- 'ntfy' | 'webhook' | 'webpush'
  name          TEXT,
  enabled       INTEGER NOT NULL DEFAULT 1,
  states        TEXT,                     -- JSON array of states, NULL = every state that wants attention
  sessions      TEXT,                     -- JSON array of session names, NULL = all
  quiet         TEXT,                     -- 'HH:MM-HH:MM' local time, NULL = none
  allow_private INTEGER NOT NULL DEFAULT 0,
  config        TEXT NOT NULL,            -- JSON, holds the channel's secrets
  push_endpoint TEXT UNIQUE,              -- webpush only: one channel per browser subscription
  created       INTEGER NOT NULL,
  last_ok       INTEGER,
  last_error    TEXT,
  last_error_at INTEGER
);
` },
  ],
};
