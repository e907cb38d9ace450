/**
 * Lines of `tmux capture-pane -e` output → runs of text with colours and
 * attributes, for the scrollback reader. Only SGR (ESC [ ... m) is read;
 * every other escape sequence and control character is dropped. Colours are
 * palette indexes (0-255): true colour is mapped to the nearest entry of the
 * xterm 256-colour cube, so the page can colour with a fixed set of CSS
 * classes (the CSP allows no inline styles). Pure: no DOM, unit-tested in Node.
 */

export interface Style {
  fg: number | null;
  bg: number | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
  strike: boolean;
}

export interface Run {
  text: string;
  style: Style;
}

export const PLAIN: Style = Object.freeze({ fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false, strike: false });

/** The 6 levels of each channel in xterm's 6x6x6 colour cube. */
const CUBE = [0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff];

function nearestLevel(v: number): number {
  let best = 0;
  for (let i = 1; i < CUBE.length; i++) if (Math.abs(CUBE[i]! - v) < Math.abs(CUBE[best]! - v)) best = i;
  return best;
}

/** An RGB colour → the nearest of the 240 cube and grey entries of the 256-colour palette. */
export function nearest256(r: number, g: number, b: number): number {
  const [ri, gi, bi] = [nearestLevel(r), nearestLevel(g), nearestLevel(b)];
  const cube = 16 + 36 * ri + 6 * gi + bi;
  const cubeDist = (CUBE[ri]! - r) ** 2 + (CUBE[gi]! - g) ** 2 + (CUBE[bi]! - b) ** 2;
  const avg = (r + g + b) / 3;
  const grey = Math.max(0, Math.min(23, Math.round((avg - 8) / 10)));
  const gv = 8 + grey * 10;
  const greyDist = (gv - r) ** 2 + (gv - g) ** 2 + (gv - b) ** 2;
  return greyDist < cubeDist ? 232 + grey : cube;
}

/** The palette entry's RGB as #rrggbb (xterm.js's default 16 colours, then the cube and greys). */
export function paletteColour(i: number): string {
  const base16 = ['#2e3436', '#cc0000', '#4e9a06', '#c4a000', '#3465a4', '#75507b', '#06989a', '#d3d7cf',
    '#555753', '#ef2929', '#8ae234', '#fce94f', '#729fcf', '#ad7fa8', '#34e2e2', '#eeeeec'];
  if (i < 16) return base16[i]!;
  const hex = (v: number) => v.toString(16).padStart(2, '0');
  if (i >= 232) {
    const v = 8 + (i - 232) * 10;
    return `#${hex(v)}${hex(v)}${hex(v)}`;
  }
  const n = i - 16;
  return `#${hex(CUBE[Math.floor(n / 36)]!)}${hex(CUBE[Math.floor(n / 6) % 6]!)}${hex(CUBE[n % 6]!)}`;
}

/** An extended colour (38/48): `sub` are colon sub-parameters after the 38, else `rest` the semicolon ones. Returns the colour and how many of `rest` it used. */
function extendedColour(sub: number[], rest: number[]): { colour: number | null; used: number } {
  if (sub.length > 0) {
    // 38:5:N, 38:2:R:G:B, or 38:2:ID:R:G:B (with a colour-space id, often empty).
    if (sub[0] === 5 && sub.length >= 2) return { colour: Math.max(0, Math.min(255, sub[1]!)), used: 0 };
    if (sub[0] === 2 && sub.length >= 4) {
      const rgb = sub.length >= 5 ? sub.slice(2, 5) : sub.slice(1, 4);
      return { colour: nearest256(rgb[0]!, rgb[1]!, rgb[2]!), used: 0 };
    }
    return { colour: null, used: 0 };
  }
  if (rest[0] === 5 && rest.length >= 2) return { colour: Math.max(0, Math.min(255, rest[1]!)), used: 2 };
  if (rest[0] === 2 && rest.length >= 4) return { colour: nearest256(rest[1]!, rest[2]!, rest[3]!), used: 4 };
  return { colour: null, used: rest.length };
}

