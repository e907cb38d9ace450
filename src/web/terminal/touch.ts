/**
 * Touch gestures on the terminal: a vertical swipe scrolls the session's
 * history (through the daemon: tmux copy mode on this device's view), with a
 * fling that coasts to a stop; two fingers pinch the font size. A tap stays
 * a tap (xterm focuses the terminal and the keyboard comes up).
 *
 * The terminal element has `touch-action: none` (style.css), so the browser
 * neither pans nor zooms the page under the finger; these listeners are
 * passive.
 */

export interface TouchOptions {
  /** Height of one terminal row in CSS px. */
  rowHeight(): number;
  /** Scroll by whole rows: negative back into history, positive towards live output. */
  scroll(rows: number): void;
  fontSize(): number;
  /** A new font size while pinching (called at most once per frame). */
  pinch(px: number): void;
  /** The pinch ended at this size. */
  pinchEnd(px: number): void;
}

/** A finger must move this far (px) before a touch becomes a swipe rather than a tap. */
const SLOP_PX = 10;
/** A fling keeps going while faster than this (px per ms); it slows by FRICTION per 16 ms frame. */
const FLING_MIN_SPEED = 0.05;
const FRICTION = 0.95;
/** Only the last this-many ms of a swipe count towards the fling speed. */
const VELOCITY_WINDOW_MS = 100;

interface Point {
  x: number;
  y: number;
}

const point = (t: Touch): Point => ({ x: t.clientX, y: t.clientY });
const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

export interface TouchGestures {
  /** Stop a fling still coasting (the user typed: the view goes live). */
  stop(): void;
  dispose(): void;
}

export function attachTouchGestures(el: HTMLElement, o: TouchOptions): TouchGestures {
  let start: Point | null = null;
  let lastY = 0;
  let swiping = false;
  /** Pixels moved but not yet turned into whole rows. */
  let carry = 0;
  let samples: { t: number; y: number }[] = [];
  let fling = 0;
  let pinchFrom: { dist: number; size: number } | null = null;
  let pinchSize = 0;
  let pinchFrame = 0;

  const rows = (dy: number) => {
    // Finger down (dy > 0) drags the text down: earlier lines come into view.
    carry += dy;
    const h = Math.max(1, o.rowHeight());
    const n = Math.trunc(carry / h);
    if (n !== 0) {
      carry -= n * h;
      o.scroll(-n);
    }
  };
  const stopFling = () => {
    cancelAnimationFrame(fling);
    fling = 0;
  };

  const onStart = (e: TouchEvent) => {
    stopFling();
    if (e.touches.length === 2) {
      // A second finger turns any swipe into a pinch.
      swiping = false;
      start = null;
      pinchFrom = { dist: distance(point(e.touches[0]!), point(e.touches[1]!)), size: o.fontSize() };
      pinchSize = pinchFrom.size;
      return;
    }
    if (e.touches.length !== 1) return;
    start = point(e.touches[0]!);
    lastY = start.y;
    swiping = false;
    carry = 0;
    samples = [{ t: e.timeStamp, y: start.y }];
  };

  const onMove = (e: TouchEvent) => {
    if (pinchFrom && e.touches.length >= 2) {
      const d = distance(point(e.touches[0]!), point(e.touches[1]!));
      pinchSize = pinchFrom.size * (d / Math.max(1, pinchFrom.dist));
      if (!pinchFrame) {
        pinchFrame = requestAnimationFrame(() => {
          pinchFrame = 0;
          o.pinch(pinchSize);
        });
      }
      return;
    }
    if (!start || e.touches.length !== 1) return;
    const p = point(e.touches[0]!);
    if (!swiping) {
      const dy = Math.abs(p.y - start.y);
      if (dy < SLOP_PX || dy < Math.abs(p.x - start.x)) return;
      swiping = true;
      lastY = p.y;
    }
    rows(p.y - lastY);
    lastY = p.y;
    samples.push({ t: e.timeStamp, y: p.y });
    while (samples.length > 2 && e.timeStamp - samples[0]!.t > VELOCITY_WINDOW_MS) samples.shift();
  };

  const onEnd = (e: TouchEvent) => {
    if (pinchFrom) {
      if (e.touches.length < 2) {
        cancelAnimationFrame(pinchFrame);
        pinchFrame = 0;
        o.pinchEnd(pinchSize);
        pinchFrom = null;
      }
      return;
    }
    if (!swiping || e.touches.length > 0) {
      start = null;
      return;
    }
    swiping = false;
    start = null;
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    const dt = last.t - first.t;
    let v = dt > 0 ? (last.y - first.y) / dt : 0;
    if (Math.abs(v) < FLING_MIN_SPEED * 4) return;
    let prev = performance.now();
    const step = (now: number) => {
      const elapsed = Math.min(64, now - prev);
      prev = now;
      rows(v * elapsed);
      v *= FRICTION ** (elapsed / 16);
      fling = Math.abs(v) > FLING_MIN_SPEED ? requestAnimationFrame(step) : 0;
    };
    fling = requestAnimationFrame(step);
  };

  const opts = { passive: true, capture: true };
  // Safari's own pinch events: not zooming the page there either (its touch-action support has gaps).
  const noGesture = (e: Event) => e.preventDefault();
  el.addEventListener('gesturestart', noGesture);
  el.addEventListener('touchstart', onStart, opts);
  el.addEventListener('touchmove', onMove, opts);
  el.addEventListener('touchend', onEnd, opts);
  el.addEventListener('touchcancel', onEnd, opts);
  return {
    stop: stopFling,
    dispose() {
      stopFling();
      cancelAnimationFrame(pinchFrame);
      el.removeEventListener('gesturestart', noGesture);
      el.removeEventListener('touchstart', onStart, opts);
      el.removeEventListener('touchmove', onMove, opts);
      el.removeEventListener('touchend', onEnd, opts);
      el.removeEventListener('touchcancel', onEnd, opts);
    },
  };
}
