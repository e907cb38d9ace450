/**
 * The size xterm.js will draw its screen at for a given font size, before
 * that font is applied: what view.ts needs to pick the largest text at
 * which another device's window still fits the box whole.
 *
 * A font's line height scaled from one measured at 100 px is not enough: at
 * 12.5 px a line measures 14.54 px, but xterm (6.x) measures a cell the way
 * its CharSizeService does (the canvas's font ascent plus descent, which
 * Chromium rounds to whole pixels: 15) and its renderers round that up to
 * whole device pixels, so 47 rows came out 20 px taller than predicted. So
 * this measures each size as xterm does and rounds as its renderers do
 * (WebglRenderer / DomRenderer `_updateDimensions`). Widths are taken
 * unrounded: the DOM renderer does not round them and the WebGL one rounds
 * down, so this is never narrower than what is drawn.
 */

/** Until a cell can be measured (no layout yet): a monospace cell's width and height per px of font size. */
const CELL_GUESS_PER_PX = { width: 0.6, height: 1.2 };
/** xterm's DOM measure strategy measures a run of this many W's (DomMeasureStrategyConstants.REPEAT). */
const DOM_REPEAT = 32;

export interface CellSize {
  /** CSS px. */
  width: number;
  /** CSS px, as drawn: whole device pixels. */
  height: number;
}

export class CellSizes {
  private readonly measured = new Map<number, { width: number; height: number }>();
  private ctx: OffscreenCanvasRenderingContext2D | null | undefined;

  constructor(private readonly host: HTMLElement, private readonly fontFamily: () => string) {}

  /** One cell at `font` px, as xterm will draw it. */
  cell(font: number): CellSize {
    const raw = this.raw(font);
    const dpr = this.host.ownerDocument.defaultView?.devicePixelRatio || 1;
    return { width: raw.width, height: Math.ceil(raw.height * dpr) / dpr };
  }

  /** The screen (every cell) of `cols` x `rows` at `font` px, in CSS px as xterm sizes it (rounded to whole CSS px). */
  screen(font: number, cols: number, rows: number): { width: number; height: number } {
    const c = this.cell(font);
    return { width: Math.round(cols * c.width), height: Math.round(rows * c.height) };
  }

  /** What xterm's CharSizeService measures at `font` px: a canvas's TextMetrics if it can, else a span's offset size. */
  private raw(font: number): { width: number; height: number } {
    const known = this.measured.get(font);
    if (known) return known;
    const m = this.byCanvas(font) ?? this.byDom(font);
    // Nothing measurable yet (no layout): guess, and measure again next time.
    if (!m) return { width: CELL_GUESS_PER_PX.width * font, height: CELL_GUESS_PER_PX.height * font };
    this.measured.set(font, m);
    return m;
  }

  private byCanvas(font: number): { width: number; height: number } | null {
    if (this.ctx === undefined) {
      try {
        this.ctx = new OffscreenCanvas(100, 100).getContext('2d');
      } catch {
        // No OffscreenCanvas: xterm falls back to measuring a span, and so does this.
        this.ctx = null;
      }
    }
    if (!this.ctx) return null;
    this.ctx.font = `${font}px ${this.fontFamily()}`;
    const m = this.ctx.measureText('W');
    if (!('fontBoundingBoxAscent' in m)) return null;
    const height = m.fontBoundingBoxAscent + m.fontBoundingBoxDescent;
    return m.width > 0 && height > 0 ? { width: m.width, height } : null;
  }

  private byDom(font: number): { width: number; height: number } | null {
    const span = this.host.ownerDocument.createElement('span');
    span.textContent = 'W'.repeat(DOM_REPEAT);
    // CSSOM, not a style attribute: the CSP allows it.
    Object.assign(span.style, { position: 'absolute', visibility: 'hidden', whiteSpace: 'pre', fontKerning: 'none', fontFamily: this.fontFamily(), fontSize: `${font}px` });
    this.host.append(span);
    const width = span.offsetWidth / DOM_REPEAT;
    const height = span.offsetHeight;
    span.remove();
    return width > 0 && height > 0 ? { width, height } : null;
  }
}
