/**
 * A unified diff of two versions of a file, for `roost init --dry-run`.
 * Roost's edits are one contiguous change (a block added, replaced or
 * removed; one INI line set), so trimming the common head and tail gives the
 * smallest diff: one hunk, no general diff algorithm needed.
 */

/** Lines of context shown around the change, as `diff -u`. */
const CONTEXT_LINES = 3;

interface Line {
  text: string;
  /** The file's last line, without a newline after it. */
  noEol: boolean;
}

function lines(text: string | null): Line[] {
  if (text === null || text === '') return [];
  const parts = text.split('\n');
  const noEol = !text.endsWith('\n');
  if (!noEol) parts.pop();
  return parts.map((t, i) => ({ text: t, noEol: noEol && i === parts.length - 1 }));
}

const same = (a: Line, b: Line) => a.text === b.text && a.noEol === b.noEol;

function range(start: number, count: number): string {
  // diff -u numbers from 1; an empty range names the line before it.
  return `${count === 0 ? start : start + 1},${count}`;
}

/** "" when the texts are equal; `null` stands for a file that does not exist. */
export function unifiedDiff(before: string | null, after: string | null, beforeLabel: string, afterLabel: string): string {
  if (before === after) return '';
  const a = lines(before);
  const b = lines(after);
  let head = 0;
  while (head < a.length && head < b.length && same(a[head]!, b[head]!)) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && same(a[a.length - 1 - tail]!, b[b.length - 1 - tail]!)) tail++;
  const from = Math.max(0, head - CONTEXT_LINES);
  const aEnd = Math.min(a.length, a.length - tail + CONTEXT_LINES);
  const bEnd = Math.min(b.length, b.length - tail + CONTEXT_LINES);
  const out = [`--- ${before === null ? '/dev/null' : beforeLabel}`, `+++ ${after === null ? '/dev/null' : afterLabel}`];
  out.push(`@@ -${range(from, aEnd - from)} +${range(from, bEnd - from)} @@`);
  const emit = (prefix: string, l: Line) => {
    out.push(prefix + l.text);
    if (l.noEol) out.push('\\ No newline at end of file');
  };
  for (let i = from; i < head; i++) emit(' ', a[i]!);
  for (let i = head; i < a.length - tail; i++) emit('-', a[i]!);
  for (let i = head; i < b.length - tail; i++) emit('+', b[i]!);
  for (let i = a.length - tail; i < aEnd; i++) emit(' ', a[i]!);
  return `${out.join('\n')}\n`;
}
