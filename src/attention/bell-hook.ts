/**
 * Roost's tmux hooks for attention. The selection mark: a
 * session-window-changed hook records the window_activity a selection sets
 * (SELECTED_AT_OPTION), since tmux counts a selection as activity and a
 * device looking at a window is not the window's program saying anything.
 *
 * The bell counter: a tmux hook that bumps a window option on every bell, so
 * the observer sees bells that tmux's own flag misses. window_bell_flag is
 * cleared as soon as a client views the window, is never set for the
 * current window of an attached session, and a bell between two listings
 * leaves no trace once viewed. The counter only grows.
 *
 * The hook runs inside tmux without forking a process: `set -wF` evaluates
 * `#{e|+:0#{@roost_bells},1}` for the window that rang. tmux runs alert-bell
 * hooks once per session the window is linked into, and every browser view
 * is a session grouped with the window's own: in a view (@roost_view set)
 * the hook sets the counter to itself, so a bell counts once however many
 * devices look. It sits at its own
 * index of the hook array, so a user's own alert-bell hooks stay. A global
 * default of 0 tells "installed, no bell yet" (0) from "not installed" (empty
 * in the listing, e.g. after the tmux server restarted).
 *
 * A user's own `set-hook -g alert-bell ...` without an index replaces the
 * whole array, ours included: BellHookKeeper checks and puts it back.
 *
 * Needs `monitor-bell on` (tmux's default) and a bell-action other than
 * `none` (default `any`): tmux runs alert-bell hooks only then.
 */
import {
  BELL_COUNTER_OPTION as BELL_COUNTER, BELL_MODEL, BELL_MODEL_OPTION, BELLS_SEEN_OPTION, SELECTED_AT_OPTION, VIEW_OPTION,
  setHook, setOption, showHook, unsetHook, type TmuxClient,
} from '../tmux/index.js';
import type { SessionInfo } from '../shared/api.js';

/** A high, fixed index: users' own hooks are numbered from 0, and a re-install replaces ours only. */
export const BELL_HOOK = 'alert-bell[9137]';
/** The counter's new value: one more, except in a view session (the window's own session counts the bell). */
const BELL_COUNT_FORMAT = `#{?${VIEW_OPTION},#{${BELL_COUNTER}},#{e|+:0#{${BELL_COUNTER}},1}}`;
export const BELL_HOOK_COMMAND = `set -wF ${BELL_COUNTER} "${BELL_COUNT_FORMAT}"`;
/** tmux sets window_activity before it runs this hook: the value is the selection's own. */
export const SELECT_HOOK = 'session-window-changed[9137]';
const SELECT_FORMAT = '#{window_activity}';
export const SELECT_HOOK_COMMAND = `set -wF ${SELECTED_AT_OPTION} "${SELECT_FORMAT}"`;

/**
 * Whether `show-hooks` shows our current command (tmux prints it in its own
 * words, `set-option -Fw ...`, with the format verbatim): an older Roost's
 * command at our index (a tmux server that outlived an upgrade) is replaced.
 */
const current = (shown: string | null, format: string): boolean => shown !== null && shown.includes(`"${format}"`);

/** Install (or re-install: idempotent) the hooks and the counter's global default, and read the counters by BELL_MODEL from now on. */
export async function installAttentionHooks(tmux: TmuxClient): Promise<void> {
  const model = (await tmux.run(['show-options', '-gqv', BELL_MODEL_OPTION])).trim();
  // The counter's global default is set by every Roost that counted bells on this server.
  const counted = (await tmux.run(['show-options', '-gqv', BELL_COUNTER])).trim() !== '';
  // The hook first: a bell rung while the rest goes in is counted.
  await setHook(tmux, BELL_HOOK, BELL_HOOK_COMMAND, { global: true });
  await setHook(tmux, SELECT_HOOK, SELECT_HOOK_COMMAND, { global: true });
  if (model !== String(BELL_MODEL)) await adoptBellModel(tmux, counted);
  await setOption(tmux, 'global', null, BELL_COUNTER, '0');
  await setOption(tmux, 'global', null, BELL_MODEL_OPTION, String(BELL_MODEL));
}

