/**
 * What a CLI command is, the errors it may end with, and the small helpers
 * commands share to check their arguments and print times. Each file in
 * commands/ exports one Command; commands/index.ts lists them.
 *
 * Exit codes: 0 success, 1 a user error (one line on stderr), 2 a usage
 * error (one line, then a pointer to --help).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { TmuxClient } from '../tmux/index.js';
import type { Paths } from '../config/paths.js';
import { checkName } from '../shared/names.js';
import { roostOnServer } from './command-words.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface Context extends Io {
  env: NodeJS.ProcessEnv;
  tmux: TmuxClient;
  paths: Paths;
  debug: boolean;
  out(line: string): void;
  err(line: string): void;
}

/** `roost` as the user types it again to reach the same tmux server: with `-L NAME` when they gave one on the command line. */
export function roostCmd(ctx: Pick<Context, 'tmux' | 'env'>): string {
  const s = ctx.tmux.socket;
  return roostOnServer(s === ctx.env['ROOST_TMUX_SOCKET'] ? undefined : s);
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Arguments after `--`, untouched (a command to run); empty unless the command takesCommand. */
  rest: string[];
  /** Whether `--` was given at all. */
  dashDash: boolean;
  /** The command takes a command to run after `--` (takesCommand): an extra word before it is probably that command. */
  commandAfter?: boolean;
}

export interface Command {
  name: string;
  /** One line for `roost --help`. */
  summary: string;
  /** The full `roost NAME --help` text, starting with the usage line(s). */
  usage: string;
  options?: Options;
  /** Hidden from `roost --help` (internal helpers such as hook commands). */
  hidden?: boolean;
  /**
   * The words after `--` are a program to run (`args.rest`). For any other
   * command they are operands like the words before it, as `--` means for
   * every POSIX utility: `roost kill -- -x` names the session "-x" (which the
   * name rule refuses), and `roost kill a -- b` has an extra argument.
   */
  takesCommand?: boolean;
  /**
   * Run by an agent (Claude Code reads exit 2 from a hook as "block this
   * action"): a usage error exits 1 instead, a plain error the agent shows.
   */
  runByAgent?: boolean;
  run(ctx: Context, args: Parsed): Promise<number>;
}

/** A mistake by the user: printed as one line, exit 1, nothing changed. */
export class UserError extends Error {
  override name = 'UserError';
}

/** Wrong words on the command line: one line and a --help pointer, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Options every command takes. */
export const COMMON_OPTIONS: Options = {
  help: { type: 'boolean', short: 'h' },
  socket: { type: 'string', short: 'L' },
  debug: { type: 'boolean' },
};

/**
 * Split argv at the first `--`, then read the options before it; the words
 * after it are the command to run (takesCommand) or more operands. Every
 * mistake is a UsageError in Roost's words (Node's own messages carry an
 * unbalanced quote and advice about `--` that is wrong for Roost): an unknown
 * option, an option missing its value (or given one that looks like an
 * option: `--cwd=-x` says that is meant), a value for a flag.
 */
