/**
 * A unified diff of two versions of a file, for `roost init --dry-run`.
 * Roost's edits to one file can sit in more than one place (its block at the
 * end of ~/.bashrc, the guide's auto-attach turned off further up), so this
 * is a real line diff (Myers' O(ND) algorithm, D the number of changed lines:
 * small for init's edits) split into hunks with three lines of context, as
 * `diff -u` prints them.
 */

/** Lines of context shown around each change, as `diff -u`. */
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

/** One step of the edit script: a line kept, removed from a, or added from b. */
type Op = { op: ' '; a: number; b: number } | { op: '-'; a: number } | { op: '+'; b: number };

/**
 * The shortest edit script from a to b. The common head and tail are taken
 * off first, and a middle that is all added or all removed (a file created or
 * removed) needs no search: Myers' trace costs memory in the number of
 * changed lines times the file's length.
 */
function editScript(a: Line[], b: Line[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && same(a[head]!, b[head]!)) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && same(a[a.length - 1 - tail]!, b[b.length - 1 - tail]!)) tail++;
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ op: ' ', a: i, b: i });
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  if (am.length === 0) bm.forEach((_, j) => ops.push({ op: '+', b: head + j }));
  else if (bm.length === 0) am.forEach((_, j) => ops.push({ op: '-', a: head + j }));
  else {
    for (const o of myers(am, bm)) {
      if (o.op === ' ') ops.push({ op: ' ', a: o.a + head, b: o.b + head });
      else if (o.op === '-') ops.push({ op: '-', a: o.a + head });
      else ops.push({ op: '+', b: o.b + head });
    }
  }
  for (let i = tail; i > 0; i--) ops.push({ op: ' ', a: a.length - i, b: b.length - i });
  return ops;
}

/** Myers 1986, with each step's frontier kept to walk back the path. */
function myers(a: Line[], b: Line[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && same(a[x]!, b[y]!)) {
        x++;
        y++;
      }
      next[off + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    v = next;
  }
  // Walk back from (n, m) through the saved frontiers.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && vd[off + k - 1]! < vd[off + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[off + prevK]!;
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ op: ' ', a: --x, b: --y });
    if (d === 0) break;
    if (down) ops.push({ op: '+', b: --y });
    else ops.push({ op: '-', a: --x });
  }
  while (x > 0 && y > 0) ops.push({ op: ' ', a: --x, b: --y });
  return ops.reverse();
}

function range(start: number, count: number): string {
  // diff -u numbers from 1; an empty range names the line before it.
  return `${count === 0 ? start : start + 1},${count}`;
}

/** "" when the texts are equal; `null` stands for a file that does not exist. */
export function unifiedDiff(before: string | null, after: string | null, beforeLabel: string, afterLabel: string): string {
  if (before === after) return '';
  const a = lines(before);
  const b = lines(after);
  const ops = editScript(a, b);
  const out = [`--- ${before === null ? '/dev/null' : beforeLabel}`, `+++ ${after === null ? '/dev/null' : afterLabel}`];
  const emit = (prefix: string, l: Line) => {
    out.push(prefix + l.text);
    if (l.noEol) out.push('\\ No newline at end of file');
  };
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.op === ' ') {
      i++;
      continue;
    }
    // A hunk: context before, then changes until CONTEXT_LINES*2 kept lines in a row (or the end).
    const from = Math.max(0, i - CONTEXT_LINES);
    let end = i;
    for (let kept = 0; end < ops.length; end++) {
      kept = ops[end]!.op === ' ' ? kept + 1 : 0;
      if (kept > 2 * CONTEXT_LINES) break;
    }
    // Trim the trailing kept lines to CONTEXT_LINES.
    let last = end;
    while (last > i && ops[last - 1]!.op === ' ') last--;
    const to = Math.min(ops.length, last + CONTEXT_LINES);
    const hunk = ops.slice(from, to);
    // Where the hunk starts in a and b: the first op's position, or for a pure add/remove the count before it.
    const aStart = ops.slice(0, from).filter((o) => o.op !== '+').length;
    const bStart = ops.slice(0, from).filter((o) => o.op !== '-').length;
    const aCount = hunk.filter((o) => o.op !== '+').length;
    const bCount = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    // Within a hunk, diff -u lists removals before additions in each run of changes.
    let j = 0;
    while (j < hunk.length) {
      const o = hunk[j]!;
      if (o.op === ' ') {
        emit(' ', a[o.a]!);
        j++;
        continue;
      }
      const run: Op[] = [];
      while (j < hunk.length && hunk[j]!.op !== ' ') run.push(hunk[j++]!);
      for (const r of run) if (r.op === '-') emit('-', a[r.a]!);
      for (const r of run) if (r.op === '+') emit('+', b[r.b]!);
    }
    i = to;
  }
  return `${out.join('\n')}\n`;
}
