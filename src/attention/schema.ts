/**
 * The attention tables: which agent session (Claude Code's session_id) runs
 * in which tmux pane, learnt from its hooks (pane-agents.ts). Times are epoch ms.
 */
import type { Schema } from '../store/schema.js';

export const ATTENTION_SCHEMA: Schema = {
  name: 'attention',
  migrations: [
    // IF NOT EXISTS: this first ran in the first release's global list, where it had to be safe wherever it ran first.
    { name: 'attention: pane agents', up: `
CREATE TABLE IF NOT EXISTS pane_agents (
  pane TEXT PRIMARY KEY,
  tmux_socket TEXT,
  agent TEXT NOT NULL,
  session_id TEXT NOT NULL,
  cwd TEXT,
  transcript_path TEXT,
  updated_at INTEGER NOT NULL
);
` },
  ],
};