export function parse(cmd: Command, argv: string[]): Parsed {
  const dd = argv.indexOf('--');
  const head = dd >= 0 ? argv.slice(0, dd) : argv;
  const rest = dd >= 0 ? argv.slice(dd + 1) : [];
  const options: Options = { ...COMMON_OPTIONS, ...cmd.options };
  // Not strict: strict mode throws Node's messages; tokens let us say what was wrong ourselves.
  const { values, positionals, tokens } = parseArgs({ args: head, options, allowPositionals: true, strict: false, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec = Object.hasOwn(options, t.name) ? options[t.name] : undefined;
    if (!spec) throw new UsageError(`unknown option ${unknownShort(head[t.index] ?? '', options) ?? t.rawName}`);
    if (spec.type === 'boolean' && t.value !== undefined) throw new UsageError(`${t.rawName} takes no value`);
    if (spec.type !== 'string') continue;
    if (t.value === undefined) throw new UsageError(`${t.rawName} needs a value`);
    if (!t.inlineValue && t.value.startsWith('-') && t.value !== '-') {
      // No "write --socket=-x" hint: a socket name follows the name rule, which refuses a leading "-" (main.ts).
      if (t.name === 'socket') throw new UsageError(`${t.rawName} needs a value (a socket name cannot start with "-")`);
      // No "write --grace=-1" hint: no option takes a number below 0, and that form was then refused too.
      if (/^-\d+(\.\d+)?$/.test(t.value)) throw new UsageError(`${t.rawName} needs a value of 0 or more, got ${t.value}`);
      throw new UsageError(`${t.rawName} needs a value (for one that starts with "-", write --${t.name}=${t.value})`);
    }
  }
  if (!cmd.takesCommand) return { values: values as Parsed['values'], positionals: [...positionals, ...rest], rest: [], dashDash: dd >= 0 };
  return { values: values as Parsed['values'], positionals, rest, dashDash: dd >= 0, commandAfter: true };
}

/**
 * How to name an unknown option that came in a group of short ones, which
 * Node splits letter by letter (`-odd` into -o -d -d): the word as typed
 * when none of its letters is an option (a mistyped word, not a group), else
 * the letter and its word (`-j (in -jc)`); null for a word that is no group.
 */
function unknownShort(word: string, options: Options): string | null {
  if (!/^-[^-]./.test(word)) return null;
  const shorts = new Set(Object.values(options).map((o) => o.short));
  const letters = [...word.slice(1)];
  const first = letters.find((l) => !shorts.has(l));
  return letters.some((l) => shorts.has(l)) ? `-${first} (in ${word})` : word;
}

/** Validate a session (or window) name, or fail with the rule's one-line error. */
export function requireName(value: string | undefined, what = 'session name'): string {
  if (value === undefined) throw new UsageError(`missing ${what}`);
  const c = checkName(value, what);
  if (!c.ok) throw new UserError(c.error);
  return c.name;
}

/** At most `max` positionals, or a usage error naming the first extra one. */
export function noExtra(args: Parsed, max: number): void {
  if (args.positionals.length <= max) return;
  const word = JSON.stringify(args.positionals[max]);
  // `roost run python3 x.py`: the command was meant, without its `--`.
  if (args.commandAfter && !args.dashDash) throw new UsageError(`unexpected argument ${word} (the command to run goes last, after --: -- ${args.positionals[max]} ...)`);
  throw new UsageError(`unexpected argument ${word}`);
}

/**
 * Refuse options the chosen subcommand does not take. A command with
 * subcommands declares all their options on itself (one parse), so each
 * subcommand calls this first with the options it reads; the common options
 * are always allowed. `sub` names the subcommand in the message.
 *
 * @example onlyOptions(args, 'token ls', ['json']);
 */
export function onlyOptions(args: Parsed, sub: string, allowed: readonly string[]): void {
  for (const key of Object.keys(args.values)) {
    if (Object.hasOwn(COMMON_OPTIONS, key) || allowed.includes(key)) continue;
    throw new UsageError(`--${key} does not apply to "${sub}"`);
  }
}

/** Print rows as columns two spaces apart, each as wide as its widest cell; the first row is the header. */
export function printTable(ctx: Context, rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) ctx.out(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A time for people: the local time to the minute, with its UTC offset,
 * e.g. "2026-11-21 12:50 +01:00"; "-" for none. Tables print this; --json
 * output keeps epoch milliseconds.
 */
export function localTime(ms: number | null | undefined): string {
  if (ms == null) return '-';
  const d = new Date(ms);
  // getTimezoneOffset is minutes behind UTC (UTC+1 gives -60); round away the seconds of historical zones.
  const east = -Math.round(d.getTimezoneOffset());
  const off = Math.abs(east);
  const zone = `${east < 0 ? '-' : '+'}${pad2(Math.floor(off / 60))}:${pad2(off % 60)}`;
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())} ${zone}`;
}

export function str(args: Parsed, key: string): string | undefined {
  const v = args.values[key];
  return typeof v === 'string' ? v : undefined;
}
