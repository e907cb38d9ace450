/**
 * A restored pane's program until it has settled. Restore types a saved
 * command into a new pane (and presses Enter to run it, or leaves it at the
 * prompt); a snapshot taken soon after would see the program still starting
 * (pyenv's `python3` is `pyenv-exec python3` for a moment) or the shell at its
 * prompt with the line not yet run (`claude -c`, waiting for Enter). Saving
 * that would make the next reboot restore the wrong thing, or nothing.
 *
 * So restore marks each pane it types into (a pane option, RESTORE_PENDING_OPTION:
 * this JSON), and a snapshot records the mark's saved program instead of what
 * it sees while the pane has not settled:
 *
 *  - what runs reads as the line restore typed: settled, recorded as it runs;
 *  - within SETTLE_S of the typing: still starting (a run line not yet its
 *    program, a typed line not yet drawn): the saved program;
 *  - later, a typed line still waiting at the prompt (the pane's cursor line
 *    still ends with it): the saved program, however long Enter waits;
 *  - otherwise (Enter pressed and the program gone, the line cleared,
 *    something else run): what it sees.
 *
 * A window tmux names after its program (automatic-rename) follows its
 * active pane: restore leaves the name to tmux, which meanwhile names it
 * after the restore's wrapper (`sh`) or the shell a typed line waits in, so
 * restore marks the window too (RESTORE_NAME_OPTION: its saved name and the
 * time), and a snapshot records the saved name while the active pane's
 * saved program is recorded, and within SETTLE_S until tmux has named the
 * window after what that pane runs (`settledName`).
 *
 * The marks stay on the pane and window (they cost nothing and die with them); the rule
 * needs no state beyond it, so any snapshot, the daemon's or `roost
 * snapshot`, after any restore, the daemon's or `roost restore`, follows it.
 */
import * as z from 'zod';
import { programSchema, agentSchema, type PaneSnap, type ProgramSnap } from './model.js';
import { commandLine, pipelineLine } from './quote.js';

/** Seconds after the typing a restored pane may take to start its program (a version manager's shims, a slow login shell). */
export const SETTLE_S = 30;

const markSchema = z.object({
  /** Restore pressed Enter (the program runs again) or only typed the line. */
  run: z.boolean(),
  /** The line restore typed. */
  line: z.string(),
  /** Epoch s of the typing. */
  at: z.number().int(),
  program: programSchema,
  agent: agentSchema.nullable(),
});

export type PendingMark = z.infer<typeof markSchema>;

export const encodeMark = (m: PendingMark): string => JSON.stringify(m);

/** A tmux option's JSON value read by `schema`; null for none or one that does not parse. */
function decodeOption<T>(schema: z.ZodType<T>, raw: string): T | null {
  if (raw === '') return null;
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null; // not JSON: set by hand or damaged; nothing to keep
  }
}

/** The mark of a pane option's value; null for none or one that does not parse (then the pane is taken as it is). */
export const decodeMark = (raw: string): PendingMark | null => decodeOption(markSchema, raw);

const nameMarkSchema = z.object({
  /** The window's name in the snapshot restored. */
  name: z.string(),
  /** Epoch s of the restore. */
  at: z.number().int(),
});

export type NameMark = z.infer<typeof nameMarkSchema>;

export const encodeNameMark = (m: NameMark): string => JSON.stringify(m);

/** The mark of a window option's value; null for none or one that does not parse (then the window is taken as it is). */
export const decodeNameMark = (raw: string): NameMark | null => decodeOption(nameMarkSchema, raw);

/**
 * What a snapshot records as the name of a marked window tmux names, given
 * the name tmux shows, whether its active pane is recorded with its saved
 * program (`settledProgram` gave the saved one: still starting, or a typed
 * line waiting), and whether tmux has named the window after what that pane
 * runs now (the restore's wrapper is gone and the name reads as the pane's
 * program: tmux looks again only when the pane writes).
 */
export function settledName(m: NameMark, seen: string, now: number, held: boolean, named: boolean): string {
  if (held) return m.name;
  if (now - m.at < SETTLE_S && !named) return m.name;
  return seen;
}

/** A program's command line as restore would type it (its typed form when known). */
export function typedLine(p: ProgramSnap): string | null {
  const c = p.typed?.length === p.commands.length ? p.typed : p.commands;
  if (c.length === 0) return null;
  return c.length > 1 ? pipelineLine(c) : commandLine(c[0]!);
}

/**
 * What a snapshot records for a marked pane, given the program it sees
 * (null: the prompt), the time (epoch s), and the pane's cursor line
 * (joined, trailing blanks trimmed; null when not read: only needed for a
 * typed line past SETTLE_S at the prompt, see `needsCursorLine`).
 */
export function settledProgram(m: PendingMark, seen: ProgramSnap | null, now: number, cursorLine: string | null): { program: ProgramSnap | null; agent: PaneSnap['agent'] | undefined } {
  const asSeen = { program: seen, agent: undefined };
  const saved = { program: m.program, agent: m.agent };
  if (seen && typedLine(seen) === m.line) return asSeen;
  if (now - m.at < SETTLE_S) return saved;
  if (!m.run && seen === null && cursorLine !== null && cursorLine.endsWith(m.line)) return saved;
  return asSeen;
}

/** Whether `settledProgram` needs the pane's cursor line: a typed line past SETTLE_S, the pane at its prompt. */
export const needsCursorLine = (m: PendingMark, seen: ProgramSnap | null, now: number): boolean => !m.run && seen === null && now - m.at >= SETTLE_S;
