/**
 * The xterm.js screen of a terminal page: addons (fit, unicode11,
 * web-links), the WebGL renderer with a fall back to the DOM renderer, its
 * size, and the safety settings (no clipboard reads, no reports that would
 * echo terminal content back into the session).
 *
 * Its size: while this device sizes the window it shows, the grid fits the
 * box (and the window follows). While another device does, the grid is the
 * window's own size, whatever the box: a window smaller than the box shows
 * at this device's text size; a larger one either keeps that text size (as
 * far as the box's height allows) and scrolls sideways (`pan`), or shrinks
 * the text until it all fits (`zoom`).
 */
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import type { TerminalSink } from './connection.js';
import { CellSizes } from './cell-size.js';
import { parseOsc52 } from './osc52.js';
import { wheelRows } from './wheel.js';

/** How the grid is sized: to the box, or to another device's window shown whole. */
export type ScreenSizing = { mode: 'fit' } | { mode: 'window'; cols: number; rows: number; wide: 'pan' | 'zoom' };

/** The smallest text (CSS px) zoom goes down to: a window this wide on a phone is a map, not something to read. */
const ZOOM_MIN_FONT_PX = 3;
/** The step (CSS px) between the text sizes tried for a window shown whole: close to the box without many sizes to measure. */
const FONT_STEP_PX = 0.5;

/**
 * Lines xterm keeps above the screen: none. tmux holds the history, and a
 * tmux client draws in the alternate screen, which has no scrollback; with
 * some, xterm would keep a scrollbar strip that costs columns (the fit addon
 * leaves it room).
 */
const SCROLLBACK_LINES = 0;

const THEME: ITheme = {
  background: '#101317',
  foreground: '#d8dee6',
  cursor: '#f0c674',
  cursorAccent: '#101317',
  selectionBackground: '#3a4b63',
};

export type Renderer = 'webgl' | 'dom';

export interface ViewOptions {
  /** Bytes for the program: `typed` when a person typed or pasted them, not xterm's own replies or mouse reports. */
  onInput(data: string, binary: boolean, typed: boolean): void;
  /** The grid size changed (fit). */
  onResize(cols: number, rows: number): void;
  /** Font size in CSS px (default 14). */
  fontSize?: number;
  /** Rows the mouse wheel turned while the program takes no mouse reports (wheel.ts); negative: back into history. */
  wheel?(rows: number): void;
}

/** What a test or a later scrollback reader may read from the screen. */
export interface ScreenProbe {
  text(): string;
  renderer(): Renderer;
  /** The cursor row's box in page coordinates. */
  cursorRect(): DOMRect | null;
  rows(): number;
  cols(): number;
  /** The text size this device chose. */
  fontSize(): number;
  /** The text size drawn (smaller while showing a wider window zoomed out, or one taller than the box). */
  shownFontSize(): number;
  /** The mouse reporting the program asked for (xterm's mouseTrackingMode: none, x10, vt200, drag, any). */
  mouse(): string;
  /** Which of xterm's buffers is shown: tmux draws in the alternate one. */
  buffer(): 'normal' | 'alternate';
}

export class TerminalView {
  readonly term: Terminal;
  private readonly fitAddon = new FitAddon();
  private webgl: WebglAddon | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private fitQueued = 0;
  private disposed = false;
  private sizing: ScreenSizing = { mode: 'fit' };
  /** The text size this device chose (A−/A+, pinch); what shows may be smaller while zoomed or fitting rows. */
  private chosenFont: number;
  /** What xterm will draw a cell and the screen at, per font size (cell-size.ts). */
  private readonly cells: CellSizes;
  /** A key or paste is being handled: the data xterm sends for it is typed. */
  private typing = false;

