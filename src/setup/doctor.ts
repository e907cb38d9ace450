/**
 * `roost doctor`'s checks: is everything the setup guide asks for in place?
 * Each check is one value (ok, warn, fail or info) with a one-line message
 * and, when something is off, the fix. Only a missing requirement (tmux,
 * a recent enough Node) is a fail. Checks are about what Roost uses today: a
 * feature that needs more (Slurm, for one) adds its own check with it.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { TmuxError, version as tmuxVersion, type TmuxClient } from '../tmux/index.js';
import { findBlock, MarkerError, type Block } from './markers.js';
import { blockLines, findShellClashes, findTmuxClashes, type Findings } from './guide.js';
import { tmuxBlock } from './tmux-block.js';
import { blockHasSsh } from './shell-block.js';
import { idleTimeout } from './cockpit.js';
import { tilde, type SetupFiles } from './host.js';
import { roostOnPath } from './on-path.js';
import { atLeast, hasPopup, MIN_NODE, parseNodeVersion, parseTmuxVersion, POPUP_MIN_TMUX, type Version } from './versions.js';
import type { Reader } from './plan.js';

export type Level = 'ok' | 'warn' | 'fail' | 'info';

export interface Check {
  /** Stable id for --json: tmux, tmux-config, shell, cockpit, inside-tmux, node, roost, slurm, reptyr; slurm-controller (src/slurm/doctor.ts). */
  id: string;
  level: Level;
  message: string;
  fix?: string;
}

export interface DoctorDeps {
  tmux: TmuxClient;
  env: NodeJS.ProcessEnv;
  files: SetupFiles;
  read: Reader;
  which: (cmd: string) => string | null;
  /** default-terminal roost init would write here. */
  terminal: 'tmux-256color' | 'screen-256color';
  nodeVersion: string;
  /** This Roost's bin/roost, which `roost` on PATH should run. */
  roostBin: string;
  /** Running as root (who may link into /usr/local/bin). */
  root: boolean;
}

const POPUP = `${POPUP_MIN_TMUX.major}.${POPUP_MIN_TMUX.minor}`;

async function checkTmux(d: DoctorDeps): Promise<{ check: Check; version: Version | null }> {
  let out: string;
  try {
    out = await tmuxVersion(d.tmux);
  } catch (e) {
    const missing = e instanceof TmuxError && e.kind === 'not-installed';
    const message = missing ? 'tmux not found on PATH' : `tmux -V failed: ${(e as Error).message.split('\n')[0]}`;
    return { check: { id: 'tmux', level: 'fail', message, fix: 'install tmux (Debian: sudo apt-get install tmux)' }, version: null };
  }
  const v = parseTmuxVersion(out);
  if (!v) return { check: { id: 'tmux', level: 'warn', message: `${out.trim()}: version not recognised, so roost init leaves out the prefix+H popup`, fix: `use a tmux release ${POPUP} or later` }, version: null };
  if (!hasPopup(v)) {
    return {
      check: { id: 'tmux', level: 'warn', message: `tmux ${v.text}: older than ${POPUP}, so roost init leaves out the prefix+H popup (display-popup needs ${POPUP}); Ctrl+B ? lists the keys`, fix: `upgrade tmux to ${POPUP} or later, then run roost init again` },
      version: v,
    };
  }
  return { check: { id: 'tmux', level: 'ok', message: `tmux ${v.text} (${POPUP} or later: prefix+H popup available)` }, version: v };
}

/**
 * The lines that keep roost's block from working (the guide's copy, or a line
 * like it), as one warning per kind of problem, naming the file and its first
 * line of that kind, with that kind's fix; none when there are none. Only
 * lines with the same problem and fix are folded into "and N more lines like
 * it", so the message and fix shown hold for each of them.
 */
function clashChecks(id: string, path: string, found: Findings, home: string, guideFix: string): Check[] {
  const lines = [
    ...found.guide.map((g) => ({ line: g.at, kind: g.problem, problem: g.problem, fix: guideFix })),
    ...found.unsure.map((u) => ({ line: u.line, kind: u.problem, problem: `${u.text}: ${u.problem}`, fix: u.fix })),
  ].sort((a, b) => a.line - b.line);
  const kinds = new Map<string, typeof lines>();
  for (const l of lines) {
    const key = `${l.kind}\n${l.fix}`;
    kinds.set(key, [...(kinds.get(key) ?? []), l]);
  }
  return [...kinds.values()].map((same) => {
    const first = same[0]!;
    const more = same.length > 1 ? ` (and ${same.length - 1} more line${same.length > 2 ? 's' : ''} like it)` : '';
    return { id, level: 'warn', message: `${tilde(path, home)}:${first.line + 1}: ${first.problem}${more}`, fix: first.fix };
  });
}

