/**
 * What tmux would read into an argument, undone in one place. Every tmux
 * command Roost runs passes through commandArgv() (TmuxClient builds its argv
 * with it), so a value given to any command, now or later, reaches tmux as
 * the value and nothing else:
 *
 *   - tmux splits a command list at any argument that ENDS in `;` (not only
 *     at a lone `;`): `-c '/tmp/x;'` would end the command there and run what
 *     follows as tmux commands, and `find . -exec ls {} ';'` would lose its
 *     `;`. Every string argument ending in `;` gets a `\` before it (tmux
 *     gives back the `;`); Roost's own separators are THEN, never a string.
 *   - tmux 3.3 format-expands some arguments that are meant literally: a
 *     start directory named `#(touch FILE)` would run `touch`, one named
 *     `#{pane_pid}` would start somewhere else. In those arguments (EXPANDING,
 *     each one checked on tmux 3.3a by test/tmux/literal.test.ts) every `#`
 *     is doubled.
 *
 * Arguments that are formats or tmux commands by design (-F, display-message's
 * message, if-shell/run-shell, set-hook, status-left) are left as they are:
 * Roost passes only its own constants there, never a user's value.
 */

/** The type of THEN: an object, so no string can be mistaken for it. */
class Separator {
  readonly tmux = ';';
}

/** The separator between two commands of one tmux command list. */
export const THEN = Object.freeze(new Separator());

/** One argument of a tmux command list: a string, or THEN between two commands. */
export type TmuxArg = string | Separator;

interface Expanding {
  /** tmux's getopt template for the command (cmd-*.c of tmux 3.3a), to find where each flag's value is. */
  template: string;
  /** Flags whose value tmux format-expands. */
  flags: string;
  /** Whether the positional arguments are format-expanded too (the new name of rename-*). */
  positional?: boolean;
}

/** Commands with arguments that tmux 3.3a format-expands; `-e` values, targets and option values are not. */
const EXPANDING: Readonly<Record<string, Expanding>> = {
  'new-session': { template: 'Ac:dDe:EF:f:n:Ps:t:x:Xy:', flags: 'cns' },
  'new-window': { template: 'abc:de:F:kn:PSt:', flags: 'cn' },
  'split-window': { template: 'bc:de:fF:hIl:p:Pt:vZ', flags: 'c' },
  'respawn-pane': { template: 'c:e:kt:', flags: 'c' },
  'respawn-window': { template: 'c:e:kt:', flags: 'c' },
  'attach-session': { template: 'c:dEf:rt:x', flags: 'c' },
  'select-pane': { template: 'DdegLlMmP:RT:t:UZ', flags: 'T' },
  'rename-session': { template: 't:', flags: '', positional: true },
  'rename-window': { template: 't:', flags: '', positional: true },
};

/** tmux's short names for the same commands. */
const ALIASES: Readonly<Record<string, string>> = {
  new: 'new-session', neww: 'new-window', splitw: 'split-window', respawnp: 'respawn-pane', respawnw: 'respawn-window',
  attach: 'attach-session', selectp: 'select-pane', rename: 'rename-session', renamew: 'rename-window',
};

/**
 * The command a word names, as tmux finds it: an alias, the full name, or a
 * prefix of one name only. (A prefix that tmux finds ambiguous fails there
 * before anything runs, so guessing the one EXPANDING entry is safe.)
 */
function expandingCommand(word: string): Expanding | undefined {
  const name = ALIASES[word] ?? word;
  if (EXPANDING[name]) return EXPANDING[name];
  const matches = Object.keys(EXPANDING).filter((n) => n.startsWith(word));
  return matches.length === 1 && word.length > 0 ? EXPANDING[matches[0]!] : undefined;
}

/**
 * `s` written so that tmux's format expansion gives back `s`: `#` doubled.
 * A run of `#` just before `[` is left alone, because tmux copies `#[` and
 * `##[` (a style) through unchanged, so doubling those would double them.
 */
export function formatLiteral(s: string): string {
  return s.replace(/#+(?![#[])/g, (run) => run + run);
}

/** `s` written so that tmux's command-list parser keeps it one argument: a final `;` escaped. */
export function argumentLiteral(s: string): string {
  return s.endsWith(';') ? `${s.slice(0, -1)}\\;` : s;
}

/** One command (no THEN inside) with its format-expanded arguments made literal. */
function literalCommand(args: string[]): string[] {
  const spec = args[0] === undefined ? undefined : expandingCommand(args[0]);
  if (!spec) return args;
  const out = [...args];
  let i = 1;
  // tmux's args_parse: flags until a word that is not one, `--` ends them; a value is the rest of the word or the next word.
  for (; i < out.length; i++) {
    const word = out[i]!;
    if (!word.startsWith('-') || word === '-') break;
    if (word === '--') {
      i++;
      break;
    }
    for (let j = 1; j < word.length; j++) {
      const flag = word[j]!;
      const at = spec.template.indexOf(flag);
      if (at < 0) return out; // tmux refuses the unknown flag and runs nothing
      if (spec.template[at + 1] !== ':') continue;
      const expand = spec.flags.includes(flag);
      if (j + 1 < word.length) {
        if (expand) out[i] = word.slice(0, j + 1) + formatLiteral(word.slice(j + 1));
      } else if (i + 1 < out.length) {
        i++;
        if (expand) out[i] = formatLiteral(out[i]!);
      }
      break;
    }
  }
  if (spec.positional) for (; i < out.length; i++) out[i] = formatLiteral(out[i]!);
  return out;
}

/** The commands of a list (split at THEN), each with its format-expanded arguments made literal. */
function literalCommands(args: readonly TmuxArg[]): string[][] {
  const commands: string[][] = [[]];
  for (const a of args) {
    if (typeof a !== 'string') commands.push([]);
    else commands[commands.length - 1]!.push(a);
  }
  return commands.map(literalCommand);
}

/** The argv (after the server's global flags) for a tmux command list. */
export function commandArgv(args: readonly TmuxArg[]): string[] {
  return literalCommands(args).flatMap((c, i) => [...(i ? [';'] : []), ...c.map(argumentLiteral)]);
}

/**
 * One word of a control-mode command line (control.ts), quoted for tmux
 * 3.3a's command parser (cmd-parse.y) so it reads back as exactly `s`:
 * inside single quotes nothing is special; a `'` is written `\'` between
 * two quoted runs, and a control character (a newline would end the line)
 * as a three-digit octal escape, both outside quotes, where tmux reads
 * escapes. No `$`, `~`, `#`, `{` or `;` is ever seen unquoted.
 */
export function quoteWord(s: string): string {
  let out = '';
  let run = '';
  const flush = () => {
    if (run) out += `'${run}'`;
    run = '';
  };
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "'") {
      flush();
      out += "\\'";
    } else if (code < 0x20 || code === 0x7f) {
      flush();
      out += `\\${code.toString(8).padStart(3, '0')}`;
    } else run += ch;
  }
  flush();
  return out || "''";
}

/**
 * A tmux command list as one control-mode line: the same literal arguments
 * as commandArgv (format expansion undone), each word quoted by quoteWord,
 * THEN written as tmux's ` ; `. Also the number of commands, since tmux
 * answers each with its own %begin/%end block.
 */
export function commandLine(args: readonly TmuxArg[]): { line: string; commands: number } {
  const commands = literalCommands(args);
  return { line: commands.map((c) => c.map(quoteWord).join(' ')).join(' ; '), commands: commands.filter((c) => c.length).length };
}
