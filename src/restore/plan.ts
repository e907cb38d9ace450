/**
 * The restore planner: from a snapshot, the sessions that are running and
 * the rules, exactly what a restore will do (and what --dry-run prints).
 * Pure: no tmux, no files.
 *
 *  - Only missing sessions are restored: a session whose name is running is
 *    skipped, never duplicated. Background jobs (`roost run`) are skipped
 *    too: their programs ran unattended, and their logs outlive them.
 *  - A saved name Roost would refuse (tmux itself accepts spaces, "#", ...)
 *    is restored under a clean one ("my work" → "my_work"), said in `renamed`.
 *  - Each window keeps its index, its name unless tmux named it, its layout
 *    when the layout is sound and fits its panes (else tiled), its current
 *    pane and zoom; panes are listed in layout order (layout.ts).
 *  - Each pane's action comes from rules.ts.
 */
import { checkName, compareNames, NAME_MAX } from '../shared/names.js';
import { sessionKind, type SessionKind } from '../shared/api.js';
import type { PaneSnap, SessionSnap, Snapshot, WindowSnap } from './model.js';
import { parseLayout } from './layout.js';
import { decide, type Action, type RestoreRules } from './rules.js';
import { quoteWord } from './quote.js';

export interface PanePlan {
  /** The pane's tmux id when saved. */
  savedId: string;
  /**
   * Its number as tmux showed it (pane_index, counted from pane-base-index:
   * what `C-b q` shows and `roost snapshot show` prints). Every message
   * names a pane by it; panes are rebuilt in the same order, so a server
   * with the same pane-base-index gives the restored pane that number too.
   */
  index: number;
  cwd: string;
  /** A title to set again, or null (tmux's default, the host name). */
  title: string | null;
  scrollback: PaneSnap['scrollback'];
  action: Action;
  /** The saved program and agent: what the restored pane stands for until its program settles (pending.ts). */
  program: PaneSnap['program'];
  agent: PaneSnap['agent'];
}

export interface WindowPlan {
  index: number;
  name: string;
  /** tmux named it after its program, and goes on doing so. */
  autoName: boolean;
  /** The saved layout, or null when it cannot be used (the panes are tiled). */
  layout: string | null;
  width: number;
  height: number;
  active: boolean;
  zoomed: boolean;
  /** Position in `panes` of the current pane. */
  activePane: number;
  /** In layout order. */
  panes: PanePlan[];
}

export interface SessionPlan {
  /** The name it gets. */
  name: string;
  /** The name it had (differs when that one was not a valid Roost name). */
  savedName: string;
  kind: SessionKind;
  windows: WindowPlan[];
}

export interface RestorePlan {
  generation: number;
  createdAt: number;
  sessions: SessionPlan[];
  /** Sessions of the snapshot left alone, and why. */
  skipped: { name: string; why: string }[];
  /** Names asked for that the snapshot does not have. */
  missing: string[];
}

export interface PlanInput {
  snapshot: Snapshot;
  /** Names of the sessions running now. */
  live: ReadonlySet<string>;
  /** Restore only these saved session names (all when empty). */
  only?: readonly string[];
  rules: RestoreRules;
  /** The host's name: a pane title equal to it is tmux's default, not set again. */
  host?: string;
  /** `roost` as typed to reach this tmux server (`roost -L work`), for the commands a message suggests. */
  roost?: string;
}

/**
 * The name each saved session is restored under: its own when Roost accepts
 * it (tmux also takes names such as "my work"), else the cleaned one, with a
 * suffix when another saved session has or gets that name. It depends on
 * the snapshot alone, so a session restored once is found under the same
 * name the next time.
 */
export function restoreNames(saved: readonly string[]): Map<string, string> {
  const sorted = [...saved].sort(compareNames);
  const names = new Map<string, string>();
  for (const n of sorted) if (cleanName(n) === n) names.set(n, n);
  const taken = new Set(names.values());
  for (const n of sorted) {
    if (names.has(n)) continue;
    let name = cleanName(n);
    for (let k = 2; taken.has(name) && k < 100; k++) name = `${cleanName(n).slice(0, NAME_MAX - 4)}-${k}`;
    taken.add(name);
    names.set(n, name);
  }
  return names;
}

/**
 * The name a saved session runs under now, or null: its own, or the one a
 * restore gives it (restoreNames). Restore and the daemon's restore at start
 * both ask this, so a session that runs is never restored beside itself.
 */
export function runningAs(saved: string, names: ReadonlyMap<string, string>, live: ReadonlySet<string>): string | null {
  if (live.has(saved)) return saved;
  const given = names.get(saved) ?? cleanName(saved);
  return live.has(given) ? given : null;
}

