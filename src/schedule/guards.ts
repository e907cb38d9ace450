/**
 * The guards, checked just before each run: each says why a run must not
 * start now, or nothing. What they look at is gathered once per check
 * (GuardFacts): the sessions listing, tmux's clients, what runs in the
 * foreground of each pane (/proc, as a person would name the program: a
 * script called `claude` is `claude` here, though tmux calls it `bash`),
 * the load average, and the locks other schedules' live runs hold.
 *
 *   busy:PROGRAM[@SESSION]  a pane (of SESSION) runs PROGRAM in its foreground
 *   present[:SESSION]       a person is at SESSION (any): a client attached,
 *                           not read-only, not control-mode, that had input
 *                           within [schedule] present_minutes (default 30)
 *   load:X                  the 1-minute load average is above X
 *   lock:NAME               a run of another schedule with lock:NAME is alive
 *   none                    nothing
 *   (no guard given)        a person is present at a session where a pane
 *                           runs the schedule's own program
 * Sessions of kind `job` (background jobs, runs of schedules) are nobody's
 * desk: they never count as busy or present.
 */
import { basename } from 'node:path';
import type { SessionInfo } from '../shared/api.js';
import type { ClientRow } from '../tmux/index.js';
import type { Foreground } from '../restore/procs.js';
import type { Guard } from '../config/schedule-spec.js';
import { programOf, scriptOf } from './command-program.js';

export interface GuardFacts {
  sessions: readonly SessionInfo[];
  clients: readonly ClientRow[];
  /** What runs in the foreground of a pane (by its first process), or null at the prompt. */
  foreground(panePid: number): Foreground | null;
  load1: number;
  /** The schedule whose live run holds lock NAME (another than the one checked), or null. */
  lockHolder(lock: string): string | null;
  /** Epoch ms. */
  now: number;
  /** A client with input within this many ms counts as a person. */
  presentMs: number;
}

/** Whether a foreground job is PROGRAM: its kernel name, its argv[0], or an interpreter's script (command-program.ts). */
export function runsProgram(fg: Foreground, program: string): boolean {
  if (fg.name === program || (program.length > 15 && fg.name === program.slice(0, 15))) return true;
  for (const argv of fg.commands) {
    if (argv.length === 0) continue;
    if (basename(argv[0]!.replace(/^-/, '')) === program || scriptOf(argv) === program) return true;
  }
  return false;
}

const desks = (facts: GuardFacts) => facts.sessions.filter((s) => s.kind !== 'job');

/** Where PROGRAM runs ("main:1"), among `sessions`; null when nowhere. */
function whereRuns(facts: GuardFacts, sessions: readonly SessionInfo[], program: string): string | null {
  for (const s of sessions) {
    for (const w of s.windows) {
      for (const p of w.panes) {
        if (p.dead) continue;
        const fg = facts.foreground(p.pid);
        if (fg && runsProgram(fg, program)) return `${s.name}:${w.index}`;
      }
    }
  }
  return null;
}

/**
 * The sessions a person is at now, with how long ago their client was last active (ms), by session name.
 * tmux's client_activity moves on input and on attaching too: a person who just attached counts as present
 * (they came to work there), so the reasons say "active", not "typed".
 */
export function presentAt(facts: GuardFacts): Map<string, number> {
  const byId = new Map(facts.sessions.map((s) => [s.id, s]));
  const out = new Map<string, number>();
  for (const c of facts.clients) {
    if (c.readOnly || c.controlMode || c.spare) continue;
    const ago = facts.now - c.activity * 1000;
    if (ago > facts.presentMs) continue;
    const session = c.viewOf ? byId.get(c.viewOf) : byId.get(c.sessionId);
    if (!session || session.kind === 'job') continue;
    out.set(session.name, Math.min(out.get(session.name) ?? Infinity, Math.max(0, ago)));
  }
  return out;
}

const agoText = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s ago` : `${Math.round(ms / 60_000)} min ago`);

/** Why `guard` stops a run now, or null. */
export function checkGuard(guard: Guard, facts: GuardFacts): string | null {
  switch (guard.kind) {
    case 'none':
      return null;
    case 'busy': {
      const sessions = desks(facts).filter((s) => guard.session === null || s.name === guard.session);
      const where = whereRuns(facts, sessions, guard.program);
      return where === null ? null : `${guard.program} runs in ${where} (guard busy:${guard.program}${guard.session ? `@${guard.session}` : ''})`;
    }
    case 'present': {
      const at = presentAt(facts);
      for (const [session, ago] of at) {
        if (guard.session === null || session === guard.session) return `a person is at ${session} (active ${agoText(ago)}; guard present${guard.session ? `:${guard.session}` : ''})`;
      }
      return null;
    }
    case 'load': {
      const load = facts.load1;
      return load > guard.max ? `the load average is ${load.toFixed(2)}, above ${guard.max} (guard load:${guard.max})` : null;
    }
    case 'lock': {
      const holder = facts.lockHolder(guard.name);
      return holder === null ? null : `schedule ${holder} holds lock ${guard.name} (guard lock:${guard.name})`;
    }
  }
}

/** The default guard: a person is present where a pane runs the schedule's own program. */
export function checkDefaultGuard(program: string, facts: GuardFacts): string | null {
  const at = presentAt(facts);
  for (const [session, ago] of at) {
    const s = desks(facts).filter((x) => x.name === session);
    const where = whereRuns(facts, s, program);
    if (where !== null) return `a person is at ${session}, where ${program} runs in ${where} (active ${agoText(ago)}; the default guard, --guard none to run anyway)`;
  }
  return null;
}

/** Why a run must not start now, and the guard that says so (null: the default guard). */
export interface Objection {
  reason: string;
  guard: Guard | null;
}

/**
 * The first reason any guard gives (the default guard when none is given), with the guard that gave it, or
 * null: the run may go. The guard matters: a `lock:` skip is schedules taking turns, not news (run-gate.ts).
 * A command whose program cannot be told (a wrapper script, a shell's long script) has no default guard:
 * `schedule add` and `schedule show` say so, and that a guard can be named.
 */
export function objectionOf(guards: readonly Guard[], command: readonly string[], facts: GuardFacts): Objection | null {
  if (guards.length === 0) {
    const program = programOf(command);
    const reason = program === null ? null : checkDefaultGuard(program, facts);
    return reason === null ? null : { reason, guard: null };
  }
  for (const g of guards) {
    const reason = checkGuard(g, facts);
    if (reason !== null) return { reason, guard: g };
  }
  return null;
}
