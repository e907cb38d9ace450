/**
 * Which device sizes a window that several browsers show (docs/web.md,
 * "Windows and devices"). The rule: a window takes the size of the device
 * that last typed in it (or asked for it: FIT); opening, reconnecting,
 * scrolling, switching windows, turning a phone or showing its key bar
 * never change the size another device sees.
 *
 * - Every window has at most one sizer, a device (a browser's id, HELLO
 *   `device`). Its terminals size the window; every other terminal showing
 *   the window has tmux's ignore-size flag and shows the window as it is.
 * - A device becomes the sizer by typing in the window or by FIT, and by
 *   opening it while no other device shows it, if the window has no sizer
 *   or its sizer is gone (its page closed, or its connection lost for
 *   SIZER_AWAY_MS).
 * - While the sizer shows the window, tmux sizes it (window-size latest:
 *   the sizer's terminal is the only one counted). While it does not (it
 *   closed its page, lost its network, shows another window), the window is
 *   held at its size (sizes.ts), until the sizer comes back, someone types
 *   or the last terminal showing it leaves.
 *
 * The sizer is kept on the window in tmux, so a daemon that restarts (and
 * its browsers reconnecting in any order) changes nothing. Decisions run one
 * at a time (a queue): each reads the window from tmux, then sets holds and
 * client flags in one more call.
 */
import { holdWindow, recordSizer, runSizeCommands, setClientSizes, sizeCommands, TmuxError, windowFacts, type TmuxArg, type TmuxClient, type WindowFacts } from '../../tmux/index.js';
import type { Log } from '../log.js';

/**
 * A device whose last terminal closed this long ago (ms) has gone: another
 * device opening its window alone takes the window over. Long enough for a
 * reload, a phone waking up or the daemon restarting (counted from its start).
 */
export const SIZER_AWAY_MS = 60_000;

/** A terminal, as sizing sees it (TerminalBridge). */
export interface SizingMember {
  readonly device: string;
  readonly readOnly: boolean;
  /** The window it shows (@N), null before it shows one. */
  readonly windowId: string | null;
  /** Whether it sizes its window now, and the window's facts; called after every decision about its window. */
  sized(sizer: boolean, facts: WindowFacts): void;
}

interface WindowState {
  sizer: string;
  /** Held at its size by Roost (window-size manual). */
  held: boolean;
  /** Set to window-size latest by Roost since it last held it. */
  released: boolean;
}

export interface SizingOptions {
  tmux: TmuxClient;
  log: Log;
  now?: () => number;
}

export class WindowSizing {
  private readonly members = new Set<SizingMember>();
  /** Which window each member's last decision was about: a member moving leaves that one. */
  private readonly placedOn = new Map<SizingMember, string>();
  /** What tmux has for each member's client: its tty, and whether it carries ignore-size. */
  private readonly clients = new Map<SizingMember, { name: string; ignoring: boolean }>();
  private readonly windows = new Map<string, WindowState>();
  /** Epoch ms when each device's last terminal closed. */
  private readonly lastSeen = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly startedAt: number;

  constructor(private readonly o: SizingOptions) {
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
  }

  /**
   * `m` shows `m.windowId` now (opened, or moved there): decide about it and
   * about the window it left. Resolves with whether `m` sizes its window,
   * so a terminal not yet attached attaches with the right flag.
   */
  place(m: SizingMember): Promise<boolean> {
    this.members.add(m);
    return this.enqueue(() => this.decidePlace(m), false);
  }

