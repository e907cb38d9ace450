/**
 * Open a headless Claude run's conversation interactively: a session
 * running `claude --resume ID` in the run's directory, named after the run
 * ("nightly-42-chat"), so a second open of the same run goes to the same
 * session. For the CLI (`roost schedule open`) and the API (the phone).
 */
import { findSession, newSession, type TmuxClient } from '../tmux/index.js';
import { isClaudeSessionId } from '../shared/names.js';
import { ScheduleInputError, type Schedules } from './schedules.js';

export interface Opened {
  /** The session's name: roost attach NAME, /s/NAME in the dashboard. */
  session: string;
  /** It was made now (false: it was there from an earlier open). */
  created: boolean;
}

/** The run of `schedule` with id `runId`, or its latest run with a Claude session id. */
export function conversationOf(schedules: Schedules, schedule: string, runId?: number): { runId: number; sessionId: string; cwd: string } {
  const row = schedules.row(schedule);
  const runs = schedules.store.history(row.name, runId === undefined ? 200 : 1_000_000);
  // Checked again here, not only when the result was read: a history written by an older Roost took ids starting with "-".
  const run = runId === undefined ? runs.find((r) => isClaudeSessionId(r.claude?.sessionId)) : runs.find((r) => r.id === runId);
  if (!run) throw new ScheduleInputError(runId === undefined ? `schedule "${row.name}" has no run with a Claude conversation (its command must be claude -p ... --output-format json)` : `schedule "${row.name}" has no run ${runId}`);
  const sessionId = run.claude?.sessionId;
  if (!isClaudeSessionId(sessionId)) throw new ScheduleInputError(`run ${run.id} of "${row.name}" has no Claude conversation to open`);
  return { runId: run.id, sessionId, cwd: run.cwd ?? schedules.home };
}

export async function openConversation(tmux: TmuxClient, schedules: Schedules, schedule: string, runId?: number): Promise<Opened> {
  const c = conversationOf(schedules, schedule, runId);
  const suffix = `-${c.runId}-chat`;
  const session = `${schedule.slice(0, 64 - suffix.length)}${suffix}`;
  if (await findSession(tmux, session)) return { session, created: false };
  await newSession(tmux, { name: session, cwd: c.cwd, windowName: 'claude', command: ['claude', '--resume', c.sessionId] });
  return { session, created: true };
}
