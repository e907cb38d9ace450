/**
 * What `roost init` (or `--uninstall`) would do, as a list of file changes
 * computed from the files' current text before anything is written: so a
 * problem in any file (broken markers) stops the run with nothing changed,
 * and --dry-run shows exactly what a real run writes.
 */
import { MarkerError, findBlock, removeBlock, upsertBlock } from './markers.js';
import { blockLines, findShellClashes, findTmuxClashes, splitLines, type Findings, type GuideSpan, type Unsure } from './guide.js';
import { turnBackOn, turnOff } from './turn-off.js';
import { tmuxBlock, type TmuxBlockOptions } from './tmux-block.js';
import { shellBlock } from './shell-block.js';
import { hasMainTemplate, layoutBlock } from './layout.js';
import { setIniValue } from './ini.js';
import type { SetupFiles } from './host.js';
import { parseConfig, ConfigError } from '../config/config.js';

export type Kind = 'tmux' | 'shell' | 'layout' | 'cockpit';

export interface FileChange {
  kind: Kind;
  path: string;
  /** Current text; null: the file does not exist. */
  before: string | null;
  /** New text; null: remove the file. Equal to `before`: nothing to do. */
  after: string | null;
  /** The guide's snippets this change comments out (lines of `before`, from 0). */
  turnedOff?: GuideSpan[];
  /** Where each line of `before` is in `after` (index and value from 0); absent: where it was. */
  moved?: number[];
}

/** A line init leaves alone that keeps its block from working: the user must look. */
export interface Warning extends Unsure {
  path: string;
}

export interface Skipped {
  kind: Kind;
  path: string;
  reason: string;
}

export interface Plan {
  changes: FileChange[];
  skipped: Skipped[];
  warnings: Warning[];
}

/** A file's content, or null when it does not exist (other read errors throw). */
export type Reader = (path: string) => string | null;

/** A file roost cannot safely edit; nothing has been changed. */
export class SetupError extends Error {
  override name = 'SetupError';
}

export interface InstallOptions {
  files: SetupFiles;
  tmux: TmuxBlockOptions;
  /** Also attach interactive SSH logins. */
  ssh: boolean;
  /** Offer the layout of "main" in config.toml. */
  layout: boolean;
  /** Command of the layout's logs window (null: a shell). */
  logs: string | null;
  /** Set Cockpit's idle timeout to 0. */
  cockpit: boolean;
  read: Reader;
}

/**
 * The file with roost's block set, and the guide's lines that would win over
 * it turned off: in the tmux config those after the block (it goes at the
 * top, so the user's own settings after it win), in a shell file those
 * before it (it goes at the end, after the user's PATH set-up, so `roost`
 * can be found). What init cannot be sure of becomes a warning.
 */
function withBlock(kind: 'tmux' | 'shell', path: string, read: Reader, body: string, o: { ssh: boolean; terminal: string }, warnings: Warning[]): FileChange {
  const before = read(path);
  try {
    if (before === null) return { kind, path, before, after: upsertBlock(before, body, kind === 'tmux' ? 'top' : 'end') };
    const at = blockLines(before, findBlock(before));
    const found: Findings = kind === 'tmux' ? findTmuxClashes(before, at.end, o.terminal) : findShellClashes(before, at.start, o.ssh);
    warnings.push(...found.unsure.map((u) => ({ ...u, path })));
    const where = kind === 'tmux' ? 'top' : 'end';
    const text = turnOff(before, found.guide, where === 'top' ? 'above' : 'below');
    const after = upsertBlock(text, body, where);
    return { kind, path, before, after, turnedOff: found.guide, moved: movedLines(before, found.guide, text, after, where) };
  } catch (e) {
    if (e instanceof MarkerError) throw new SetupError(`${path}: ${e.message}; fix the roost markers by hand, then run roost init again`);
    throw e;
  }
}

/**
 * Where each line of `before` ends up once `spans` are turned off (`off`) and
 * the block is set (`after`): turnOff puts a note line above each span, and
 * the block goes in at the top (every line moves down by its length) or at
 * the end (nothing moves), or replaces the old block (the lines after it
 * move by the change in its length).
 */
function movedLines(before: string, spans: GuideSpan[], off: string, after: string, where: 'top' | 'end'): number[] {
  const old = findBlock(off);
  const from = blockLines(off, old);
  const to = blockLines(after, findBlock(after));
  return splitLines(before).map((_, i) => {
    const j = i + spans.filter((s) => s.first <= i).length;
    if (old) return j >= from.end ? j + to.end - from.end : j;
    return where === 'top' ? j + to.end : j;
  });
}

/**
 * The plan with its line numbers counted in the files as a real run writes
 * them, for what init prints after writing. The plan itself counts lines
 * of the files as they are, as --dry-run prints them beside the diff.
 */