/** The file's text and roost's block in it; null without a file, 'broken' for broken markers. */
function fileWithBlock(d: DoctorDeps, path: string): { text: string; block: Block | null } | null | 'broken' {
  const text = d.read(path);
  if (text === null) return null;
  try {
    return { text, block: findBlock(text) };
  } catch (e) {
    if (e instanceof MarkerError) return 'broken';
    throw e;
  }
}

/** The default-terminal the block in the file sets (what a later line overrides), else the one init would write. */
function blockTerminal(block: Block, fallback: string): string {
  return /^set -g default-terminal "([^"]+)"$/m.exec(block.body)?.[1] ?? fallback;
}

function checkTmuxConfig(d: DoctorDeps, version: Version | null): Check[] {
  const home = d.files.home;
  const confs = d.files.tmuxConfs;
  for (const [i, path] of confs.entries()) {
    const f = fileWithBlock(d, path);
    if (f === null || (f !== 'broken' && !f.block)) continue;
    const file = tilde(path, home);
    if (f === 'broken') return [{ id: 'tmux-config', level: 'warn', message: `${file}: broken roost markers`, fix: 'fix the "# >>> roost >>>" lines by hand, then roost init' }];
    // tmux reads every config that exists, in order: lines after the block, here or in a later file, win over it.
    const here = clashChecks('tmux-config', path, findTmuxClashes(f.text, blockLines(f.text, f.block).end, blockTerminal(f.block!, d.terminal)), home, 'roost init (comments it out)');
    if (here.length > 0) return here;
    for (const later of confs.slice(i + 1)) {
      const text = d.read(later);
      const there = text === null ? [] : clashChecks('tmux-config', later, findTmuxClashes(text, 0, blockTerminal(f.block!, d.terminal)), home, 'comment it out or delete it');
      if (there.length > 0) return there;
    }
    if (f.block!.body !== tmuxBlock({ version, terminal: d.terminal })) {
      return [{ id: 'tmux-config', level: 'warn', message: `${file}: the roost block is not what this roost writes for tmux ${version?.text ?? '(unknown)'}`, fix: 'roost init (rewrites the block)' }];
    }
    return [{ id: 'tmux-config', level: 'ok', message: `${file} has the roost block (tmux source-file ${file} applies it to a running server)` }];
  }
  return [{ id: 'tmux-config', level: 'warn', message: `no roost block in ${tilde(d.files.tmuxConf, home)}`, fix: 'roost init' }];
}

function checkShell(d: DoctorDeps, path: string): Check[] {
  const file = tilde(path, d.files.home);
  const f = fileWithBlock(d, path);
  if (f === null || (f !== 'broken' && !f.block)) return [{ id: 'shell', level: 'warn', message: `no roost block in ${file}: Cockpit terminals do not attach to "main"`, fix: 'roost init (with --ssh for SSH logins too)' }];
  if (f === 'broken') return [{ id: 'shell', level: 'warn', message: `${file}: broken roost markers`, fix: 'fix the "# >>> roost >>>" lines by hand, then roost init' }];
  const ssh = blockHasSsh(f.block!.body);
  // An auto-attach (exec tmux) earlier in the file replaces the shell before roost's block is reached.
  const clashes = clashChecks('shell', path, findShellClashes(f.text, blockLines(f.text, f.block).start, ssh), d.files.home, `roost init${ssh ? ' --ssh' : ''} (comments it out)`);
  if (clashes.length > 0) return clashes;
  return [{ id: 'shell', level: 'ok', message: `${file} attaches ${ssh ? 'Cockpit terminals and SSH logins' : 'Cockpit terminals'} to "main"` }];
}

