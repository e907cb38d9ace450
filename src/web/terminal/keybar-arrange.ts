/**
 * "Arrange keys": a dialog to choose the key bar's main keys and their
 * order — the main row as a list with up, down and remove, the other keys
 * with add — saved for this device (prefs.ts) on Done; Reset brings back
 * the default. Text as text nodes, no markup.
 */
import { h, replaceChildren } from '../dom.js';
import { DEFAULT_MAIN, keyById, MAX_MAIN, moreRow, moveKey } from './keybar-keys.js';

export interface ArrangeOptions {
  doc: Document;
  main: readonly string[];
  /** Done: the new main row. */
  save(main: string[]): void;
}

export function arrangeKeys(o: ArrangeOptions): HTMLDialogElement {
  let main = [...o.main];
  const onBar = h('ol', { class: 'arrange-list', 'aria-label': 'Main keys, in order' });
  const others = h('ul', { class: 'arrange-list arrange-others', 'aria-label': 'Other keys' });
  const hint = h('p', { class: 'field-hint' });
  const small = (label: string, name: string, act: () => void, disabled = false) =>
    h('button', { type: 'button', class: 'btn btn-small', 'aria-label': name, title: name, disabled, onclick: act }, label);

  function render(): void {
    replaceChildren(onBar, ...main.map((id, i) => {
      const k = keyById(id)!;
      return h('li', { class: 'arrange-item', 'data-key': id },
        h('span', { class: 'arrange-label' }, k.label), h('span', { class: 'arrange-name muted' }, k.name),
        small('↑', `Move ${k.name} left`, () => update(moveKey(main, id, -1)), i === 0),
        small('↓', `Move ${k.name} right`, () => update(moveKey(main, id, 1)), i === main.length - 1),
        small('✕', `Take ${k.name} off the main row`, () => update(main.filter((x) => x !== id)), main.length === 1));
    }));
    replaceChildren(others, ...moreRow(main).map((k) => h('li', { class: 'arrange-item', 'data-key': k.id },
      h('span', { class: 'arrange-label' }, k.label), h('span', { class: 'arrange-name muted' }, k.name),
      small('+', `Put ${k.name} on the main row`, () => update([...main, k.id]), main.length >= MAX_MAIN))));
    hint.textContent = `The main row shares the screen's width: ${main.length} of at most ${MAX_MAIN} keys. The rest are behind ⋯.`;
  }
  function update(next: string[]): void {
    main = next;
    render();
  }

  const done = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Done');
  const reset = h('button', { type: 'button', class: 'btn', onclick: () => update([...DEFAULT_MAIN]) }, 'Reset');
  const cancel = h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel');
  const form = h('form', { class: 'dialog-form', method: 'dialog' },
    h('h2', {}, 'Arrange keys'), hint,
    h('h3', { class: 'arrange-heading' }, 'Main row (left to right)'), onBar,
    h('h3', { class: 'arrange-heading' }, 'Behind ⋯'), others,
    h('div', { class: 'dialog-actions' }, reset, cancel, done));
  const dialog = h('dialog', { class: 'dialog arrange' }, form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    o.save(main);
    dialog.close();
  });
  dialog.addEventListener('close', () => dialog.remove());
  render();
  o.doc.body.append(dialog);
  dialog.showModal();
  return dialog;
}