export function asWritten(plan: Plan): Plan {
  const moved = new Map(plan.changes.map((c) => [c.path, c.moved ?? []]));
  const line = (path: string, i: number) => moved.get(path)?.[i] ?? i;
  return {
    ...plan,
    changes: plan.changes.map((c) => (c.turnedOff ? { ...c, turnedOff: c.turnedOff.map((s) => ({ ...s, first: line(c.path, s.first), last: line(c.path, s.last), at: line(c.path, s.at) })) } : c)),
    warnings: plan.warnings.map((w) => ({ ...w, line: line(w.path, w.line) })),
  };
}

/**
 * tmux reads every user config that exists, in order: lines in one after the
 * file init writes win over roost's block too. init edits one file only, so
 * what it finds in the others is a warning.
 */
function laterTmuxConfs(f: SetupFiles, read: Reader, terminal: string, warnings: Warning[]): void {
  for (const path of f.tmuxConfs.slice(f.tmuxConfs.indexOf(f.tmuxConf) + 1)) {
    const text = read(path);
    if (text === null) continue;
    const found = findTmuxClashes(text, 0, terminal);
    warnings.push(...found.unsure.map((u) => ({ ...u, path })));
    for (const g of found.guide) warnings.push({ path, line: g.at, text: g.what, problem: g.problem, fix: 'comment it out or delete it: roost init edits only one tmux config' });
  }
}

function layoutChange(o: InstallOptions): FileChange | Skipped {
  const path = o.files.configFile;
  if (!o.layout) return { kind: 'layout', path, reason: 'layout not offered (--no-layout)' };
  const before = o.read(path);
  if (before !== null) {
    try {
      if (findBlock(before)) return { kind: 'layout', path, before, after: before }; // ours, perhaps edited: leave it
      if (hasMainTemplate(before, path)) return { kind: 'layout', path, reason: 'it already has [sessions.main]' };
    } catch (e) {
      if (e instanceof ConfigError || e instanceof MarkerError) return { kind: 'layout', path, reason: `layout not added: ${e.message}` };
      throw e;
    }
  }
  const after = upsertBlock(before, layoutBlock(o.logs), 'end');
  try {
    parseConfig(after, path);
  } catch (e) {
    // Appending tables can clash with what is there (e.g. [[sessions.main.windows]] alone).
    if (e instanceof ConfigError) return { kind: 'layout', path, reason: `layout not added: it would not load (${e.message})` };
    throw e;
  }
  return { kind: 'layout', path, before, after };
}

const isSkip = (x: FileChange | Skipped): x is Skipped => 'reason' in x;

export function planInstall(o: InstallOptions): Plan {
  const plan: Plan = { changes: [], skipped: [], warnings: [] };
  const add = (x: FileChange | Skipped) => (isSkip(x) ? plan.skipped.push(x) : plan.changes.push(x));
  const f = o.files;
  // Top: settings the user wrote after the block win over the guide's.
  const opts = { ssh: o.ssh, terminal: o.tmux.terminal };
  add(withBlock('tmux', f.tmuxConf, o.read, tmuxBlock(o.tmux), opts, plan.warnings));
  laterTmuxConfs(f, o.read, o.tmux.terminal, plan.warnings);
  // End: after the user's own PATH set-up, so `roost` can be found.
  const shell = shellBlock({ ssh: o.ssh });
  add(withBlock('shell', f.bashrc, o.read, shell, opts, plan.warnings));
  const zshrc = o.read(f.zshrc);
  if (f.zsh || (zshrc !== null && safeHasBlock(zshrc))) add(withBlock('shell', f.zshrc, o.read, shell, opts, plan.warnings));
  add(layoutChange(o));
  if (o.cockpit) add(cockpitChange(f.cockpitConf, o.read));
  return plan;
}

function cockpitChange(path: string, read: Reader): FileChange | Skipped {
  let before: string | null;
  try {
    before = read(path);
  } catch (e) {
    return { kind: 'cockpit', path, reason: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); run roost init --cockpit as root` };
  }
  return { kind: 'cockpit', path, before, after: setIniValue(before ?? '', 'Session', 'IdleTimeout', '0') };
}

function safeHasBlock(text: string): boolean {
  try {
    return findBlock(text) !== null;
  } catch {
    return true; // broken markers: include the file so the run stops and says so
  }
}

/** Remove roost's block from every file that may hold one, and turn the guide's lines init turned off back on. */
export function planUninstall(files: SetupFiles, read: Reader): Plan {
  const plan: Plan = { changes: [], skipped: [], warnings: [] };
  const paths: [Kind, string][] = [
    ...files.tmuxConfs.map((p): [Kind, string] => ['tmux', p]),
    ['shell', files.bashrc],
    ['shell', files.zshrc],
    ['layout', files.configFile],
  ];
  for (const [kind, path] of paths) {
    const before = read(path);
    if (before === null) continue;
    try {
      const without = removeBlock(before);
      const after = without === null || kind === 'layout' ? without : turnBackOn(without);
      if (after !== before) plan.changes.push({ kind, path, before, after });
    } catch (e) {
      if (e instanceof MarkerError) throw new SetupError(`${path}: ${e.message}; fix the roost markers by hand, then run roost init --uninstall again`);
      throw e;
    }
  }
  return plan;
}