const num = (x: string) => (x === '' ? 0 : Number.parseInt(x, 10));

/** Apply one SGR parameter list (the part between ESC [ and m) to a style (a fresh object). */
export function applySgr(style: Style, params: string): Style {
  const s: Style = { ...style };
  const groups = (params === '' ? ['0'] : params.split(';')).map((g) => g.split(':').map(num));
  for (let i = 0; i < groups.length; i++) {
    const [n = 0, ...sub] = groups[i]!;
    if (Number.isNaN(n)) continue;
    if (n === 0) Object.assign(s, PLAIN);
    else if (n === 1) s.bold = true;
    else if (n === 2) s.dim = true;
    else if (n === 3) s.italic = true;
    else if (n === 4) s.underline = (sub[0] ?? 1) !== 0;
    else if (n === 7) s.inverse = true;
    else if (n === 9) s.strike = true;
    else if (n === 21 || n === 22) s.bold = s.dim = false;
    else if (n === 23) s.italic = false;
    else if (n === 24) s.underline = false;
    else if (n === 27) s.inverse = false;
    else if (n === 29) s.strike = false;
    else if (n >= 30 && n <= 37) s.fg = n - 30;
    else if (n === 39) s.fg = null;
    else if (n >= 40 && n <= 47) s.bg = n - 40;
    else if (n === 49) s.bg = null;
    else if (n >= 90 && n <= 97) s.fg = n - 90 + 8;
    else if (n >= 100 && n <= 107) s.bg = n - 100 + 8;
    else if (n === 38 || n === 48) {
      const rest = groups.slice(i + 1).map((g) => g[0] ?? 0);
      const { colour, used } = extendedColour(sub, rest);
      i += used;
      if (colour !== null && !Number.isNaN(colour)) {
        if (n === 38) s.fg = colour;
        else s.bg = colour;
      }
    }
  }
  return s;
}

/**
 * CSI with its parameters and final byte; OSC up to BEL or ST; character
 * set and other escapes with intermediate bytes (ESC ( B); other two-byte
 * escapes; lone C0 controls except tab.
 */
const TOKEN_RE = /\x1b\[([0-9;:?<=>]*)([ -/]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]+[0-~]|\x1b[@-Z\\-_]|\x1b|[\x00-\x08\x0a-\x1f\x7f]/g;

/** One line of capture-pane output → runs; `style` is the style carried in from the previous line. */
export function parseLine(line: string, style: Style = PLAIN): { runs: Run[]; style: Style } {
  const runs: Run[] = [];
  let cur = style;
  let last = 0;
  const push = (text: string) => {
    if (!text) return;
    const prev = runs[runs.length - 1];
    if (prev && prev.style === cur) prev.text += text;
    else runs.push({ text, style: cur });
  };
  for (const m of line.matchAll(TOKEN_RE)) {
    push(line.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[3] === 'm' && m[2] === '' && !/[?<=>]/.test(m[1] ?? '')) cur = applySgr(cur, m[1] ?? '');
  }
  push(line.slice(last));
  return { runs, style: cur };
}

/** Plain text of a line (escapes removed). */
export function stripAnsi(line: string): string {
  return line.replace(TOKEN_RE, '');
}

/** CSS classes for a style: fg-N/bg-N palette colours, inverse swaps them (fg-bg / bg-fg name the defaults). */
export function styleClasses(s: Style): string[] {
  const out: string[] = [];
  let fg: string | null = s.fg === null ? null : `fg-${s.fg}`;
  let bg: string | null = s.bg === null ? null : `bg-${s.bg}`;
  if (s.inverse) {
    [fg, bg] = [s.bg === null ? 'fg-bg' : `fg-${s.bg}`, s.fg === null ? 'bg-fg' : `bg-${s.fg}`];
  }
  if (fg) out.push(fg);
  if (bg) out.push(bg);
  if (s.bold) out.push('sgr-b');
  if (s.dim) out.push('sgr-d');
  if (s.italic) out.push('sgr-i');
  if (s.underline) out.push('sgr-u');
  if (s.strike) out.push('sgr-s');
  return out;
}
