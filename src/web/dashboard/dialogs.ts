/**
 * The dashboard's dialogs: create a session, rename one, kill one (with the
 * name spelled out so the click is deliberate). Each validates names with the
 * shared name rule before asking the daemon, and shows the daemon's error
 * in place if it refuses.
 */
import { checkName } from '../../shared/names.js';
import type { Api } from '../api.js';
import { HttpError } from '../api.js';
import { h, type Child } from '../dom.js';
import { splitCommand } from './format.js';

interface Modal {
  dialog: HTMLDialogElement;
  form: HTMLFormElement;
  error: HTMLElement;
  submit: HTMLButtonElement;
}

/** A modal form; `onSubmit` resolving closes it, throwing shows the message. */
function modal(doc: Document, title: string, body: Child[], submitLabel: string, danger: boolean, onSubmit: () => Promise<void>): Modal {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: danger ? 'btn btn-danger' : 'btn btn-primary' }, submitLabel);
  const cancel = h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel');
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', {}, title), ...body, error, h('div', { class: 'dialog-actions' }, cancel, submit));
  const dialog = h('dialog', { class: 'dialog' }, form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    onSubmit().then(() => dialog.close(), (err: unknown) => {
      error.textContent = messageOf(err);
      error.hidden = false;
      submit.disabled = false;
    });
  });
  dialog.addEventListener('close', () => dialog.remove());
  doc.body.append(dialog);
  dialog.showModal();
  return { dialog, form, error, submit };
}

function messageOf(err: unknown): string {
  if (err instanceof HttpError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

function field(label: string, input: HTMLInputElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

function textInput(name: string, props: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { type: 'text', name, autocomplete: 'off', autocapitalize: 'off', autocorrect: 'off', spellcheck: 'false', ...props });
}

function validName(value: string, what: string): string {
  const c = checkName(value, what);
  if (!c.ok) throw new Error(c.error);
  return c.name;
}

export function createSessionDialog(doc: Document, api: Api): void {
  const name = textInput('name', { required: true, maxlength: '64', placeholder: 'e.g. work', enterkeyhint: 'next' });
  const command = textInput('command', { placeholder: 'default: your shell', enterkeyhint: 'next' });
  const cwd = textInput('cwd', { placeholder: 'default: your home folder', enterkeyhint: 'go' });
  modal(doc, 'New session', [
    field('Name', name, 'Letters, digits, "_" and "-".'),
    field('Command (optional)', command, 'Split into arguments at spaces; no shell quoting.'),
    field('Directory (optional)', cwd),
  ], 'Create', false, async () => {
    const req: { name: string; command?: string[]; cwd?: string } = { name: validName(name.value.trim(), 'session name') };
    const argv = splitCommand(command.value);
    if (argv) req.command = argv;
    if (cwd.value.trim()) req.cwd = cwd.value.trim();
    await api.createSession(req);
  });
  name.focus();
}

export function renameSessionDialog(doc: Document, api: Api, current: string): void {
  const name = textInput('name', { required: true, maxlength: '64', value: current, enterkeyhint: 'go' });
  modal(doc, 'Rename session', [
    h('p', {}, 'Rename ', h('strong', {}, current), ' to:'),
    field('New name', name, 'Letters, digits, "_" and "-".'),
  ], 'Rename', false, async () => {
    const next = validName(name.value.trim(), 'session name');
    if (next !== current) await api.renameSession(current, next);
  });
  name.select();
}

export function killSessionDialog(doc: Document, api: Api, target: string): void {
  // showModal focuses the first button, Cancel: Enter alone never kills.
  modal(doc, 'Kill session?', [
    h('p', {}, 'Kill ', h('strong', {}, target), '? Every window and program in it ends. This cannot be undone.'),
  ], 'Kill session', true, async () => {
    await api.killSession(target);
  });
}
