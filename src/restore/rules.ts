/**
 * What restore does with the program a pane was running, decided from its
 * saved command line and the rules (built in, and [restore] in config.toml):
 *
 *   an agent with a known session id   run its resume command with the agent's own
 *                                      options (claude --resume ID --model opus; agent-args.ts)
 *   an agent without one               its `otherwise` (default: type it)
 *   a program on the safe list         run again with its arguments
 *   anything else, and every pipeline  typed at the prompt, not run
 *
 * The safe list holds programs that only show things or edit files by hand:
 * running one again cannot redo work behind the user's back. Some entries
 * have a condition (a REPL without a script, a follower with -f). Pure.
 */
import { basename } from 'node:path';
import type { RestoreConfig } from '../config/config.js';
import type { PaneSnap } from './model.js';
import { commandLine, pipelineLine } from './quote.js';
import { agentArgs } from './agent-args.js';

type Condition = (args: readonly string[]) => string | null;

/** A REPL is safe only on its own: with a script, "-c CODE" or "-m MODULE" it runs work. */
const replOnly: Condition = (args) => (args.every((a) => a.startsWith('-') && !['-c', '-e', '-m', '-f', '-r', '-x', '--eval', '--command', '--file'].includes(a)) ? null : 'a REPL given a script or code');
/** journalctl and tail: following a log; journalctl's maintenance flags change things. */
const following: Condition = (args) => {
  if (!args.some((a) => /^(-[A-Za-z]*[fF][A-Za-z]*|--follow(=.*)?)$/.test(a))) return 'not following (-f)';
  if (args.some((a) => /^--(vacuum|rotate|flush|sync|relinquish|smart-relinquish|setup-keys|update-catalog)/.test(a))) return 'a maintenance flag';
  return null;
};
const any: Condition = () => null;

/** The built-in safe list: program name → when it may run again. */
export const SAFE: Readonly<Record<string, Condition>> = {
  ...Object.fromEntries(['vim', 'vi', 'nvim', 'view', 'vimdiff', 'nano', 'pico', 'emacs', 'micro', 'hx', 'helix', 'kak', 'joe', 'mg', 'ne'].map((p) => [p, any])),
  ...Object.fromEntries(['less', 'more', 'most', 'man', 'info'].map((p) => [p, any])),
  ...Object.fromEntries(['htop', 'top', 'btop', 'atop', 'glances', 'nvtop', 'iotop', 'bmon', 'nload', 'bpytop', 'gtop'].map((p) => [p, any])),
  tail: following,
  journalctl: following,
  ...Object.fromEntries(['python', 'python3', 'ipython', 'ipython3', 'bpython', 'ptpython', 'node', 'irb', 'pry', 'ghci', 'R', 'julia', 'lua', 'bc', 'guile', 'sbcl', 'ocaml', 'utop', 'erl', 'iex', 'scala', 'clojure', 'racket', 'deno'].map((p) => [p, replOnly])),
};

/** Interpreters: a script run by one is known by the script's name (node /usr/lib/.../claude). */
const INTERPRETERS = ['node', 'nodejs', 'bun', 'deno', 'python', 'python3', 'ruby', 'perl', 'sh', 'bash'];

export interface AgentRule {
  programs: readonly string[];
  /** argv with "{id}" for the session id. */
  resume: readonly string[];
  otherwise: 'relaunch' | 'type' | 'none';
}

export interface RestoreRules {
  relaunch: readonly string[];
  never: readonly string[];
  agents: Readonly<Record<string, AgentRule>>;
}

/** Agents Roost knows without configuration. */
export const BUILTIN_AGENTS: Readonly<Record<string, AgentRule>> = {
  claude: { programs: ['claude'], resume: ['claude', '--resume', '{id}'], otherwise: 'type' },
};

/** The rules [restore] in config.toml sets, over the built-in ones. */
export function rulesFrom(c: Pick<RestoreConfig, 'relaunch' | 'never' | 'agents'>): RestoreRules {
  const agents: Record<string, AgentRule> = { ...BUILTIN_AGENTS };
  for (const [name, r] of Object.entries(c.agents)) {
    const base = agents[name];
    agents[name] = {
      programs: r.programs ?? base?.programs ?? [name],
      // An agent only configured to be relaunched or typed has no resume command: "{id}" never comes.
      resume: r.resume ?? base?.resume ?? [],
      otherwise: r.otherwise ?? base?.otherwise ?? 'type',
    };
  }
  return { relaunch: c.relaunch, never: c.never, agents };
}

export type Action =
  | { kind: 'shell'; why: string }
  | { kind: 'run'; line: string; why: string; agent: { kind: string; sessionId: string } | null }
  | { kind: 'type'; line: string; why: string };

const bare = (argv0: string) => basename(argv0.replace(/^-/, ''));

