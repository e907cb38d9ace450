/**
 * Browser tests' parts: real Chromium through playwright-core, and a real
 * Roost daemon (`roost serve --port 0`) in its own HOME and XDG folders on
 * the test's private tmux server. Everything started here is stopped by an
 * `after` hook of the calling test file, by pid.
 */
import { after } from 'node:test';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { killOnExit, testEnv, waitFor, type TestTmux, RM_TREE, stretch } from './tmux.js';
import { ClientType } from '../../src/shared/protocol.js';
import type { ScheduleInfo } from '../../src/shared/schedules.js';

// In-page code (page.evaluate) sees the browser's globals; declared for this file only.
declare const window: Record<string, unknown>;
declare const document: {
  addEventListener(type: string, fn: (e: { violatedDirective: string; blockedURI: string; sample: string }) => void): void;
  querySelector(sel: string): { dataset: Record<string, string | undefined>; roostScreen?: { text(): string } } | null;
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = join(root, 'bin', 'roost');
export const ARTIFACTS = join(root, 'test-artifacts');

/** The flags every launch needs here: no sandbox (containers), no GPU, and no background traffic on a closed network. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** A 390x844 phone with touch. Launch with `phoneScale` so WebGL draws at the emulated pixel ratio. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3 };
/**
 * Emulated device scale factors do not reach ResizeObserver's device-pixel
 * box in headless Chromium, which xterm's WebGL renderer sizes its canvas by;
 * forcing the real factor to match makes the phone screenshots true.
 */
export const PHONE_SCALE_ARGS = ['--force-device-scale-factor=3'];

/**
 * Chromium with a fresh profile (playwright makes a new user-data-dir per
 * launch and deletes it on close). Closed after the file.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
  after(() => browser.close());
  return browser;
}

/** A temporary HOME, removed after the file. */
export function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'roost-browser-'));
  // node:test runs after() hooks in the order they were registered, so this one comes before the stop of a
  // daemon started later on this home: stop it first, or it writes into the folder while it is removed.
  after(async () => {
    await stopsByHome.get(home)?.();
    rmSync(home, RM_TREE);
  });
  return home;
}

/** Each home's daemon's stop, for tempHome's clean-up. */
const stopsByHome = new Map<string, () => Promise<void>>();

export interface Daemon {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** The one-time login link it printed. */
  loginUrl: string;
  pid: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** A fresh one-time login link, from `roost open` (another device logging in). */
  newLoginUrl(): Promise<string>;
  /** Run another roost command with the daemon's environment; resolves with its stdout. */
  cli(...args: string[]): Promise<string>;
  /** The same, with `input` on its stdin (e.g. `roost passwd` reads a password from a pipe). */
  cliWithInput(input: string, ...args: string[]): Promise<string>;
  /** SIGKILL, as a crash would; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (then SIGKILL after 5 s); resolves once the process is gone. */
  stop(): Promise<void>;
}

export interface DaemonOptions {
  tmux: TestTmux;
  home: string;
  /** 0 (default) picks a free port; pass a previous daemon's port to restart on it. */
  port?: number;
  /**
   * Stop it in an `after` hook of the file (default). node:test runs an
   * `after` registered inside a test when that test ends, so a daemon started
   * inside a test passes false and the file stops it itself.
   */
  stopAfterFile?: boolean;
}

