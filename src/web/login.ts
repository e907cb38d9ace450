/**
 * /login: trades the one-time token in the URL fragment (#token=..., as
 * printed by `roost serve` / `roost open`) for the session cookie and wipes
 * it from the address bar before anything else; otherwise a form for a token
 * or the password. Then on to `?next=` (an in-app path) or the dashboard.
 */
import type { AppContext, PageHandle } from './app.js';
import { HttpError } from './api.js';
import { h, replaceChildren } from './dom.js';
import { safeNext } from './router.js';

function explain(err: unknown): string {
  if (!(err instanceof HttpError)) return 'Login failed.';
  if (err.status === 401) return 'That token or password was not accepted. A one-time link from `roost open` works once and expires soon: run it on the server for a fresh one. A link or token from `roost token create` works until it is revoked (`roost token ls` on the server).';
  if (err.status === 429) return `Too many attempts. Try again ${err.retryAfter ? `in ${err.retryAfter} s` : 'in a minute'}.`;
  if (err.status === 0) return 'The Roost daemon cannot be reached. Is `roost serve` running?';
  return `Login failed: ${err.message}`;
}

export function loginPage(ctx: AppContext, root: HTMLElement): PageHandle {
  const { win } = ctx;
  const doc = win.document;
  doc.title = 'Log in · Roost';
  const next = safeNext(win.location.search);

  // The token must not stay in the address bar, history or a screenshot: drop it first.
  const hash = win.location.hash;
  const fromLink = hash.startsWith('#token=') ? new URLSearchParams(hash.slice(1)).get('token') : null;
  if (hash) win.history.replaceState(null, '', win.location.pathname + win.location.search);

  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const kindToken = h('input', { type: 'radio', name: 'kind', value: 'token', checked: true });
  const kindPassword = h('input', { type: 'radio', name: 'kind', value: 'password' });
  const secret = h('input', { type: 'password', name: 'secret', required: true, autocomplete: 'current-password', autocapitalize: 'off', spellcheck: 'false', 'aria-label': 'Token or password' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, 'Log in');
  const form = h('form', { class: 'login-form', novalidate: true },
    h('fieldset', { class: 'segmented' },
      h('legend', { class: 'sr-only' }, 'Log in with'),
      h('label', {}, kindToken, h('span', {}, 'Token')),
      h('label', {}, kindPassword, h('span', {}, 'Password'))),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Token or password'), secret),
    error, submit);
  const card = h('main', { class: 'login' },
    h('h1', { class: 'brand' }, 'Roost'),
    h('p', { class: 'muted' }, 'Open the login link that ', h('code', {}, 'roost serve'), ' or ', h('code', {}, 'roost open'), ' printed, or paste a token here.'),
    status, form);
  replaceChildren(root, h('div', { class: 'login-page' }, card));

  let active = true;
  const showError = (err: unknown) => {
    // `...` in the words is a command: shown as code, as the hint above shows its own.
    replaceChildren(error, ...explain(err).split('`').map((part, i) => (i % 2 ? h('code', {}, part) : part)));
    error.hidden = false;
  };
  const attempt = async (cred: { token: string } | { password: string }) => {
    error.hidden = true;
    submit.disabled = true;
    try {
      await ctx.api.login(cred);
      if (active) ctx.navigate(next, { replace: true });
    } catch (err) {
      if (active) showError(err);
    } finally {
      submit.disabled = false;
    }
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = secret.value;
    if (!value) {
      showError(new Error('empty'));
      error.textContent = 'Type a token or a password.';
      secret.focus();
      return;
    }
    secret.value = '';
    void attempt(kindPassword.checked ? { password: value } : { token: value });
  });

  if (fromLink) {
    status.textContent = 'Logging in…';
    form.hidden = true;
    void attempt({ token: fromLink }).then(() => {
      status.textContent = '';
      form.hidden = false;
    });
  } else {
    secret.focus();
  }

  return {
    dispose() {
      active = false;
    },
  };
}
