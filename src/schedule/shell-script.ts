/**
 * A shell's script (`sh -c '...'`) as its pipelines, for command-program.ts:
 * the words of the first simple command of each pipeline, in order. The
 * script is read by shell-quote, which knows quotes, escapes and operators
 * as sh does (`claude -p "review; fix"` is one command, not two); `$VAR` is
 * kept as written, never expanded. Left out of a command: its redirections
 * with their targets, and its command substitutions (`$(...)`, `<(...)`),
 * which run other programs only to make an argument.
 *
 * shell-quote reads a newline as a space, and a comment as the rest of the
 * text; both are put right here: a newline ends a command, as `;` does, and
 * a comment ends at its line.
 */
import { parse } from 'shell-quote';

type Token = ReturnType<typeof parse>[number];

/** Operators whose next word is their target (a file, a descriptor, a here-document's delimiter). */
const REDIRECTS = new Set(['<', '>', '>>', '>&', '<&', '>|', '<>', '&>', '&>>', '<<', '<<-', '<<<']);
/** Operators that join commands into one pipeline; every other control operator ends the pipeline. */
const PIPES = new Set(['|', '|&']);
/** Process substitution: a command inside, up to the matching `)`. */
const SUBSTITUTIONS = new Set(['<(', '>(']);

/** Words of the first command of each pipeline of `script`, in order (empty commands left out). */
export function pipelines(script: string): string[][] {
  const out: string[][] = [];
  const tokens = tokensOf(script.replace(/\\\n/g, '').replace(/\n/g, ' ;\n'));
  let words: string[] = [];
  let first = true;
  const end = (next: 'pipe' | 'new') => {
    if (first && words.length) out.push(words);
    words = [];
    first = next === 'new';
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (typeof t === 'string') {
      words.push(t);
      continue;
    }
    if (!('op' in t)) continue;
    if (t.op === 'glob') {
      words.push(t.pattern);
      continue;
    }
    if (REDIRECTS.has(t.op)) {
      // `2>/dev/null` comes as "2", ">", "/dev/null": a descriptor that starts the command is not its program.
      if (words.length === 1 && /^\d+$/.test(words[0]!)) words = [];
      i++;
      continue;
    }
    const before = tokens[i - 1];
    const commandSubstitution = t.op === '(' && typeof before === 'string' && before.endsWith('$');
    if (SUBSTITUTIONS.has(t.op) || commandSubstitution) {
      // The word it is part of (`x=$(date)` came as "x=$", "(", ...) keeps what stands before the `$`.
      if (commandSubstitution && words.at(-1) === before) {
        words.pop();
        if (before !== '$') words.push(before.slice(0, -1));
      }
      i = closing(tokens, i);
      continue;
    }
    end(PIPES.has(t.op) ? 'pipe' : 'new');
  }
  end('new');
  return out;
}

/** The tokens of `text`, a comment cut at the end of its line (text: newlines already followed by ';'). */
function tokensOf(text: string): Token[] {
  const out: Token[] = [];
  for (const t of parse(text, (key) => `$${key}`)) {
    if (typeof t === 'object' && 'comment' in t) {
      const nl = t.comment.indexOf('\n');
      if (nl >= 0) out.push({ op: ';' }, ...tokensOf(t.comment.slice(nl + 1)));
      break;
    }
    out.push(t);
  }
  return out;
}

/** Index of the `)` that closes the group opened at `open`, or the last index. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (typeof t !== 'object' || !('op' in t)) continue;
    if (t.op === '(' || SUBSTITUTIONS.has(t.op)) depth++;
    else if (t.op === ')' && --depth === 0) return i;
  }
  return tokens.length - 1;
}