function checkCockpit(d: DoctorDeps): Check | null {
  const path = d.files.cockpitConf;
  if (!existsSync(dirname(path))) return null; // no Cockpit here: nothing to check
  let text: string | null;
  try {
    text = d.read(path);
  } catch (e) {
    return { id: 'cockpit', level: 'warn', message: `cannot read ${path}: ${(e as Error).message}` };
  }
  const value = text === null ? undefined : idleTimeout(text);
  if (value === '0') return { id: 'cockpit', level: 'ok', message: `Cockpit's idle timeout is off (${path}: [Session] IdleTimeout=0)` };
  const minutes = value ?? '15 (the default)';
  return { id: 'cockpit', level: 'warn', message: `Cockpit ends idle sessions after ${minutes} minutes`, fix: 'roost init --cockpit (as root; otherwise it prints the sudo commands)' };
}

function checkInside(d: DoctorDeps): Check {
  return d.env['TMUX']
    ? { id: 'inside-tmux', level: 'info', message: 'inside tmux: roost attach switches this client instead of nesting' }
    : { id: 'inside-tmux', level: 'info', message: 'not inside tmux: roost attaches this terminal' };
}

function checkNode(d: DoctorDeps): Check {
  const v = parseNodeVersion(d.nodeVersion);
  const min = `${MIN_NODE.major}.${MIN_NODE.minor}`;
  if (v && atLeast(v, MIN_NODE)) return { id: 'node', level: 'ok', message: `Node ${v.text}` };
  return { id: 'node', level: 'fail', message: `Node ${d.nodeVersion} is older than ${min}`, fix: `install Node ${min} or later` };
}

function checkOnPath(d: DoctorDeps): Check {
  const r = roostOnPath({ bin: d.roostBin, env: d.env, home: d.files.home, root: d.root });
  if (r.ok) return { id: 'roost', level: 'ok', message: `roost on PATH: ${tilde(r.found, d.files.home)}` };
  return { id: 'roost', level: 'warn', message: r.message, fix: r.fix };
}

function checkSlurm(d: DoctorDeps): Check {
  // What `roost node` runs (src/slurm/): salloc makes the allocation, srun opens shells on it, squeue and scancel watch and release it.
  const cmds = ['salloc', 'srun', 'squeue', 'scancel'];
  const missing = cmds.filter((c) => !d.which(c));
  const fix = 'install Slurm\'s client commands (Debian: sudo apt-get install slurm-client) or load your site\'s Slurm module';
  if (missing.length === 0) return { id: 'slurm', level: 'ok', message: `Slurm: ${cmds.join(', ')} found (for roost node)` };
  if (missing.length === cmds.length) return { id: 'slurm', level: 'info', message: 'Slurm not found (only needed for roost node)', fix };
  return { id: 'slurm', level: 'warn', message: `Slurm: ${missing.join(', ')} not found (roost node needs them)`, fix };
}

/** Where the kernel says who may attach to whom (Yama); absent means the classic rules. */
export const PTRACE_SCOPE_FILE = '/proc/sys/kernel/yama/ptrace_scope';

function checkReptyr(d: DoctorDeps): Check {
  if (!d.which('reptyr')) return { id: 'reptyr', level: 'warn', message: 'reptyr not found: roost adopt cannot take over a running program', fix: 'install reptyr (Debian: sudo apt-get install reptyr)' };
  const scope = Number(d.read(PTRACE_SCOPE_FILE)?.trim() ?? '0');
  const root = process.getuid?.() === 0;
  if (scope >= 3 || (scope >= 1 && !root)) {
    return { id: 'reptyr', level: 'warn', message: `reptyr found, but kernel.yama.ptrace_scope is ${scope}: roost adopt is refused`, fix: scope >= 3 ? 'nothing short of a reboot with another setting: start long work with roost run' : 'sudo sysctl kernel.yama.ptrace_scope=0 (until the next reboot)' };
  }
  return { id: 'reptyr', level: 'ok', message: 'reptyr found: roost adopt can take over a running program' };
}

export async function runChecks(d: DoctorDeps): Promise<Check[]> {
  const { check: tmux, version } = await checkTmux(d);
  const checks: (Check | null)[] = [tmux, ...checkTmuxConfig(d, version), ...checkShell(d, d.files.bashrc)];
  if (d.files.zsh) checks.push(...checkShell(d, d.files.zshrc));
  checks.push(checkCockpit(d), checkInside(d), checkNode(d), checkOnPath(d), checkSlurm(d), checkReptyr(d));
  return checks.filter((c): c is Check => c !== null);
}

/** One line per check: level, message, fix. */
export function formatCheck(c: Check): string {
  return `${c.level.padEnd(4)}  ${c.message}${c.fix ? `; fix: ${c.fix}` : ''}`;
}
