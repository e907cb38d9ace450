/**
 * A list of elements kept in step with a list of items by key: an item's
 * element is rebuilt only when what it shows changed (its `json`), so a tap
 * never lands on an element replaced between touch and click and a button
 * waiting for a confirming tap keeps its state; elements are reordered in
 * place and removed when their item goes. Used by the Schedules views (the Jobs list and the session cards do the same by hand).
 */

export interface KeyedList<T> {
  /** Show `items` in this order; `fresh` is called for every element kept (for text that moves all the time). */
  show(items: readonly T[], fresh?: (item: T, el: HTMLElement) => void): void;
}

export function keyedList<T, K>(parent: HTMLElement, key: (item: T) => K, json: (item: T) => string, build: (item: T) => HTMLElement): KeyedList<T> {
  const built = new Map<K, { json: string; el: HTMLElement }>();
  return {
    show(items, fresh) {
      const keep = new Set<K>();
      items.forEach((item, i) => {
        const k = key(item);
        const j = json(item);
        let entry = built.get(k);
        if (!entry || entry.json !== j) {
          const el = build(item);
          entry?.el.replaceWith(el);
          entry = { json: j, el };
          built.set(k, entry);
        }
        fresh?.(item, entry.el);
        keep.add(k);
        const at = parent.children[i];
        if (at !== entry.el) parent.insertBefore(entry.el, at ?? null);
      });
      for (const [k, entry] of built) {
        if (!keep.has(k)) {
          entry.el.remove();
          built.delete(k);
        }
      }
    },
  };
}
