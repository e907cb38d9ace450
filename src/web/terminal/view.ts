/**
 * The xterm.js screen of a terminal page: addons (fit, unicode11, web-links,
 * search), the WebGL renderer with a fall back to the DOM renderer, fitting
 * to its box, and the safety settings (no clipboard reads, no reports that
 * would echo terminal content back into the session).
 */
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import type { TerminalSink } from './connection.js';
import { parseOsc52 } from './osc52.js';

/** Lines xterm keeps above the screen. tmux holds the real history; this covers recent scrolling. */
const SCROLLBACK_LINES = 5000;

const THEME: ITheme = {
  background: '#101317',
  foreground: '#d8dee6',
  cursor: '#f0c674',
  cursorAccent: '#101317',
  selectionBackground: '#3a4b63',
};

export type Renderer = 'webgl' | 'dom';

export interface ViewOptions {
  /** Bytes the user typed (or xterm's own replies to the program). */
  onInput(data: string, binary: boolean): void;
  /** The grid size changed (fit). */
  onResize(cols: number, rows: number): void;
  /** Font size in CSS px (default 14). */
  fontSize?: number;
}

/** What a test or a later scrollback reader may read from the screen. */
export interface ScreenProbe {
  text(): string;
  renderer(): Renderer;
  /** The cursor row's box in page coordinates. */
  cursorRect(): DOMRect | null;
  rows(): number;
  fontSize(): number;
}

export class TerminalView {
  readonly term: Terminal;
  readonly search = new SearchAddon();
  private readonly fitAddon = new FitAddon();
  private webgl: WebglAddon | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private fitQueued = 0;
  private disposed = false;

  constructor(private readonly host: HTMLElement, o: ViewOptions) {
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
    this.term.loadAddon(this.fitAddon);
    this.term.loadAddon(this.search);
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
    this.term.onData((d) => o.onInput(d, false));
    this.term.onBinary((d) => o.onInput(d, true));
    this.term.onResize(({ cols, rows }) => o.onResize(cols, rows));

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
      fontSize: () => this.fontSize,
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

  /** Application cursor keys mode (DECCKM): arrows send ESC O A instead of ESC [ A. */
  get appCursor(): boolean {
    return this.term.modes.applicationCursorKeysMode;
  }

  get fontSize(): number {
    return this.term.options.fontSize ?? 14;
  }

  /** Change the font size and refit (the new grid size goes to the session as a RESIZE). */
  setFontSize(px: number): void {
    if (px === this.term.options.fontSize) return;
    this.term.options.fontSize = px;
    this.queueFit();
  }

  /** Height of one row in CSS px (for turning swipes into rows). */
  rowHeight(): number {
    const screen = this.host.querySelector<HTMLElement>('.xterm-screen');
    const h = screen ? screen.getBoundingClientRect().height / this.term.rows : 0;
    return h > 0 ? h : this.fontSize * 1.2;
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

  /** Fit the grid to the box now (e.g. before HELLO announces the size). */
  fit(): void {
    if (this.disposed || this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
    try {
      this.fitAddon.fit();
    } catch {
      // Before the renderer has measured a cell there is nothing to fit; the next resize does it.
    }
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