/** A name Roost accepts for a saved one: invalid characters become "_". */
export function cleanName(saved: string): string {
  if (checkName(saved).ok) return saved;
  let n = saved.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^-+/, '_').slice(0, NAME_MAX);
  if (n === '') n = 'restored';
  return n;
}

function paneOrder(w: WindowSnap): { panes: PaneSnap[]; layout: string | null } {
  const byIndex = [...w.panes].sort((a, b) => a.index - b.index);
  const info = parseLayout(w.layout);
  if (!info || info.leaves.length !== w.panes.length) return { panes: byIndex, layout: null };
  const byNumber = new Map(w.panes.map((p) => [Number(p.id.slice(1)), p]));
  const ordered = info.leaves.map((n) => byNumber.get(n));
  // Layout numbers are the panes' ids; if they do not all match, index order is the best guess and the layout still applies.
  if (ordered.some((p) => p === undefined) || new Set(ordered).size !== ordered.length) return { panes: byIndex, layout: w.layout };
  return { panes: ordered as PaneSnap[], layout: w.layout };
}

function windowPlan(w: WindowSnap, rules: RestoreRules, host: string | undefined): WindowPlan {
  const { panes, layout } = paneOrder(w);
  const size = parseLayout(w.layout);
  const active = panes.findIndex((p) => p.active);
  return {
    index: w.index,
    name: w.name,
    autoName: w.autoName,
    layout,
    width: size?.width ?? 80,
    height: size?.height ?? 24,
    active: w.active,
    zoomed: w.zoomed && panes.length > 1,
    activePane: active < 0 ? 0 : active,
    panes: panes.map((p) => ({
      savedId: p.id,
      index: p.index,
      cwd: p.cwd,
      title: p.title !== '' && p.title !== host ? p.title : null,
      scrollback: p.scrollback,
      action: decide(p, rules),
      program: p.program,
      agent: p.agent,
    })),
  };
}

function sessionPlan(s: SessionSnap, name: string, rules: RestoreRules, host: string | undefined): SessionPlan {
  const windows = [...s.windows].sort((a, b) => a.index - b.index).map((w) => windowPlan(w, rules, host));
  return { name, savedName: s.name, kind: sessionKind(s.kind), windows };
}

export function planRestore(input: PlanInput): RestorePlan {
  const { snapshot, live, rules } = input;
  const only = input.only ?? [];
  const saved = new Set(snapshot.sessions.map((s) => s.name));
  const plan: RestorePlan = {
    generation: snapshot.generation,
    createdAt: snapshot.createdAt,
    sessions: [],
    skipped: [],
    missing: only.filter((n) => !saved.has(n)),
  };
  const names = restoreNames(snapshot.sessions.map((s) => s.name));
  for (const s of [...snapshot.sessions].sort((a, b) => compareNames(a.name, b.name))) {
    if (only.length && !only.includes(s.name)) continue;
    if (sessionKind(s.kind) === 'job') {
      // A job's program ran unattended: running it again unasked could repeat its work (a training run, a sync).
      const roost = input.roost ?? 'roost';
      plan.skipped.push({ name: s.name, why: `a background job: its log is kept (${roost} logs ${quoteWord(s.name)}); start it again with ${roost} run` });
      continue;
    }
    const running = runningAs(s.name, names, live);
    if (running !== null) {
      // Asked for by name: the user wants its saved windows, and only a kill makes room for them.
      const roost = input.roost ?? 'roost';
      const how = only.includes(s.name) ? `; its saved windows: ${roost} kill ${quoteWord(running)}, then ${roost} restore --from ${snapshot.generation} ${quoteWord(s.name)}` : '';
      plan.skipped.push({ name: s.name, why: `a session named ${running} is running${how}` });
      continue;
    }
    plan.sessions.push(sessionPlan(s, names.get(s.name)!, rules, input.host));
  }
  return plan;
}

/** Counts of what a plan does, for messages. */
export function planCounts(plan: RestorePlan): { sessions: number; windows: number; panes: number; resumed: number; relaunched: number; typed: number } {
  const c = { sessions: plan.sessions.length, windows: 0, panes: 0, resumed: 0, relaunched: 0, typed: 0 };
  for (const s of plan.sessions) {
    for (const w of s.windows) {
      c.windows++;
      for (const p of w.panes) {
        c.panes++;
        if (p.action.kind === 'run' && p.action.agent) c.resumed++;
        else if (p.action.kind === 'run') c.relaunched++;
        else if (p.action.kind === 'type') c.typed++;
      }
    }
  }
  return c;
}
