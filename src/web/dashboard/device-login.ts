/**
 * "Log in another device": asks the daemon for a one-time login link
 * (POST /api/login-links) and shows it as a QR code to scan with a phone,
 * and as text to copy. The link works once and expires within minutes.
 */
import type { Api } from '../api.js';
import { HttpError } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { qrSvg } from '../qr.js';

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** A link to 127.0.0.1 or localhost reaches only this computer: a phone needs another address. */
function loopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

export function deviceLoginDialog(win: Window, api: Api): HTMLDialogElement {
  const doc = win.document;
  const body = h('div', { class: 'device-login' }, h('p', { class: 'muted' }, 'Making a login link…'));
  const copy = h('button', { type: 'button', class: 'btn', hidden: true }, 'Copy link');
  const done = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => dialog.close() }, 'Done');
  const dialog = h('dialog', { class: 'dialog', 'aria-label': 'Log in another device' },
    h('div', { class: 'dialog-form' },
      h('h2', {}, 'Log in another device'),
      body,
      h('div', { class: 'dialog-actions' }, copy, done)));
  dialog.addEventListener('close', () => dialog.remove());
  doc.body.append(dialog);
  dialog.showModal();

  api.loginLink().then((link) => {
    copy.hidden = false;
    copy.addEventListener('click', () => {
      win.navigator.clipboard.writeText(link.url).then(() => (copy.textContent = 'Copied'), () => (copy.textContent = 'Select the link to copy it'));
    });
    replaceChildren(body,
      h('p', {}, 'Scan this with the other device\'s camera, or open the link there. It works once, until ', h('strong', {}, clock(link.expiresAt)), '.'),
      qrSvg(link.url, 'QR code of the login link'),
      h('p', { class: 'login-link', 'data-url': link.url }, link.url),
      loopback(link.url)
        ? h('p', { class: 'field-hint' }, 'This address reaches only this computer. For a phone, open Roost here by an address the phone can reach (see "roost serve --host" in the docs) and make the link from there.')
        : null);
  }, (err: unknown) => {
    const message = err instanceof HttpError ? err.message : String(err);
    replaceChildren(body, h('p', { class: 'form-error', role: 'alert' }, `No login link: ${message}`));
  });
  return dialog;
}
