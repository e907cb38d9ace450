/**
 * Format tables: a list of tmux format variables with a parser for each, a
 * builder for the -F string and a parser for its output.
 *
 * Fields are separated by \x1f and records end with \x1e, because names and
 * paths may contain tabs, spaces and (for paths, which tmux prints raw) even
 * newlines; the separator bytes cannot appear in names we accept and are
 * vanishingly rare in paths. Put raw fields (paths) last.
 */

export const FIELD_SEP = '\x1f';
export const RECORD_END = '\x1e';

export type FieldParser<T> = (raw: string) => T;

export const str: FieldParser<string> = (raw) => raw;
export const int: FieldParser<number> = (raw) => {
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : 0;
};
export const bool: FieldParser<boolean> = (raw) => raw === '1';
/** An integer that tmux leaves empty when it does not apply (pane_dead_status of a live pane). */
export const optInt: FieldParser<number | null> = (raw) => (raw === '' ? null : int(raw));

export type FormatTable = Record<string, readonly [variable: string, parse: FieldParser<unknown>]>;
export type Row<T extends FormatTable> = { [K in keyof T]: ReturnType<T[K][1]> };

/** The -F argument for a table. */
export function formatString<T extends FormatTable>(table: T): string {
  return Object.values(table).map(([v]) => `#{${v}}`).join(FIELD_SEP) + RECORD_END;
}

/** Parse tmux output produced with formatString(table). */
export function parseRows<T extends FormatTable>(table: T, output: string): Row<T>[] {
  const keys = Object.keys(table);
  const rows: Row<T>[] = [];
  for (let rec of output.split(RECORD_END + '\n')) {
    if (rec.endsWith(RECORD_END)) rec = rec.slice(0, -1); // last record may lack the newline
    if (rec === '' || rec === '\n') continue;
    const fields = rec.split(FIELD_SEP);
    const row: Record<string, unknown> = {};
    keys.forEach((k, i) => {
      row[k] = table[k]![1](fields[i] ?? '');
    });
    rows.push(row as Row<T>);
  }
  return rows;
}