/**
 * Bring a server's counters to BELL_MODEL, from tmux's flag: a window whose
 * flag is up has a bell nobody saw.
 *
 * `counted`: an earlier Roost counted bells here, and a bell was seen once
 * tmux's flag fell, its seen mark recording only Roost devices' looks: a
 * window whose counter is above its mark with the flag down was seen that
 * way (or cannot be told), and is marked seen.
 *
 * Else no Roost counted here (a new tmux server): a bell rung before the
 * hook went in shows only in the flag, and gets a count of its own. A
 * counter the hook already moved is left alone (the flag may not be up
 * yet for a bell rung a moment ago).
 */
async function adoptBellModel(tmux: TmuxClient, counted: boolean): Promise<void> {
  const rows = await tmux.run(['list-windows', '-a', '-F', `#{window_id}\t#{window_bell_flag}\t#{${BELL_COUNTER}}\t#{${BELLS_SEEN_OPTION}}`]);
  for (const line of rows.split('\n')) {
    const [id, flag, bells = '', seen] = line.split('\t');
    if (!id) continue;
    const [n, mark] = [Number(bells || 0), Number(seen || 0)];
    // A window closed meanwhile has nothing to mark.
    if (counted && flag !== '1' && bells !== '' && n > mark) await setOption(tmux, 'window', id, BELLS_SEEN_OPTION, bells).catch(() => undefined);
    if (!counted && flag === '1' && n <= mark) await setOption(tmux, 'window', id, BELL_COUNTER, String(mark + 1)).catch(() => undefined);
  }
}

export async function removeAttentionHooks(tmux: TmuxClient): Promise<void> {
  await unsetHook(tmux, BELL_HOOK, { global: true });
  await unsetHook(tmux, SELECT_HOOK, { global: true });
}

/** At most one install attempt per this many ms while the hook is missing (ms; a failure must not retry every tick). */
const RETRY_MS = 10_000;
/**
 * How often the hook's presence is checked with one `show-hooks` call (ms).
 * A user's `set-hook -g alert-bell ...` without an index (e.g. re-sourcing
 * their tmux.conf) clears the whole array, ours included, while the counter's
 * default stays: the listing alone cannot tell.
 */
const VERIFY_MS = 30_000;

/**
 * Keeps the hook installed on a tmux server that may restart or be
 * reconfigured under us: call check() after each listing.
 */
export class BellHookKeeper {
  private lastAttempt = -Infinity;
  private lastVerified = -Infinity;
  private busy = false;

  constructor(
    private readonly tmux: TmuxClient,
    private readonly onError: (e: unknown) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the listing shows a window without the counter (hook missing). */
  static missing(sessions: readonly SessionInfo[]): boolean {
    return sessions.some((s) => s.windows.some((w) => w.bells === null || w.bells === undefined));
  }

  /** When (epoch ms) check() would next do something for this listing: a listing is wanted then. Null: never (no sessions). */
  nextCheckAt(sessions: readonly SessionInfo[]): number | null {
    if (sessions.length === 0) return null;
    return BellHookKeeper.missing(sessions) ? this.lastAttempt + RETRY_MS : this.lastVerified + VERIFY_MS;
  }

  /** Both hooks are there with this Roost's commands. */
  private async hooksCurrent(): Promise<boolean> {
    return current(await showHook(this.tmux, BELL_HOOK, { global: true }), BELL_COUNT_FORMAT)
      && current(await showHook(this.tmux, SELECT_HOOK, { global: true }), SELECT_FORMAT);
  }

  /** Resolves when the work this call started is done; never rejects. */
  async check(sessions: readonly SessionInfo[]): Promise<void> {
    if (this.busy || sessions.length === 0) return;
    const now = this.now();
    const missing = BellHookKeeper.missing(sessions);
    if (!missing && now - this.lastVerified < VERIFY_MS) return;
    if (missing && now - this.lastAttempt < RETRY_MS) return;
    this.busy = true;
    try {
      this.lastVerified = now;
      if (missing || !(await this.hooksCurrent())) {
        this.lastAttempt = now;
        await installAttentionHooks(this.tmux);
      }
    } catch (e) {
      this.onError(e);
    } finally {
      this.busy = false;
    }
  }
}