const LOGIN_LINE_RE = /(https?:\/\/[^\s/]+)\/login#token=\S+/;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** `roost serve --port N` on the test's tmux server, HOME and XDG folders in `home`. */
export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const runtime = join(o.home, 'run');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const env = {
    ...testEnv({
      HOME: o.home,
      XDG_CONFIG_HOME: join(o.home, '.config'),
      XDG_STATE_HOME: join(o.home, '.local', 'state'),
      XDG_DATA_HOME: join(o.home, '.local', 'share'),
      XDG_CACHE_HOME: join(o.home, '.cache'),
      XDG_RUNTIME_DIR: runtime,
    }),
    // After testEnv, which clears any inherited one.
    ROOST_TMUX_SOCKET: o.tmux.socket,
  };
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(o.port ?? 0)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited(child);
    clearTimeout(timer);
  };
  if (o.stopAfterFile !== false) {
    after(() => stop('SIGTERM'));
    stopsByHome.set(o.home, () => stop('SIGTERM'));
  }
  // Whatever happens to the test process, the daemon does not outlive it.
  killOnExit(child);
  const match = await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`roost serve exited with ${child.exitCode}: ${out}`);
    return LOGIN_LINE_RE.exec(out);
  }, 20_000, 'the login link from roost serve');
  const base = match[1]!;
  const cliWithInput = (input: string | null, ...args: string[]) => new Promise<string>((resolveOut, reject) => {
    const c = execFile(process.execPath, [CLI, ...args], { env }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`roost ${args.join(' ')} failed: ${stderr || err.message}`));
      resolveOut(stdout);
    });
    c.stdin!.end(input ?? '');
  });
  const cli = (...args: string[]) => cliWithInput(null, ...args);
  const newLoginUrl = async () => (JSON.parse(await cli('open', '--json')) as { url: string }).url;
  return {
    url: base,
    port: Number(new URL(base).port),
    loginUrl: match[0],
    pid: child.pid!,
    output: () => out,
    newLoginUrl,
    cli,
    cliWithInput,
    kill9: () => stop('SIGKILL'),
    stop: () => stop('SIGTERM'),
  };
}

export interface PageWatch {
  /** CSP violations seen so far (console reports and securitypolicyviolation events). */
  csp(): Promise<string[]>;
  /** Uncaught exceptions in the page. */
  errors: string[];
}

/**
 * Records CSP violations (Chromium logs each as a console error, and the
 * document fires `securitypolicyviolation`) and uncaught page errors.
 */
export async function watchPage(page: Page): Promise<PageWatch> {
  const fromConsole: string[] = [];
  const errors: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (apply|load|execute|connect|frame)/i.test(m.text())) fromConsole.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    const seen: string[] = [];
    window['__csp'] = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  return {
    errors,
    async csp() {
      let events: string[] = [];
      try {
        events = await page.evaluate(() => (window['__csp'] as string[] | undefined) ?? []);
      } catch {
        // A page mid-navigation has no document to ask; its console reports still count.
      }
      return [...fromConsole, ...events];
    },
  };
}

/** POST /api/schedules from the logged-in page (its cookie and Origin), as the dashboard would; the schedule made. */
export async function addSchedule(p: Page, spec: Record<string, unknown>): Promise<ScheduleInfo> {
  const r = await p.evaluate(async (body) => {
    const res = await fetch('/api/schedules', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.text() };
  }, spec);
  if (r.status !== 201) throw new Error(`POST /api/schedules: ${r.status} ${r.body}`);
  return JSON.parse(r.body) as ScheduleInfo;
}

/** The lines of every SCROLL `page` sends from now on, in order (a live array). */
export function sentScrolls(page: Page): number[] {
  const scrolls: number[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => {
    if (typeof f.payload !== 'string' && f.payload[0] === ClientType.SCROLL) scrolls.push((JSON.parse(f.payload.subarray(1).toString()) as { lines: number }).lines);
  }));
  return scrolls;
}

/** The terminal's visible screen as text (xterm's buffer, whichever renderer draws it). */
export function screenText(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('.term-host')?.roostScreen?.text() ?? '');
}

/** Wait until the terminal screen matches `re`; returns the screen. */
export function waitForScreen(page: Page, re: RegExp, ms = 15_000): Promise<string> {
  let last = '';
  return waitFor(async () => {
    last = await screenText(page);
    return re.test(last) ? last : null;
  }, ms, `screen to match ${re}`).catch((e: Error) => {
    throw new Error(`${e.message}; the screen showed:\n${last}\n(end of screen)`);
  });
}

/** The terminal page's connection state (data-state: connecting, open, reconnecting, ended, closed). */
export function terminalState(page: Page): Promise<string | null> {
  return page.evaluate(() => document.querySelector('.term-page')?.dataset['state'] ?? null);
}

/** Save a screenshot to test-artifacts/NAME.png (kept for people to look at). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Log in through the printed link; resolves on the dashboard. */
export async function loginWithLink(page: Page, loginUrl: string): Promise<void> {
  await page.goto(loginUrl);
  await page.waitForURL((u) => u.pathname === '/', { timeout: stretch(15_000) });
}

// --- Phones ------------------------------------------------------------------

/** A 360x740 phone with touch (the small Android size). */
export const SMALL_PHONE: BrowserContextOptions = { ...PHONE, viewport: { width: 360, height: 740 } };

