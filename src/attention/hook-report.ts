/**
 * The daemon's side of agent hooks: `POST /api/hooks/claude` on the unix
 * socket carries a HookReport (docs/attention.md). This validates it, maps
 * the Claude event to an attention signal for the observer, and keeps the
 * pane's Claude session_id in the PaneAgentStore. Framework-free: the route
 * passes the parsed JSON body in and sends the result back.
 *
 *   Notification permission_prompt → needs-permission
 *   Notification idle_prompt       → idle
 *   Stop                           → done
 *   SessionStart                   → clears the pane's agent state; remembers session_id
 *   SessionEnd                     → clears the pane's agent state; forgets session_id
 *   anything else                  → accepted and ignored
 */
import * as z from 'zod';
import type { AgentState } from '../shared/status.js';
import { CLAUDE_SESSION_ID_RE } from '../shared/names.js';
import type { PaneAgentStore } from './pane-agents.js';
import type { AgentSignal } from './types.js';


/** Largest report body the route should accept (bytes): a report is ~1 KB; paths are the long part. */
export const HOOK_REPORT_MAX_BYTES = 16 * 1024;

const text = (max: number) => z.string().max(max);

export const hookReportSchema = z.object({
  v: z.literal(1),
  agent: z.literal('claude'),
  /** Claude's hook_event_name. */
  event: text(64),
  /** $TMUX_PANE. */
  pane: z.string().regex(/^%\d{1,9}$/),
  /** Socket path of the tmux server the pane belongs to (first part of $TMUX). */
  tmux: text(4096).optional(),
  /** Claude's session_id; goes on an argv later (`claude --resume ID`): the one rule in shared/names.ts. */
  sessionId: z.string().regex(CLAUDE_SESSION_ID_RE).optional(),
  notificationType: text(64).optional(),
  /** SessionStart's source: startup | resume | clear | compact. */
  source: text(64).optional(),
  cwd: text(4096).optional(),
  transcriptPath: text(4096).optional(),
});

export type HookReport = z.infer<typeof hookReportSchema>;

export interface HookDeps {
  /** The observer (or anything with its report()). */
  observer: { report(signal: AgentSignal): unknown };
  store: PaneAgentStore;
  /** Whether a report from this tmux socket path concerns our server; absent = accept all. */
  acceptSocket?: (socketPath: string) => boolean;
  now?: () => number;
}

export interface HookResult {
  /** HTTP status for the route: 204 applied, 202 accepted and ignored, 400 invalid. */
  status: 204 | 202 | 400;
  body?: { error: { code: string; message: string } };
}

/** The state a report sets: an AgentState, null to clear, undefined to leave alone. */
export function stateForReport(r: HookReport): AgentState | null | undefined {
  switch (r.event) {
    case 'Notification':
      if (r.notificationType === 'permission_prompt') return 'needs-permission';
      if (r.notificationType === 'idle_prompt') return 'idle';
      return undefined;
    case 'Stop':
      return 'done';
    case 'SessionStart':
    case 'SessionEnd':
      return null;
    default:
      return undefined;
  }
}

export function handleClaudeHookReport(body: unknown, deps: HookDeps): HookResult {
  const parsed = hookReportSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { status: 400, body: { error: { code: 'invalid_report', message: `${issue.path.join('.') || 'body'}: ${issue.message}` } } };
  }
  const r = parsed.data;
  if (r.tmux !== undefined && deps.acceptSocket && !deps.acceptSocket(r.tmux)) return { status: 202 };
  const now = (deps.now ?? Date.now)();

  if (r.event === 'SessionEnd') {
    // Hooks run as processes and may arrive out of order: the end of an older session (A, after /clear or a
    // resume started B in the pane) must not wipe B, or a restore would type `claude` instead of resuming B.
    const known = deps.store.get(r.pane);
    if (known && r.sessionId !== undefined && known.sessionId !== r.sessionId) return { status: 202 };
    deps.store.clear(r.pane);
  } else if (r.sessionId !== undefined) {
    // Every event carries session_id: a daemon started after SessionStart still learns it.
    deps.store.set({ pane: r.pane, tmuxSocket: r.tmux ?? null, agent: 'claude', sessionId: r.sessionId, cwd: r.cwd ?? null, transcriptPath: r.transcriptPath ?? null, updatedAt: now });
  }

  const state = stateForReport(r);
  if (state === undefined) return { status: r.event === 'SessionEnd' ? 204 : 202 };
  deps.observer.report({ agent: 'claude', pane: r.pane, state });
  return { status: 204 };
}
