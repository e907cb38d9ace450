/**
 * The arguments of an agent's saved command line that restore keeps when it
 * starts the agent again: `claude --model opus` comes back as `claude
 * --resume ID --model opus`, not as a bare `claude --resume ID`.
 *
 * Dropped: whatever names a conversation (Roost's resume argument names the
 * right one) or makes a one-shot run (sent again it would redo its work
 * behind the user's back). Kept: everything else, in order.
 *
 * Reading an argv needs the agent's grammar: which options take a value
 * (`--model opus`: "opus" is no prompt), which take one only when the next
 * word is no option (`--resume [ID]`, `--debug [FILTER]`), which take every
 * word up to the next option (`--add-dir A B`, commander's `<dirs...>`: a
 * word after one is a directory, as the agent reads it, not a prompt).
 * An option the grammar does not know is kept, as a flag: a word after it is
 * read as a prompt and dropped. At worst the agent then says a value is
 * missing; a prompt is never sent twice. Pure.
 */

/** How an option takes its value. */
type Takes = 'none' | 'one' | 'optional' | 'many';
/** Why an option goes: it names a conversation, or makes a run one-shot. */
type Drop = 'conversation' | 'once';

interface Grammar {
  /** Long option (or single-letter short) → how it takes a value and, for one that goes, why. */
  options: ReadonlyMap<string, { takes: Takes; drop?: Drop }>;
  /** Single letters that stand for a long option (`-c` → `--continue`). */
  shorts: ReadonlyMap<string, string>;
}

const opts = (takes: Takes, names: string[], drop?: Drop) => names.map((n) => [n, drop ? { takes, drop } : { takes }] as const);

/**
 * Claude Code's options, from `claude --help` (2.x). Dropped: `-c/--continue`,
 * `-r/--resume [ID]`, `--session-id ID`, `--fork-session` (it would fork the
 * resumed conversation again at every restore) and `--from-pr [PR]` name a
 * conversation; `-p/--print` and the positional prompt make a one-shot run,
 * and the options that only --print reads (`--output-format`, `--max-turns`,
 * ...) go with it.
 */
const CLAUDE: Grammar = {
  options: new Map([
    ...opts('none', ['--continue', '--fork-session'], 'conversation'),
    ...opts('optional', ['--resume', '--from-pr'], 'conversation'),
    ...opts('one', ['--session-id'], 'conversation'),
    ...opts('none', ['--print'], 'once'),
    // Options of --print alone: the resumed conversation is interactive, where they mean nothing or are refused.
    ...opts('none', ['--include-partial-messages', '--replay-user-messages'], 'once'),
    ...opts('one', ['--output-format', '--input-format', '--json-schema', '--max-budget-usd', '--max-turns', '--fallback-model', '--permission-prompt-tool'], 'once'),
    ...opts('optional', ['--debug']),
    ...opts('one', [
      '--model', '--permission-mode', '--settings', '--setting-sources', '--system-prompt', '--system-prompt-file',
      '--append-system-prompt', '--append-system-prompt-file', '--agents', '--agent', '--debug-file',
    ]),
    ...opts('many', ['--add-dir', '--allowedTools', '--allowed-tools', '--disallowedTools', '--disallowed-tools', '--tools', '--mcp-config', '--plugin-dir', '--betas']),
  ]),
  shorts: new Map([['c', '--continue'], ['r', '--resume'], ['p', '--print'], ['d', '--debug'], ['v', '--version'], ['h', '--help']]),
};

/** Agents whose command lines Roost can read, by kind (rules.ts BUILTIN_AGENTS). Another agent's line is not read. */
const GRAMMARS: Readonly<Record<string, Grammar>> = { claude: CLAUDE };

export interface AgentArgs {
  kept: string[];
  /** What a resume drops: conversation and one-shot options with their values, and the prompt. */
  dropped: string[];
}

/**
 * The arguments after the agent's program that a restart keeps. `keep`:
 * what may stay of those that go: a resume keeps none of them; a relaunch
 * (no session id known) keeps the conversation options, the best it has.
 */
export function agentArgs(kind: string, args: readonly string[], keep: 'resume' | 'relaunch' = 'resume'): AgentArgs {
  const g = GRAMMARS[kind];
  if (!g) return { kept: [...args], dropped: [] };
  const goes = (d: Drop | undefined) => d === 'once' || (d === 'conversation' && keep === 'resume');
  const kept: string[] = [];
  const dropped: string[] = [];
  const words = expandShorts(args, g);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      // Everything after is the prompt.
      dropped.push(...words.slice(i));
      break;
    }
    if (!w.startsWith('-') || w === '-') {
      dropped.push(w); // a positional word: the prompt
      continue;
    }
    const eq = w.indexOf('=');
    const name = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : w;
    const long = name.startsWith('--') ? name : g.shorts.get(name.slice(1)) ?? name;
    const o = g.options.get(long);
    const group = [w];
    if (o && eq < 0) {
      // Its value: the next word (one), the next word that is no option (optional), every word up to the next option (many).
      if (o.takes === 'one' && i + 1 < words.length) group.push(words[++i]!);
      else if (o.takes === 'optional' && i + 1 < words.length && !words[i + 1]!.startsWith('-')) group.push(words[++i]!);
      else if (o.takes === 'many') while (i + 1 < words.length && !words[i + 1]!.startsWith('-')) group.push(words[++i]!);
    }
    (goes(o?.drop) ? dropped : kept).push(...group);
  }
  return { kept, dropped };
}

/** `-cp` as `-c -p`, when every letter is a short option the grammar knows (else the word stays as it is). */
function expandShorts(args: readonly string[], g: Grammar): string[] {
  const out: string[] = [];
  for (const [i, a] of args.entries()) {
    if (a === '--') return [...out, ...args.slice(i)];
    if (/^-[A-Za-z]{2,}$/.test(a) && [...a.slice(1)].every((c) => g.shorts.has(c))) out.push(...[...a.slice(1)].map((c) => `-${c}`));
    else out.push(a);
  }
  return out;
}