/**
 * A session running a plain bash (no rc files) with prompt "$ " and a
 * UTF-8 locale, so what arrives in the pane is exactly what was typed.
 */
export async function shellSession(tmux: TestTmux, name: string, extra: string[] = []): Promise<void> {
  await tmux.run('new-session', '-d', '-s', name, '-x', '80', '-y', '24', '-e', 'PS1=$ ', '-e', 'LANG=C.UTF-8', '-e', 'LC_ALL=C.UTF-8',
    ...extra, 'bash', '--norc', '--noprofile');
}

/** The pane's text (the screen, or with `history` all of it) with wrapped lines joined, trailing blanks trimmed, empty lines dropped. */
export async function paneLines(tmux: TestTmux, target: string, opts: { history?: boolean } = {}): Promise<string[]> {
  const out = await tmux.run('capture-pane', '-p', '-J', '-t', target, ...(opts.history ? ['-S', '-'] : []));
  return out.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
}

/** Open a terminal page and wait until it is live. */
export async function openTerminalPage(page: Page, daemon: Daemon, path: string): Promise<void> {
  await page.goto(`${daemon.url}${path}`);
  await waitFor(async () => (await terminalState(page)) === 'open', 15_000, `terminal ${path} open`);
}

/**
 * What an on-screen keyboard does to the focused textarea, through Chromium's
 * own IME path (CDP Input.imeSetComposition / insertText: real composition
 * and input events, the textarea really changes) plus the key events Android
 * sends (keydown/keyup with keyCode 229, "Unidentified").
 */
export interface Keyboard {
  /** The composing text becomes `text`; with `replace`, the composition first takes over that range of the existing text (a keyboard reopening a word). */
  compose(text: string, replace?: [number, number]): Promise<void>;
  /** Commit `text` (ends a composition; without one, a plain insertText). */
  commit(text: string): Promise<void>;
  /** Android's keydown or keyup for every soft key: keyCode 229. */
  key229(type?: 'rawKeyDown' | 'keyUp'): Promise<void>;
  /** A soft backspace on a non-empty field: deleteContentBackward on the textarea (no key code). */
  deleteBackward(): Promise<void>;
  /** A tapped spelling suggestion: characters [start, end) replaced with `text` (insertReplacementText). */
  replace(start: number, end: number, text: string): Promise<void>;
  /** A word typed the Android way: keydown 229, growing composition, keyup 229 per letter, then committed. */
  word(w: string): Promise<void>;
}

export async function softKeyboard(page: Page): Promise<Keyboard> {
  const cdp = await page.context().newCDPSession(page);
  const kb: Keyboard = {
    async compose(text, replace) {
      await cdp.send('Input.imeSetComposition', {
        text, selectionStart: text.length, selectionEnd: text.length,
        ...(replace ? { replacementStart: replace[0], replacementEnd: replace[1] } : {}),
      });
    },
    async commit(text) {
      await cdp.send('Input.insertText', { text });
    },
    async key229(type = 'rawKeyDown') {
      await cdp.send('Input.dispatchKeyEvent', { type, windowsVirtualKeyCode: 229, key: 'Unidentified', code: '' });
    },
    async deleteBackward() {
      await page.evaluate(() => (document as unknown as { execCommand(c: string): boolean }).execCommand('delete'));
    },
    async replace(start, end, text) {
      await page.evaluate(([s, e, t]) => {
        const ta = (document as unknown as { activeElement: { value: string; setRangeText(t: string, s: number, e: number, m: string): void; dispatchEvent(e: unknown): boolean } }).activeElement;
        const IE = (globalThis as unknown as { InputEvent: new (type: string, init: object) => unknown }).InputEvent;
        const init = { inputType: 'insertReplacementText', data: t, bubbles: true, cancelable: true, composed: true };
        if (ta.dispatchEvent(new IE('beforeinput', init))) {
          ta.setRangeText(t, s, e, 'end');
          ta.dispatchEvent(new IE('input', { ...init, cancelable: false }));
        }
      }, [start, end, text] as const);
    },
    async word(w) {
      for (let i = 1; i <= w.length; i++) {
        await kb.key229();
        await kb.compose(w.slice(0, i));
        await kb.key229('keyUp');
      }
      await kb.commit(w);
    },
  };
  return kb;
}
