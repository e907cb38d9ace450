/**
 * What a snapshot holds (one generation file, docs/restore.md): the tmux
 * server it was taken from, and each session with its windows and panes as
 * Roost needs them to build them again. Scrollback is stored apart, as
 * content-addressed blobs (store.ts); a pane names its blob by hash. The
 * schema checks a file read back, so a damaged one is told apart from a
 * good one (and the store falls back to the generation before).
 */
import * as z from 'zod';
import { CLAUDE_SESSION_ID_RE } from '../shared/names.js';

export const SNAPSHOT_FORMAT = 1;

const text = z.string().max(65_536);
const int = z.number().int();

/** The foreground program of a pane, from /proc (procs.ts). */
export const programSchema = z.object({
  /** Its name as tmux shows it (pane_current_command), e.g. "vim". */
  name: text,
  /** argv of each process of the foreground job that the shell started: one for a program, several for a pipeline; empty when unknown. */
  commands: z.array(z.array(text).max(4096)).max(64),
  /**
   * The same commands as the user typed them (typed.ts: `claude -c`, not
   * `node /usr/local/bin/claude -c`); restore uses these. Absent when no
   * command reads differently, and in snapshots of earlier versions.
   */
  typed: z.array(z.array(text).max(4096)).max(64).optional(),
  /**
   * The job was a pipeline whose first part had ended (`grep x f | less`
   * with grep done): `commands` are the parts still running. Absent
   * otherwise.
   */
  headEnded: z.literal(true).optional(),
});

/** The agent running in a pane and its latest session id, from its hooks. */
export const agentSchema = z.object({ kind: text, sessionId: z.string().regex(CLAUDE_SESSION_ID_RE) });

const paneSchema = z.object({
  /** Its tmux id when the snapshot was taken ("%7"): the pane agents and the capture cache are keyed by it. */
  id: text,
  index: int,
  active: z.boolean(),
  /** The directory its shell is in. */
  cwd: text,
  title: text,
  dead: z.boolean(),
  /** null: the shell sits at its prompt (or nothing is known). */
  program: programSchema.nullable(),
  /** The agent running here and its latest session id, from its hooks. */
  agent: agentSchema.nullable(),
  /** The last lines, with colours: a blob of the store, or null when none was taken. */
  scrollback: z.object({ blob: z.string().regex(/^[0-9a-f]{64}$/), lines: int, bytes: int }).nullable(),
  /** What the capture depended on (window_activity, history_size, cursor): equal values mean the blob is still current. */
  activity: int,
  historySize: int,
  cursor: z.tuple([int, int]),
  /** Epoch s when its scrollback was captured. */
  capturedAt: int,
});

const windowSchema = z.object({
  index: int,
  name: text,
  /** tmux names it after its program (automatic-rename): restore leaves the name to tmux. */
  autoName: z.boolean(),
  active: z.boolean(),
  zoomed: z.boolean(),
  /** window_layout, with its checksum. */
  layout: text,
  panes: z.array(paneSchema).min(1),
});

const sessionSchema = z.object({
  name: text,
  /** @roost_kind as it was (plain, job, node, or a kind a newer Roost knows). */
  kind: text,
  created: int,
  windows: z.array(windowSchema).min(1),
});

export const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  generation: int.min(1),
  /** Epoch ms. */
  createdAt: int,
  host: text,
  /** The tmux server: its socket path, pid and start (epoch s); a new server after a reboot has another. */
  server: z.object({ socket: text, pid: int, started: int }),
  /** Scrollback lines asked for per pane. */
  lines: int,
  sessions: z.array(sessionSchema),
});

export type Snapshot = z.infer<typeof snapshotSchema>;
export type SessionSnap = Snapshot['sessions'][number];
export type WindowSnap = SessionSnap['windows'][number];
export type PaneSnap = WindowSnap['panes'][number];
export type ProgramSnap = NonNullable<PaneSnap['program']>;

/** A snapshot before the store gave it its generation number. */
export type SnapshotDraft = Omit<Snapshot, 'generation'>;

/** Counts for listings: sessions, windows, panes. */
export function countOf(s: Pick<Snapshot, 'sessions'>): { sessions: number; windows: number; panes: number } {
  let windows = 0;
  let panes = 0;
  for (const x of s.sessions) {
    windows += x.windows.length;
    for (const w of x.windows) panes += w.panes.length;
  }
  return { sessions: s.sessions.length, windows, panes };
}
