/**
 * Touch gestures on the terminal: a vertical swipe scrolls the session's
 * history (through the daemon: tmux copy mode on this device's view), with a
 * fling that coasts to a stop; a sideways one pans a window wider than the
 * screen (another device sizes it); two fingers pinch the font size. A tap
 * stays a tap (xterm focuses the terminal and the keyboard comes up).
 *
 * The terminal element has `touch-action: none` (style.css), so the browser
 * neither pans nor zooms the page under the finger; these listeners are
 * passive. Each gesture has its own tracker below; attachTouchGestures
 * routes the touch events to them.
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
  /** A sideways swipe moved `dx` CSS px (positive: the finger went right). */
  pan(dx: number): void;
  /** Whether there is anything to pan (else sideways moves are not a gesture). */
  canPan(): boolean;
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

/** Pixels moved → whole rows scrolled; the rest carries over to the next move. */
function rowCounter(o: TouchOptions) {
  let carry = 0;
  return {
    reset(): void {
      carry = 0;
    },
    add(dy: number): void {
      // Finger down (dy > 0) drags the text down: earlier lines come into view.
      carry += dy;
      const h = Math.max(1, o.rowHeight());
      const n = Math.trunc(carry / h);
      if (n !== 0) {
        carry -= n * h;
        o.scroll(-n);
      }
    },
  };
}

/** After the finger lifts, scrolling goes on at its speed (px per ms) and slows by FRICTION per frame. */
function flinger(scrollBy: (dy: number) => void) {
  let frame = 0;
  return {
    start(speed: number): void {
      let v = speed;
      let prev = performance.now();
      const step = (now: number) => {
        const elapsed = Math.min(64, now - prev);
        prev = now;
        scrollBy(v * elapsed);
        v *= FRICTION ** (elapsed / 16);
        frame = Math.abs(v) > FLING_MIN_SPEED ? requestAnimationFrame(step) : 0;
      };
      frame = requestAnimationFrame(step);
    },
    stop(): void {
      cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}

/**
 * One finger moving past the slop: up or down, rows as it moves and its
 * speed at the end for a fling; sideways, a pan (no fling).
 */
function swipeTracker(rows: ReturnType<typeof rowCounter>, o: Pick<TouchOptions, 'pan' | 'canPan'>) {
  let start: Point | null = null;
  let lastY = 0;
  let lastX = 0;
  let swiping = false;
  let sideways = false;
  let samples: { t: number; y: number }[] = [];
  return {
    begin(e: TouchEvent): void {
      start = point(e.touches[0]!);
      lastY = start.y;
      lastX = start.x;
      swiping = false;
      sideways = false;
      rows.reset();
      samples = [{ t: e.timeStamp, y: start.y }];
    },
    cancel(): void {
      swiping = false;
      start = null;
    },
    move(e: TouchEvent): void {
      if (!start || e.touches.length !== 1) return;
      const p = point(e.touches[0]!);
      if (!swiping) {
        const dy = Math.abs(p.y - start.y);
        const dx = Math.abs(p.x - start.x);
        if (Math.max(dx, dy) < SLOP_PX || (dx > dy && !o.canPan())) return;
        swiping = true;
        sideways = dx > dy;
        lastY = p.y;
        lastX = p.x;
      }
      if (sideways) {
        o.pan(p.x - lastX);
        lastX = p.x;
        return;
      }
      rows.add(p.y - lastY);
      lastY = p.y;
      samples.push({ t: e.timeStamp, y: p.y });
      while (samples.length > 2 && e.timeStamp - samples[0]!.t > VELOCITY_WINDOW_MS) samples.shift();
    },
    /** The speed to fling at (px per ms), or null: no swipe, a finger still down, or too slow. */
    end(e: TouchEvent): number | null {
      if (!swiping || sideways || e.touches.length > 0) {
        swiping = false;
        start = null;
        return null;
      }
      swiping = false;
      start = null;
      const first = samples[0]!;
      const last = samples[samples.length - 1]!;
      const dt = last.t - first.t;
      const v = dt > 0 ? (last.y - first.y) / dt : 0;
      return Math.abs(v) < FLING_MIN_SPEED * 4 ? null : v;
    },
  };
}

/** Two fingers: the font size follows the distance between them (once per frame) until one lifts. */
function pinchTracker(o: TouchOptions) {
  let from: { dist: number; size: number } | null = null;
  let size = 0;
  let frame = 0;
  return {
    get active(): boolean {
      return from !== null;
    },
    begin(e: TouchEvent): void {
      from = { dist: distance(point(e.touches[0]!), point(e.touches[1]!)), size: o.fontSize() };
      size = from.size;
    },
    /** False when this move is not part of a pinch. */
    move(e: TouchEvent): boolean {
      if (!from || e.touches.length < 2) return false;
      const d = distance(point(e.touches[0]!), point(e.touches[1]!));
      size = from.size * (d / Math.max(1, from.dist));
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          o.pinch(size);
        });
      }
      return true;
    },
    end(e: TouchEvent): void {
      if (e.touches.length >= 2) return;
      cancelAnimationFrame(frame);
      frame = 0;
      o.pinchEnd(size);
      from = null;
    },
    dispose(): void {
      cancelAnimationFrame(frame);
    },
  };
}

export function attachTouchGestures(el: HTMLElement, o: TouchOptions): TouchGestures {
  const rows = rowCounter(o);
  const fling = flinger((dy) => rows.add(dy));
  const swipe = swipeTracker(rows, o);
  const pinch = pinchTracker(o);

  const onStart = (e: TouchEvent) => {
    fling.stop();
    if (e.touches.length === 2) {
      // A second finger turns any swipe into a pinch.
      swipe.cancel();
      pinch.begin(e);
    } else if (e.touches.length === 1) {
      swipe.begin(e);
    }
  };
  const onMove = (e: TouchEvent) => {
    if (!pinch.move(e)) swipe.move(e);
  };
  const onEnd = (e: TouchEvent) => {
    if (pinch.active) return pinch.end(e);
    const speed = swipe.end(e);
    if (speed !== null) fling.start(speed);
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
    stop: () => fling.stop(),
    dispose() {
      fling.stop();
      pinch.dispose();
      el.removeEventListener('gesturestart', noGesture);
      el.removeEventListener('touchstart', onStart, opts);
      el.removeEventListener('touchmove', onMove, opts);
      el.removeEventListener('touchend', onEnd, opts);
      el.removeEventListener('touchcancel', onEnd, opts);
    },
  };
}