  /**
   * Move `m` to another window with `move` (which sets `m.windowId`), in
   * turn with the decisions: its tmux client loses the right to size before
   * it moves, as it would size the window it arrives at otherwise (tmux
   * resizes a window as soon as a client shows it). `move`'s failure is the
   * caller's; the decisions' are logged.
   */
  move<T>(m: SizingMember, move: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.holdBehind(m);
      await this.flag(m, true);
      const r = await move();
      await this.decidePlace(m).catch((e: unknown) => this.failed(e));
      return r;
    });
  }

  /**
   * `m` is about to leave its window: if its device sizes it and another
   * device still shows it, hold it at its size first. Once `m`'s client has
   * ignore-size, every client showing the window may have it, and tmux
   * 3.3a then sizes the window for the client it counts as the window's
   * latest, which need not be the sizer (a spare view's client, attached
   * there ahead, is the latest of the window it arrived on).
   */
  private async holdBehind(m: SizingMember): Promise<void> {
    const w = m.windowId;
    const st = w ? this.windows.get(w) : undefined;
    if (!w || !st || st.held || m.readOnly || st.sizer !== m.device) return;
    if (![...this.members].some((x) => x !== m && !x.readOnly && this.placedOn.get(x) === w)) return;
    const facts = await windowFacts(this.o.tmux, w);
    if (!facts) return;
    await holdWindow(this.o.tmux, w, facts.width, facts.height);
    st.held = true;
    st.released = false;
  }

  /** `m`'s device sizes the window `m` shows from now on (it typed there, or sent FIT). */
  take(m: SizingMember): Promise<void> {
    return this.enqueue(async () => {
      const w = m.windowId;
      if (m.readOnly || !w || !this.members.has(m)) return;
      const st = this.windows.get(w);
      if (st && st.sizer === m.device) return;
      await this.setSizer(w, st, m.device);
      await this.decide(w);
    }, undefined);
  }

  /**
   * `m`'s tmux client (tty `name`) is attached, with ignore-size or not.
   * Once it draws, call again (`settle`): a decision made between the
   * choice of flag and the client's arrival is applied then.
   */
  attached(m: SizingMember, name: string, ignoring: boolean, settle = false): Promise<void> {
    if (!settle) this.clients.set(m, { name, ignoring });
    if (!settle || !m.windowId) return Promise.resolve();
    const w = m.windowId;
    return this.enqueue(() => this.decide(w), undefined);
  }

  /**
   * `m` closed. `closedByPage`: its page closed the socket itself (left the
   * terminal, reloaded, closed the tab), not a lost connection: the device
   * is not waited for (a reload comes back as the same device anyway).
   */
  leave(m: SizingMember, closedByPage = false): Promise<void> {
    if (!this.members.delete(m)) return Promise.resolve();
    this.clients.delete(m);
    if (![...this.members].some((x) => x.device === m.device)) this.lastSeen.set(m.device, closedByPage ? -Infinity : this.now());
    return this.enqueue(async () => {
      const w = this.placedOn.get(m);
      this.placedOn.delete(m);
      if (w) await this.decide(w);
    }, undefined);
  }

  /** Resolves once every decision asked for so far is made (tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** For tests and stats: the device sizing window `windowId`, and whether it is held. */
  stateOf(windowId: string): { sizer: string; held: boolean } | null {
    const st = this.windows.get(windowId);
    return st ? { sizer: st.sizer, held: st.held } : null;
  }

  private async decidePlace(m: SizingMember): Promise<boolean> {
    const left = this.placedOn.get(m);
    const now = m.windowId;
    if (now) this.placedOn.set(m, now);
    else this.placedOn.delete(m);
    if (left && left !== now) await this.decide(left);
    if (now) await this.decide(now, m);
    return now !== null && this.sizes(m, now);
  }

  private sizes(m: SizingMember, windowId: string): boolean {
    return !m.readOnly && this.windows.get(windowId)?.sizer === m.device;
  }

  /** Has `device` gone: no terminal open, and its page closed or none for SIZER_AWAY_MS? '' (no sizer) has. */
  private gone(device: string): boolean {
    if (device === '') return true;
    if ([...this.members].some((x) => x.device === device)) return false;
    const seen = this.lastSeen.get(device) ?? this.startedAt;
    if (this.now() - seen <= SIZER_AWAY_MS) return false;
    this.lastSeen.delete(device);
    return true;
  }

  private async setSizer(windowId: string, st: WindowState | undefined, device: string): Promise<void> {
    if (st) st.sizer = device;
    else this.windows.set(windowId, { sizer: device, held: false, released: false });
    await recordSizer(this.o.tmux, windowId, device);
  }

  /**
   * Apply the rule (top of the file) to one window, as tmux has it now.
   * `arriving`: the member that just opened or moved to it (only then may
   * its device take the window by showing it alone; a device that stays
   * never gains it because another left).
   */
  private async decide(windowId: string, arriving?: SizingMember): Promise<void> {
    const { tmux } = this.o;
    const showing = [...this.members].filter((m) => this.placedOn.get(m) === windowId);
    const facts = await windowFacts(tmux, windowId);
    if (!facts) {
      this.windows.delete(windowId);
      return;
    }
    let st = this.windows.get(windowId);
    if (!st) {
      st = { sizer: facts.sizer, held: false, released: false };
      this.windows.set(windowId, st);
    }
    // What the decision changes in tmux, sent in one call at the end (writeAll).
    const writes: TmuxArg[][] = [];
    if (!showing.some((m) => !m.readOnly)) {
      // Nobody who may size it looks any more: tmux sizes the window for its other clients again (a user's own attach).
      // Read-only terminals never count: they change no window option, and their size anchor keeps them out of tmux's sizing.
      if (st.held) writes.push(sizeCommands.release(windowId));
      this.windows.delete(windowId);
      await this.writeAll(writes, []);
      for (const m of showing) m.sized(false, facts);
      return;
    }
    // Read-only terminals never size, so they never keep a device from taking a window by opening it.
    const alone = showing.every((m) => m.readOnly || m.device === arriving?.device);
    if (arriving && !arriving.readOnly && alone && st.sizer !== arriving.device && this.gone(st.sizer)) {
      st.sizer = arriving.device;
      writes.push(sizeCommands.recordSizer(windowId, arriving.device));
    }
    const sizerShows = showing.some((m) => this.sizes(m, windowId));
    if (sizerShows && (st.held || !st.released)) {
      writes.push(sizeCommands.release(windowId));
      st.held = false;
      st.released = true;
    } else if (!sizerShows && !st.held) {
      writes.push(sizeCommands.hold(windowId, facts.width, facts.height));
      st.held = true;
      st.released = false;
    }
    await this.writeAll(writes, showing.map((m) => ({ m, ignoring: !this.sizes(m, windowId) })));
    for (const m of showing) m.sized(this.sizes(m, windowId), facts);
  }

  /**
   * A decision's window changes, then its members' client flags, in one
   * tmux call (an attach waits for it). tmux stops a list at the command that
   * fails and does not say which: a flag whose client is not attached yet, or
   * a window closed meanwhile. Then the flags are set one by one, as before
   * each may have been that one.
   */
  private async writeAll(writes: TmuxArg[][], flags: { m: SizingMember; ignoring: boolean }[]): Promise<void> {
    const changing = flags.flatMap(({ m, ignoring }) => {
      const c = this.clients.get(m);
      return c && !m.readOnly && c.ignoring !== ignoring ? [{ c, ignoring }] : [];
    });
    try {
      await runSizeCommands(this.o.tmux, [...writes, ...changing.map(({ c, ignoring }) => sizeCommands.clientSizes(c.name, !ignoring))]);
      for (const { c, ignoring } of changing) c.ignoring = ignoring;
    } catch (e) {
      if (!(e instanceof TmuxError) || e.kind === 'no-server') throw e;
      for (const { m, ignoring } of flags) await this.flag(m, ignoring);
    }
  }

  /** Give `m`'s tmux client ignore-size or take it away. Read-only clients (attach -r) keep it always. */
  private async flag(m: SizingMember, ignoring: boolean): Promise<void> {
    const c = this.clients.get(m);
    if (!c || m.readOnly || c.ignoring === ignoring) return;
    try {
      await setClientSizes(this.o.tmux, c.name, !ignoring);
      c.ignoring = ignoring;
    } catch (e) {
      // A client that is not there yet (attached() settles it once it draws) or gone already (leave() follows).
      if (!(e instanceof TmuxError) || e.kind === 'no-server') throw e;
    }
  }

  /** Run `fn` when the decisions before it are done; its failure is the caller's. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  private enqueue<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
    return this.exclusive(fn).catch((e: unknown) => {
      this.failed(e);
      return fallback;
    });
  }

  private failed(e: unknown): void {
    // A window or session that vanished mid-decision is no error; the next decision starts from tmux again.
    if (!(e instanceof TmuxError) || e.kind === 'no-server') this.o.log.warn({ err: e as Error }, 'sizing a window failed');
  }
}
