/**
 * Which agent session runs in which tmux pane: Claude Code's session_id per
 * pane, learnt from its hooks, so restore can run `claude --resume ID` in
 * the right place. An interface with two implementations: in memory (tests,
 * `roost watch`) and SQLite (the daemon; the table is in schema.ts).
 */
import type { Database } from 'better-sqlite3';
import type { AgentKind } from './types.js';

export interface PaneAgent {
  /** tmux pane id, e.g. "%7". */
  pane: string;
  /** tmux socket path the pane belongs to ($TMUX), when the hook knew it. */
  tmuxSocket: string | null;
  agent: AgentKind;
  /** The agent's own session id (Claude Code's session_id). */
  sessionId: string;
  cwd: string | null;
  transcriptPath: string | null;
  /** Epoch ms of the last report. */
  updatedAt: number;
}

export interface PaneAgentStore {
  set(a: PaneAgent): void;
  get(pane: string): PaneAgent | undefined;
  clear(pane: string): void;
  list(): PaneAgent[];
}

export class MemoryPaneAgentStore implements PaneAgentStore {
  private readonly map = new Map<string, PaneAgent>();
  set(a: PaneAgent): void {
    this.map.set(a.pane, { ...a });
  }
  get(pane: string): PaneAgent | undefined {
    const a = this.map.get(pane);
    return a && { ...a };
  }
  clear(pane: string): void {
    this.map.delete(pane);
  }
  list(): PaneAgent[] {
    return [...this.map.values()].map((a) => ({ ...a }));
  }
}

interface Row {
  pane: string;
  tmux_socket: string | null;
  agent: AgentKind;
  session_id: string;
  cwd: string | null;
  transcript_path: string | null;
  updated_at: number;
}

const fromRow = (r: Row): PaneAgent => ({ pane: r.pane, tmuxSocket: r.tmux_socket, agent: r.agent, sessionId: r.session_id, cwd: r.cwd, transcriptPath: r.transcript_path, updatedAt: r.updated_at });

/** Over a database where ATTENTION_SCHEMA has run. */
export class SqlitePaneAgentStore implements PaneAgentStore {
  constructor(private readonly db: Database) {}

  set(a: PaneAgent): void {
    this.db
      .prepare(`INSERT INTO pane_agents (pane, tmux_socket, agent, session_id, cwd, transcript_path, updated_at)
        VALUES (@pane, @tmuxSocket, @agent, @sessionId, @cwd, @transcriptPath, @updatedAt)
        ON CONFLICT(pane) DO UPDATE SET tmux_socket = excluded.tmux_socket, agent = excluded.agent, session_id = excluded.session_id,
          cwd = excluded.cwd, transcript_path = excluded.transcript_path, updated_at = excluded.updated_at`)
      .run(a);
  }

  get(pane: string): PaneAgent | undefined {
    const r = this.db.prepare('SELECT * FROM pane_agents WHERE pane = ?').get(pane) as Row | undefined;
    return r && fromRow(r);
  }

  clear(pane: string): void {
    this.db.prepare('DELETE FROM pane_agents WHERE pane = ?').run(pane);
  }

  list(): PaneAgent[] {
    return (this.db.prepare('SELECT * FROM pane_agents ORDER BY pane').all() as Row[]).map(fromRow);
  }
}
