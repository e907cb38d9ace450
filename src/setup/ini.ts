/**
 * The smallest INI edit Roost needs: read or set one key of one section
 * (Cockpit's `[Session] IdleTimeout`), keeping every other line, comment and
 * section byte for byte. Sections and keys match case-sensitively, as in
 * Cockpit's parser; a section may appear more than once (its keys merge).
 */

const SECTION_RE = /^\s*\[([^\]]*)\]\s*$/;
const COMMENT_RE = /^\s*[#;]/;

interface IniLine {
  raw: string;
  /** The section name, when this line is a section header. */
  header: string | null;
  /** The section this line is in (null before the first header). */
  section: string | null;
  /** The key, when this line assigns one. */
  key: string | null;
}

function parse(text: string): IniLine[] {
  let section: string | null = null;
  return text.split('\n').map((raw) => {
    const line = raw.replace(/\r$/, '');
    const m = SECTION_RE.exec(line);
    if (m) {
      section = m[1]!.trim();
      return { raw, header: section, section: null, key: null };
    }
    const eq = line.indexOf('=');
    const key = COMMENT_RE.test(line) || eq < 0 ? null : line.slice(0, eq).trim();
    return { raw, header: null, section, key };
  });
}

/** The key's value in the section (the last assignment wins), or undefined. */
export function getIniValue(text: string, section: string, key: string): string | undefined {
  let value: string | undefined;
  for (const l of parse(text)) {
    if (l.section === section && l.key === key) value = l.raw.slice(l.raw.indexOf('=') + 1).replace(/\r$/, '').trim();
  }
  return value;
}

/**
 * Set `key=value` in `section`: every assignment of the key in that section
 * is rewritten; if there is none, the line goes after the last key of the
 * section's first occurrence (or its header); if the section is missing, it
 * is added at the end.
 */
export function setIniValue(text: string, section: string, key: string, value: string): string {
  const assignment = `${key}=${value}`;
  const parsed = parse(text);
  let replaced = false;
  const out = parsed.map((l) => {
    if (l.section !== section || l.key !== key) return l.raw;
    replaced = true;
    return l.raw.endsWith('\r') ? `${assignment}\r` : assignment;
  });
  if (replaced) return out.join('\n');
  const header = parsed.findIndex((l) => l.header === section);
  if (header >= 0) {
    let last = header;
    for (let i = header + 1; i < parsed.length && parsed[i]!.header === null; i++) if (parsed[i]!.key !== null) last = i;
    out.splice(last + 1, 0, assignment);
    return out.join('\n');
  }
  if (text === '') return `[${section}]\n${assignment}\n`;
  return `${text}${text.endsWith('\n') ? '' : '\n'}\n[${section}]\n${assignment}\n`;
}
