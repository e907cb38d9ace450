/**
 * Turning the guide's lines off in place, and back on: `roost init` comments
 * out each line of a snippet Roost's block replaces (src/setup/guide.ts finds
 * them) and puts one note line above it; `roost init --uninstall` takes the
 * note away and the prefix off again, which gives back the lines byte for
 * byte. Turned-off lines are comments to bash, zsh and tmux alike.
 *
 *   # roost init turned off the guide's auto-attach below: roost's block further down replaces it; roost init --uninstall turns it back on
 *   #roost# if [ -z "$TMUX" ] && [ "$XDG_SESSION_TYPE" = "web" ]; then
 *   #roost#     exec tmux new-session -A -s main
 *   #roost# fi
 */
import { splitLines, type GuideSpan } from './guide.js';

/** Put before each turned-off line; a comment in the shell and in tmux.conf. */
export const OFF_PREFIX = '#roost# ';
const NOTE_START = '# roost init turned off ';
/** Only a note directly followed by turned-off lines is taken away again. */
const NOTE_RE = /^# roost init turned off [^\n]*\n$/;

function note(span: GuideSpan, where: 'above' | 'below'): string {
  return `${NOTE_START}${span.what} below: roost's block ${where === 'below' ? 'further down' : 'further up'} replaces it; roost init --uninstall turns it back on\n`;
}

/**
 * The text with each span's lines commented out under a note. `where`: where
 * Roost's block is, seen from the spans (the end of ~/.bashrc, the top of
 * ~/.tmux.conf).
 */
export function turnOff(text: string, spans: GuideSpan[], where: 'above' | 'below'): string {
  if (spans.length === 0) return text;
  const lines = splitLines(text);
  const starts = new Map(spans.map((s) => [s.first, s]));
  const off = new Set(spans.flatMap((s) => Array.from({ length: s.last - s.first + 1 }, (_, k) => s.first + k)));
  let out = '';
  lines.forEach((line, i) => {
    const s = starts.get(i);
    if (s) out += note(s, where);
    out += off.has(i) ? OFF_PREFIX + line : line;
  });
  return out;
}

/** The text with every turned-off snippet on again, exactly as it was; text without any is returned as is. */
export function turnBackOn(text: string): string {
  const lines = splitLines(text);
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (NOTE_RE.test(line) && lines[i + 1]?.startsWith(OFF_PREFIX)) {
      for (i++; i < lines.length && lines[i]!.startsWith(OFF_PREFIX); i++) out += lines[i]!.slice(OFF_PREFIX.length);
      i--;
      continue;
    }
    out += line;
  }
  return out;
}

/** Whether the text holds lines roost init turned off. */
export function hasTurnedOff(text: string): boolean {
  return turnBackOn(text) !== text;
}
