/**
 * The mouse wheel over the terminal when the program asks for no mouse
 * reports (tmux without `mouse on`): xterm alone would turn each notch into
 * an arrow key, which a shell reads as "previous command". Here the wheel
 * scrolls the session's history instead, as a swipe does on a phone (rows
 * for swipe-scroll.ts). With `mouse on`, xterm reports the wheel to tmux
 * (view.ts leaves it alone then).
 */

/** WheelEvent.deltaMode values. */
const DOM_DELTA_LINE = 1;
const DOM_DELTA_PAGE = 2;

export interface WheelRows {
  /** Whole rows for this event (negative: back into history); the fraction waits for the next one. */
  rows(ev: { deltaY: number; deltaMode: number }, rowHeight: number, pageRows: number): number;
}

/** A trackpad sends many small pixel deltas: they add up to rows across events. */
export function wheelRows(): WheelRows {
  let carry = 0;
  return {
    rows(ev, rowHeight, pageRows) {
      const lines = ev.deltaMode === DOM_DELTA_LINE ? ev.deltaY
        : ev.deltaMode === DOM_DELTA_PAGE ? ev.deltaY * pageRows
          : ev.deltaY / Math.max(1, rowHeight);
      // A turn of direction drops what was left of the other one.
      if (Math.sign(lines) !== Math.sign(carry)) carry = 0;
      carry += lines;
      const whole = Math.trunc(carry) || 0; // never -0
      carry -= whole;
      return whole;
    },
  };
}
