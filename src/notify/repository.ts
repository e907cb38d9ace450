/**
 * Notification channels in SQLite: a small repository over the
 * notify_channels table (schema.ts) in a better-sqlite3 Database. Secrets
 * (ntfy token, webhook secret, push keys) live in the `config` JSON column of the 0600 database; they leave it only towards
 * their own destination, never in a list or a log (publicChannel()).
 */
import type { Database } from 'better-sqlite3';
import { currentStates, type Channel, type ChannelKind, type DeliveryStatus, type NewChannel } from './channels.js';

interface Row {
  id: number;
  kind: ChannelKind;
  name: string | null;
  enabled: number;
  states: string | null;
  sessions: string | null;
  quiet: string | null;
  allow_private: number;
  config: string;
  created: number;
  last_ok: number | null;
  last_error: string | null;
  last_error_at: number | null;
}

function fromRow(r: Row): Channel {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    enabled: r.enabled === 1,
    states: r.states === null ? null : currentStates(JSON.parse(r.states) as string[]),
    sessions: r.sessions === null ? null : (JSON.parse(r.sessions) as string[]),
    quiet: r.quiet,
    allowPrivate: r.allow_private === 1,
    config: JSON.parse(r.config),
    createdAt: r.created,
  } as Channel;
}

export interface StoredStatus {
  lastOkAt: number | null;
  lastErrorAt: number | null;
  lastError: string | null;
}

export class ChannelRepository {
  constructor(private readonly db: Database, private readonly now: () => number = Date.now) {}

  add(c: NewChannel): Channel {
    const r = this.db
      .prepare(`INSERT INTO notify_channels (kind, name, enabled, states, sessions, quiet, allow_private, config, push_endpoint, created)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        c.kind, c.name, c.enabled ? 1 : 0,
        c.states === null ? null : JSON.stringify(c.states),
        c.sessions === null ? null : JSON.stringify(c.sessions),
        c.quiet, c.allowPrivate ? 1 : 0, JSON.stringify(c.config),
        c.kind === 'webpush' ? c.config.endpoint : null,
        this.now(),
      );
    return this.get(Number(r.lastInsertRowid))!;
  }

  /** A browser's subscription: a new channel, or the existing one for that endpoint with fresh keys. */
  upsertPush(c: NewChannel & { kind: 'webpush' }): Channel {
    const existing = this.db.prepare('SELECT id FROM notify_channels WHERE push_endpoint = ?').get(c.config.endpoint) as { id: number } | undefined;
    if (!existing) return this.add(c);
    this.db.prepare('UPDATE notify_channels SET config = ?, name = ?, enabled = 1 WHERE id = ?').run(JSON.stringify(c.config), c.name, existing.id);
    return this.get(existing.id)!;
  }

  list(): Channel[] {
    return (this.db.prepare('SELECT * FROM notify_channels ORDER BY id').all() as Row[]).map(fromRow);
  }

  get(id: number): Channel | undefined {
    const r = this.db.prepare('SELECT * FROM notify_channels WHERE id = ?').get(id) as Row | undefined;
    return r && fromRow(r);
  }

  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM notify_channels WHERE id = ?').run(id).changes === 1;
  }

  removePushEndpoint(endpoint: string): boolean {
    return this.db.prepare('DELETE FROM notify_channels WHERE push_endpoint = ?').run(endpoint).changes === 1;
  }

  setEnabled(id: number, enabled: boolean): boolean {
    return this.db.prepare('UPDATE notify_channels SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id).changes === 1;
  }

  /** Keep the last outcome (for lists after a restart); pending/dropped live in the dispatcher only. */
  recordStatus(id: number, s: Pick<DeliveryStatus, 'lastOkAt' | 'lastErrorAt' | 'lastError'>): void {
    // COALESCE: a fresh dispatcher knows nothing yet of earlier outcomes; keep them.
    this.db.prepare('UPDATE notify_channels SET last_ok = COALESCE(?, last_ok), last_error = COALESCE(?, last_error), last_error_at = COALESCE(?, last_error_at) WHERE id = ?').run(s.lastOkAt, s.lastError, s.lastErrorAt, id);
  }

  statusOf(id: number): StoredStatus | undefined {
    const r = this.db.prepare('SELECT last_ok, last_error, last_error_at FROM notify_channels WHERE id = ?').get(id) as Pick<Row, 'last_ok' | 'last_error' | 'last_error_at'> | undefined;
    return r && { lastOkAt: r.last_ok, lastError: r.last_error, lastErrorAt: r.last_error_at };
  }
}
