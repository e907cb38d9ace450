/**
 * tmux window layouts (`#{window_layout}`), read enough to restore one:
 *
 *   c08a,100x30,0,0[100x15,0,0,0,100x14,0,16,1]
 *   ^csum ^size ^offset ^children: [] top to bottom, {} left to right;
 *                       a leaf ends in its pane's number
 *
 * select-layout fills the leaves, depth first, with the window's panes in
 * list order; restore creates the panes in that order (leafPanes), so each
 * saved pane lands in its own cell. The checksum is tmux's (layout.c).
 */

export interface LayoutInfo {
  width: number;
  height: number;
  /** Pane numbers of the leaves, depth first (the order select-layout fills them). */
  leaves: number[];
}

/** tmux's layout checksum: 16 bits, rotate right, add each byte. */
export function layoutChecksum(body: string): string {
  let csum = 0;
  for (let i = 0; i < body.length; i++) {
    csum = (csum >> 1) + ((csum & 1) << 15);
    csum = (csum + body.charCodeAt(i)) & 0xffff;
  }
  return csum.toString(16).padStart(4, '0');
}

/** Parse a layout; null when it is not one tmux would take (bad syntax or checksum). */
export function parseLayout(layout: string): LayoutInfo | null {
  const m = /^([0-9a-f]{4}),(.+)$/.exec(layout);
  if (!m || layoutChecksum(m[2]!) !== m[1]) return null;
  const body = m[2]!;
  let i = 0;
  const leaves: number[] = [];
  const num = (): number | null => {
    const start = i;
    while (i < body.length && body[i]! >= '0' && body[i]! <= '9') i++;
    return i > start ? Number(body.slice(start, i)) : null;
  };
  const expect = (c: string): boolean => (body[i] === c ? (i++, true) : false);
  const cell = (): { w: number; h: number } | null => {
    const w = num();
    if (w === null || !expect('x')) return null;
    const h = num();
    if (h === null || !expect(',') || num() === null || !expect(',') || num() === null) return null;
    if (body[i] === '{' || body[i] === '[') {
      const close = body[i] === '{' ? '}' : ']';
      i++;
      for (;;) {
        if (!cell()) return null;
        if (expect(close)) break;
        if (!expect(',')) return null;
      }
      return { w, h };
    }
    if (!expect(',')) return null;
    const id = num();
    if (id === null) return null;
    leaves.push(id);
    return { w, h };
  };
  const top = cell();
  if (!top || i !== body.length) return null;
  return { width: top.w, height: top.h, leaves };
}