/** The names a program goes by: its comm, its argv[0] as it ran and as typed, and for an interpreter the script it runs. */
export function namesOf(program: NonNullable<PaneSnap['program']>): string[] {
  const names = new Set([program.name]);
  const argv = program.commands[0] ?? [];
  if (argv[0] !== undefined) names.add(bare(argv[0]));
  const typed = program.typed?.[0]?.[0];
  if (typed !== undefined) names.add(bare(typed));
  const script = argv.slice(1).find((a) => !a.startsWith('-'));
  if (argv[0] !== undefined && INTERPRETERS.includes(bare(argv[0])) && script !== undefined) names.add(basename(script));
  return [...names];
}

/**
 * The arguments after an agent's program in its command line (`claude --model
 * opus` → `--model opus`; `node /usr/lib/x/claude -c` → `-c`), or null when
 * the program is not found in it (known by its process name alone).
 */
export function argsAfter(argv: readonly string[], programs: readonly string[]): string[] | null {
  if (argv[0] === undefined) return null;
  if (programs.includes(bare(argv[0]))) return argv.slice(1);
  if (!INTERPRETERS.includes(bare(argv[0]))) return null;
  // The script an interpreter runs, found as namesOf finds it.
  const k = argv.findIndex((a, i) => i > 0 && !a.startsWith('-'));
  return k > 0 && programs.includes(basename(argv[k]!)) ? argv.slice(k + 1) : null;
}

function agentFor(names: readonly string[], rules: RestoreRules): [string, AgentRule] | null {
  for (const [kind, r] of Object.entries(rules.agents)) if (r.programs.some((p) => names.includes(p))) return [kind, r];
  return null;
}

/** What to do in a pane; pure. */
export function decide(pane: Pick<PaneSnap, 'dead' | 'program' | 'agent'>, rules: RestoreRules): Action {
  if (pane.dead) return { kind: 'shell', why: 'its program had ended' };
  const p = pane.program;
  if (!p) return { kind: 'shell', why: 'it was at the prompt' };
  if (p.commands.length === 0) return { kind: 'type', line: p.name, why: 'its arguments are unknown: typed, not run' };
  // As the user typed it (`claude -c`, not `node /usr/local/bin/claude -c`), when the snapshot knows (typed.ts).
  const commands = p.typed?.length === p.commands.length ? p.typed : p.commands;
  const original = commands.length > 1 ? pipelineLine(commands) : commandLine(commands[0]!);
  if (original === null) return { kind: 'shell', why: 'its command line has control characters: not typed' };

  const agent = agentFor(namesOf(p), rules);
  if (agent) {
    const [kind, rule] = agent;
    const id = pane.agent && pane.agent.kind === kind ? pane.agent.sessionId : null;
    // The user's own arguments (--model opus), without those that name a conversation or make a one-shot run (agent-args.ts).
    const own = commands.length === 1 ? argsAfter(commands[0]!, rule.programs) : null;
    if (id !== null && rule.resume.length) {
      const line = commandLine([...rule.resume.map((a) => a.replaceAll('{id}', id)), ...(own ? agentArgs(kind, own).kept : [])]);
      if (line !== null) return { kind: 'run', line, why: `resumes ${kind} session ${id}`, agent: { kind, sessionId: id } };
    }
    if (rule.otherwise === 'relaunch' && commands.length === 1) {
      // Its prompt is not sent again (a one-shot `claude -p ...` would redo its work); the rest runs as it was.
      const argv = commands[0]!;
      const line = own ? commandLine([...argv.slice(0, argv.length - own.length), ...agentArgs(kind, own, 'relaunch').kept]) : original;
      if (line !== null) return { kind: 'run', line, why: `${kind} without a known session: started again (config)`, agent: null };
    }
    if (rule.otherwise === 'none') return { kind: 'shell', why: `${kind} without a known session: left out (config)` };
    return { kind: 'type', line: original, why: `${kind} without a known session: typed, not run` };
  }

  if (commands.length > 1) return { kind: 'type', line: original, why: 'a pipeline: typed, not run' };
  // Its first part is unknown (it had ended): what is left runs differently on its own (less without its input).
  if (p.headEnded) return { kind: 'type', line: original, why: 'the rest of a pipeline whose first part had ended: typed, not run' };
  const argv = commands[0]!;
  const name = bare(argv[0]!);
  if (rules.never.includes(name)) return { kind: 'type', line: original, why: `${name} is never relaunched (config): typed, not run` };
  if (rules.relaunch.includes(name)) return { kind: 'run', line: original, why: `${name} is relaunched (config)`, agent: null };
  const cond = SAFE[name];
  if (!cond) return { kind: 'type', line: original, why: 'not on the safe list: typed, not run' };
  const no = cond(argv.slice(1));
  if (no) return { kind: 'type', line: original, why: `${no}: typed, not run` };
  return { kind: 'run', line: original, why: 'on the safe list: relaunched', agent: null };
}
