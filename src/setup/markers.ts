/**
 * Roost's blocks in other programs' files (~/.tmux.conf, ~/.bashrc,
 * config.toml): lines between two marker lines that `roost init` writes and
 * `roost init --uninstall` removes, leaving every byte outside them as it was.
 *
 * The begin marker also records what roost did besides adding the block, so
 * that removing it gives back the file exactly:
 *   # >>> roost >>>                  added to a file that existed
 *   # >>> roost >>> (created file)   the file did not exist: remove it again
 *   # >>> roost >>> (added newline)  the file's last line had no newline, so
 *                                    roost added one before the block
 */

export const BEGIN = '# >>> roost >>>';
export const END = '# <<< roost <<<';

export type Origin = 'existing' | 'created' | 'newline';

const ORIGIN_NOTE: Record<Origin, string> = { existing: '', created: ' (created file)', newline: ' (added newline)' };
const BEGIN_RE = /^# >>> roost >>>(?: \((created file|added newline)\))?[ \t\r]*$/;
const END_RE = /^# <<< roost <<<[ \t\r]*$/;

/** The file's markers are broken (one missing, or two blocks): a person must look. */
export class MarkerError extends Error {
  override name = 'MarkerError';
}

export interface Block {
  /** Offset of the begin marker line. */
  start: number;
  /** Offset just after the end marker line (and its newline, if any). */
  end: number;
  origin: Origin;
  /** The lines between the markers, each ending in "\n". */
  body: string;
}

/** Find roost's block; null when there is none. Throws MarkerError if the markers are broken. */
export function findBlock(text: string): Block | null {
  let found: Block | null = null;
  let open: { start: number; bodyStart: number; origin: Origin } | null = null;
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const next = nl < 0 ? text.length : nl + 1;
    const line = text.slice(pos, nl < 0 ? text.length : nl);
    const b = BEGIN_RE.exec(line);
    if (b) {
      if (open || found) throw new MarkerError(`more than one "${BEGIN}" line`);
      const origin: Origin = b[1] === 'created file' ? 'created' : b[1] === 'added newline' ? 'newline' : 'existing';
      open = { start: pos, bodyStart: next, origin };
    } else if (END_RE.test(line)) {
      if (!open) throw new MarkerError(`"${END}" without "${BEGIN}" before it`);
      found = { start: open.start, end: next, origin: open.origin, body: text.slice(open.bodyStart, pos) };
      open = null;
    }
    pos = next;
  }
  if (open) throw new MarkerError(`"${BEGIN}" without "${END}" after it`);
  return found;
}

/** The block as it appears in a file: markers around `body`. */
export function renderBlock(body: string, origin: Origin): string {
  const b = body === '' || body.endsWith('\n') ? body : `${body}\n`;
  return `${BEGIN}${ORIGIN_NOTE[origin]}\n${b}${END}\n`;
}

/**
 * The file's text with roost's block set to `body`: replaced where it is, or
 * added at the top (so the user's own lines after it win, as in tmux.conf) or
 * at the end (after the user's PATH set-up, as in .bashrc). `text` null means
 * the file does not exist.
 */
export function upsertBlock(text: string | null, body: string, where: 'top' | 'end'): string {
  if (text === null) return renderBlock(body, 'created');
  const found = findBlock(text);
  if (found) return text.slice(0, found.start) + renderBlock(body, found.origin) + text.slice(found.end);
  if (where === 'top') return renderBlock(body, 'existing') + text;
  if (text === '' || text.endsWith('\n')) return text + renderBlock(body, 'existing');
  return `${text}\n${renderBlock(body, 'newline')}`;
}

/**
 * The file's text without roost's block: exactly what it was before roost
 * added it (if nothing else changed), or null when roost created the file and
 * nothing else is in it (remove the file). Text without a block is returned as is.
 */
export function removeBlock(text: string): string | null {
  const found = findBlock(text);
  if (!found) return text;
  let before = text.slice(0, found.start);
  const after = text.slice(found.end);
  // Take back the newline roost added, unless the user has since written after the block.
  if (found.origin === 'newline' && after === '' && before.endsWith('\n')) before = before.slice(0, -1);
  const rest = before + after;
  if (found.origin === 'created' && rest === '') return null;
  return rest;
}