  constructor(private readonly host: HTMLElement, o: ViewOptions) {
    this.chosenFont = o.fontSize ?? 14;
    this.term = new Terminal({
      // unicode11 registers a Unicode version through the proposed API.
      allowProposedApi: true,
      scrollback: SCROLLBACK_LINES,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: o.fontSize ?? 14,
      cursorBlink: true,
      theme: THEME,
      // Never answer window-size or title queries: a reply is typed into the session.
      windowOptions: {},
    });
    this.cells = new CellSizes(host, () => this.term.options.fontFamily ?? 'monospace');
    this.term.loadAddon(this.fitAddon);
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.loadAddon(new WebLinksAddon((_event, uri) => {
      if (/^https?:\/\//i.test(uri)) window.open(uri, '_blank', 'noopener,noreferrer');
    }));
    this.term.parser.registerOscHandler(52, (payload) => {
      const r = parseOsc52(payload);
      // Writes only right after a key press or click; reads never.
      if (r.kind === 'write' && navigator.userActivation?.isActive && navigator.clipboard) {
        // A refused clipboard write (no focus, permission) only loses the copy.
        navigator.clipboard.writeText(r.text).catch(() => {});
      }
      return true;
    });
    // xterm fires onKey just before the data of a key it handles; a paste is marked by the paste event around it.
    this.term.onKey(() => {
      this.typing = true;
    });
    const typed = () => {
      const t = this.typing;
      this.typing = false;
      return t;
    };
    host.addEventListener('paste', () => (this.typing = true), true);
    host.addEventListener('paste', () => (this.typing = false));
    this.term.onData((d) => o.onInput(d, false, typed()));
    this.term.onBinary((d) => o.onInput(d, true, typed()));
    this.term.onResize(({ cols, rows }) => o.onResize(cols, rows));
    const wheel = wheelRows();
    this.term.attachCustomWheelEventHandler((ev) => {
      // With tmux's mouse on, tmux asks for mouse reports and gets the wheel as one.
      if (!o.wheel || ev.deltaY === 0 || this.term.modes.mouseTrackingMode !== 'none') return true;
      ev.preventDefault();
      const rows = wheel.rows(ev, this.rowHeight(), this.term.rows);
      if (rows !== 0) o.wheel(rows);
      return false;
    });

    this.term.open(host);
    this.loadWebgl();
    this.fit();
    this.resizeObserver = new ResizeObserver(() => this.queueFit());
    this.resizeObserver.observe(host);
    (host as HTMLElement & { roostScreen?: ScreenProbe }).roostScreen = {
      text: () => this.text(),
      renderer: () => (this.webgl ? 'webgl' : 'dom'),
      cursorRect: () => this.cursorRect(),
      rows: () => this.term.rows,
      cols: () => this.term.cols,
      fontSize: () => this.fontSize,
      shownFontSize: () => this.term.options.fontSize ?? this.chosenFont,
      mouse: () => this.term.modes.mouseTrackingMode,
      buffer: () => this.term.buffer.active.type,
    };
  }

  /** The sink the connection writes into. */
  get sink(): TerminalSink {
    return {
      write: (data, done) => this.term.write(data, done),
      // Through the write queue (RIS), so output of the old connection still
      // queued lands before the reset, not after it.
      reset: () => this.term.write('\x1bc'),
      size: () => ({ cols: this.term.cols, rows: this.term.rows }),
    };
  }

  setReadOnly(readOnly: boolean): void {
    this.term.options.disableStdin = readOnly;
  }

  focus(): void {
    this.term.focus();
  }

  /** xterm's hidden textarea, where keyboards type (ime.ts takes it over). */
  get textarea(): HTMLTextAreaElement {
    return this.term.textarea!;
  }

  /** The text selected on the screen ('' for none). */
  selection(): string {
    return this.term.getSelection();
  }

  /** Application cursor keys mode (DECCKM): arrows send ESC O A instead of ESC [ A. */
  get appCursor(): boolean {
    return this.term.modes.applicationCursorKeysMode;
  }

  /** The text size this device chose. */
  get fontSize(): number {
    return this.chosenFont;
  }

  /** Change the font size and refit (the new grid size goes to the session as a RESIZE). */
  setFontSize(px: number): void {
    if (px === this.chosenFont) return;
    this.chosenFont = px;
    this.queueFit();
  }

  /** Fit the box, or show another device's window whole (see the top of the file). */
  setSizing(s: ScreenSizing): void {
    this.sizing = s;
    this.fit();
  }

  /** A window of `cols` columns is wider than the box at this device's text size. */
  widerThanBox(cols: number): boolean {
    return this.cells.screen(this.chosenFont, cols, 1).width > this.host.clientWidth + 1;
  }

  /** Shows a window wider than the box, which pan() scrolls sideways. */
  get pannable(): boolean {
    return this.host.classList.contains('term-pan');
  }

  /** Scroll a window wider than the box sideways by `dx` CSS px (a swipe; positive shows what is further left). */
  pan(dx: number): void {
    if (this.pannable) this.host.scrollLeft -= dx;
  }

  /** Height of one row in CSS px (for turning swipes into rows). */
  rowHeight(): number {
    const screen = this.host.querySelector<HTMLElement>('.xterm-screen');
    const h = screen ? screen.getBoundingClientRect().height / this.term.rows : 0;
    return h > 0 ? h : this.fontSize * 1.2;
  }

  /** The grid's box on the page (xterm's screen); null before it is drawn. */
  screenBox(): DOMRect | null {
    return this.host.querySelector<HTMLElement>('.xterm-screen')?.getBoundingClientRect() ?? null;
  }

  /** The cursor's row box on the page (for tests and for keeping it in view). */
  cursorRect(): DOMRect | null {
    const screen = this.host.querySelector<HTMLElement>('.xterm-screen');
    if (!screen) return null;
    const r = screen.getBoundingClientRect();
    const rowH = r.height / this.term.rows;
    const y = this.term.buffer.active.cursorY;
    return new DOMRect(r.left, r.top + y * rowH, r.width, rowH);
  }

  /** Size the grid now (e.g. before HELLO announces the size): to the box, or to the window shown. */
  fit(): void {
    if (this.disposed || this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
    const s = this.sizing;
    if (s.mode === 'fit') {
      this.setShownFont(this.chosenFont);
      this.host.classList.remove('term-pan', 'term-window');
      this.host.scrollLeft = 0;
      try {
        this.fitAddon.fit();
      } catch {
        // Before the renderer has measured a cell there is nothing to fit; the next resize does it.
      }
      return;
    }
    if (this.term.cols !== s.cols || this.term.rows !== s.rows) this.term.resize(s.cols, s.rows);
    const box = { width: this.host.clientWidth, height: this.host.clientHeight };
    // The largest step at most the chosen size whose screen, as xterm will draw it, fits the box's height (and
    // width, zoomed). Measured per size, not scaled: xterm rounds a row to whole pixels, and 47 rows of a
    // scaled estimate once overflowed by 20 px.
    const fits = (font: number) => {
      const screen = this.cells.screen(font, s.cols, s.rows);
      return screen.height <= box.height && (s.wide !== 'zoom' || screen.width <= box.width);
    };
    let font = Math.max(ZOOM_MIN_FONT_PX, Math.floor(this.chosenFont / FONT_STEP_PX) * FONT_STEP_PX);
    while (font > ZOOM_MIN_FONT_PX && !fits(font)) font -= FONT_STEP_PX;
    this.setShownFont(font);
    this.host.classList.add('term-window');
    this.host.classList.toggle('term-pan', this.cells.screen(font, s.cols, s.rows).width > box.width + 1);
  }

  private setShownFont(px: number): void {
    if (this.term.options.fontSize !== px) this.term.options.fontSize = px;
  }

  /** The visible screen as text, one line per row (trailing blanks trimmed). */
  text(): string {
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < this.term.rows; y++) lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  dispose(): void {
    this.disposed = true;
    cancelAnimationFrame(this.fitQueued);
    this.resizeObserver?.disconnect();
    this.term.dispose();
  }

  private queueFit(): void {
    cancelAnimationFrame(this.fitQueued);
    this.fitQueued = requestAnimationFrame(() => this.fit());
  }

  private loadWebgl(): void {
    try {
      const gl = new WebglAddon();
      // A lost context (GPU reset, too many contexts) falls back to the DOM renderer.
      gl.onContextLoss(() => {
        gl.dispose();
        if (this.webgl === gl) this.webgl = null;
        this.host.dataset['renderer'] = 'dom';
        // The DOM renderer measures cells its own way: refit to its grid.
        this.queueFit();
      });
      this.term.loadAddon(gl);
      this.webgl = gl;
      this.host.dataset['renderer'] = 'webgl';
    } catch {
      // No WebGL2 here: xterm keeps its DOM renderer.
      this.webgl = null;
      this.host.dataset['renderer'] = 'dom';
    }
  }
}
