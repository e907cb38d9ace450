/**
 * The bytes a terminal key sends, for keys a phone keyboard lacks (the key
 * bar): Esc, Tab, arrows, Home/End, PgUp/PgDn, with Ctrl and Alt, the way
 * xterm encodes them (arrows and Home/End follow application cursor mode, as
 * vim and less switch it on). Also the sticky one-shot modifiers of the key
 * bar. Pure: no DOM, unit-tested in Node.
 */

export type KeyName = 'Escape' | 'Tab' | 'Enter' | 'Backspace' | 'Up' | 'Down' | 'Left' | 'Right' | 'Home' | 'End' | 'PageUp' | 'PageDown';

export interface Mods {
  ctrl: boolean;
  alt: boolean;
  shift?: boolean;
}

export const NO_MODS: Mods = { ctrl: false, alt: false };

const ESC = '\x1b';

/** Final byte of the CSI/SS3 sequence of each cursor-ish key. */
const CURSOR_FINAL: Partial<Record<KeyName, string>> = { Up: 'A', Down: 'B', Right: 'C', Left: 'D', Home: 'H', End: 'F' };
/** The number in CSI N ~ of the paging keys. */
const TILDE_CODE: Partial<Record<KeyName, number>> = { PageUp: 5, PageDown: 6 };

/** xterm's modifier parameter: 1 + shift + 2·alt + 4·ctrl (1 = none). */
function modParam(m: Mods): number {
  return 1 + (m.shift ? 1 : 0) + (m.alt ? 2 : 0) + (m.ctrl ? 4 : 0);
}

/**
 * The control character for Ctrl + `ch` (xterm's table: letters and @[\]^_
 * map to 0-31, ? to DEL, space and 2 to NUL, 3-7 to ESC..US, 8 to DEL), or
 * null when Ctrl does nothing to it.
 */
export function ctrlChar(ch: string): string | null {
  if (ch.length !== 1) return null;
  const c = ch.charCodeAt(0);
  if (c >= 0x61 && c <= 0x7a) return String.fromCharCode(c - 0x60); // a-z
  if (c >= 0x40 && c <= 0x5f) return String.fromCharCode(c - 0x40); // @ A-Z [ \ ] ^ _
  switch (ch) {
    case ' ': case '2': return '\x00';
    case '?': case '8': return '\x7f';
    case '3': return '\x1b';
    case '4': return '\x1c';
    case '5': return '\x1d';
    case '6': return '\x1e';
    case '7': case '/': case '-': return '\x1f';
    default: return null;
  }
}

/**
 * Typed text with modifiers held: they apply to the first character only
 * (a one-shot modifier means "the next key"); the rest goes as typed.
 * Ctrl maps through ctrlChar (unchanged when it has no control form), Alt
 * prefixes ESC (xterm's metaSendsEscape).
 */
export function modifyText(text: string, m: Mods): string {
  if (!text || (!m.ctrl && !m.alt)) return text;
  const [first, ...rest] = Array.from(text);
  let out = first!;
  if (m.ctrl) out = ctrlChar(out) ?? ctrlChar(out.toLowerCase()) ?? out;
  if (m.alt) out = ESC + out;
  return out + rest.join('');
}

/** The bytes for a named key with modifiers; `appCursor` is xterm's application cursor keys mode (DECCKM). */
export function keySequence(key: KeyName, m: Mods, appCursor: boolean): string {
  const alt = m.alt ? ESC : '';
  switch (key) {
    case 'Escape': return alt + ESC;
    case 'Enter': return alt + '\r';
    case 'Backspace': return alt + (m.ctrl ? '\x08' : '\x7f');
    case 'Tab':
      if (m.shift) return alt + `${ESC}[Z`;
      return alt + '\t';
    default: break;
  }
  const final = CURSOR_FINAL[key];
  const mod = modParam(m);
  if (final) {
    if (mod > 1) return `${ESC}[1;${mod}${final}`;
    return appCursor ? `${ESC}O${final}` : `${ESC}[${final}`;
  }
  const code = TILDE_CODE[key]!;
  return mod > 1 ? `${ESC}[${code};${mod}~` : `${ESC}[${code}~`;
}

export type ModState = 'off' | 'once' | 'locked';
export type ModName = 'ctrl' | 'alt';

/**
 * Sticky modifiers of the key bar, as a phone keyboard's shift: one tap arms
 * for the next key, a second tap locks, a third releases. consume() reads
 * them for a key and releases the one-shot ones.
 */
export class StickyModifiers {
  private readonly state: Record<ModName, ModState> = { ctrl: 'off', alt: 'off' };
  private readonly listeners = new Set<() => void>();

  get(name: ModName): ModState {
    return this.state[name];
  }

  /** Any modifier armed or locked. */
  get active(): boolean {
    return this.state.ctrl !== 'off' || this.state.alt !== 'off';
  }

  tap(name: ModName): ModState {
    const next: Record<ModState, ModState> = { off: 'once', once: 'locked', locked: 'off' };
    this.state[name] = next[this.state[name]];
    this.changed();
    return this.state[name];
  }

  /** The modifiers for the key being sent now; one-shot ones are released. */
  consume(): Mods {
    const m: Mods = { ctrl: this.state.ctrl !== 'off', alt: this.state.alt !== 'off' };
    let changed = false;
    for (const k of ['ctrl', 'alt'] as const) {
      if (this.state[k] === 'once') {
        this.state[k] = 'off';
        changed = true;
      }
    }
    if (changed) this.changed();
    return m;
  }

  /** Release everything (e.g. leaving the page). */
  clear(): void {
    if (!this.active) return;
    this.state.ctrl = this.state.alt = 'off';
    this.changed();
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}

/**
 * The edit that turns `before` into `after` for a line editor whose cursor
 * sits at the end: erase back to the first difference, then type the rest.
 * Counted in code points, as a UTF-8 line editor erases one per DEL.
 */
export function textEdit(before: string, after: string): { erase: number; insert: string } {
  const a = Array.from(before);
  const b = Array.from(after);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return { erase: a.length - i, insert: b.slice(i).join('') };
}
