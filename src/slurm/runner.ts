/**
 * What runs in each window of a node session (`roost node-window`, started
 * by tmux as the window's program). It owns the window's life:
 *
 *   first window   salloc --no-shell (allocate.ts; the allocation belongs
 *                  to the session, not to a shell; a pending salloc must
 *                  live where it survives the CLI, and here it also gives
 *                  the live "queued" screen), then a shell on the node
 *                  (srun --pty);
 *                  with a launcher, the launcher instead, and the job it
 *                  started found by name or as the user's new job
 *   other windows  a shell (or command) on the same allocation
 *   afterwards     when the step ends, Slurm's final state is read at once
 *                  (Slurm forgets ended jobs within MinJobAge), one line says
 *                  what happened and how to get back, and a login-node shell
 *                  takes over: the window never vanishes by accident; if
 *                  the job still lives, that shell is told when it ends
 *                  (end-watch.ts)
 *   hang-up        the window was closed: if the whole session is gone
 *                  (roost kill, the dashboard, tmux kill-session), the
 *                  allocation is released
 *
 * The window knows its session by tmux id and creation time, not by the
 * name it was started with: a renamed session's record moves to the new
 * name (records.ts), and the window finds it there (record()).
 *
 * Meanwhile it takes part in polling (poller.ts): it looks at Slurm only
 * when no daemon or other window does.
 */
import { runInteractive } from '../process/run.js';
import { listSessions, REMOTE_SHELL_OPTION, renameAfterProgram, setOption, unsetOption, type TmuxClient } from '../tmux/index.js';
import type { Config } from '../config/config.js';
import type { SessionInfo } from '../shared/api.js';
import type { NotifyEvent } from '../notify/event.js';
import { shortDuration } from '../shared/slurm-time.js';
import { allocate, finalState } from './allocate.js';
import { NodePoller } from './poller.js';
import { watchEnd } from './end-watch.js';
import {
  heldHere, listRecords, readRecord, recordJobEnd, removeRecord, updateRecord, type NodeRecord, type SessionIdentity,
} from './records.js';
import { jobName, srunArgv } from './request.js';
import { cancelJob, isAlive, notInstalled, queryJobs, userJobs } from './slurm-cli.js';

/** How long (ms) to look for the job a launcher started. */
const LAUNCHER_SEARCH_MS = 60_000;

export interface RunnerOptions {
  name: string;
  /** The first window makes the allocation; the others use it. */
  first: boolean;
  /** The command for the node (after --); null for the login shell. */
  command: string[] | null;
  stateDir: string;
  host: string;
  tmux: TmuxClient;
  /** The window's pane (TMUX_PANE), which marks itself while the shell on the node runs; null outside tmux. */
  pane: string | null;
  /** For everything started here: without any allocation's variables. */
  env: NodeJS.ProcessEnv;
  config: () => Config;
  /** Where news goes while this window holds the poll lease. */
  notify: (e: NotifyEvent) => void;
  write: (text: string) => void;
  /**
   * Name this process as tmux shows it (the window's current command): it
   * is the foreground of the window while salloc waits and srun runs.
   */
  setTitle?: (title: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class NodeWindow {
  private hungUp = false;
  private stopped = false;
  /** Something changed (granted, queued, ended): look again now rather than at the next interval. */
  private woken = false;
  /** The job a shell of this window runs in, while it does (its node names the window). */
  private onJob: string | null = null;
  /** The shell on the node ended while this job lived: the login-node shell after it is told when the job ends. */
  private fallbackJob: string | null = null;
  private readonly poller: NodePoller;
  private readonly socket: string | null;
  /** The title last given (setTitle): tmux is asked to look again only when it changes. */
  private shown: string | null = null;
  /** The session's name as last seen: it follows a rename (record()). */
  private name: string;
  /** This window's tmux session, found from its pane at start; null outside tmux. */
  private me: SessionIdentity | null = null;

  constructor(private readonly o: RunnerOptions) {
    this.socket = o.tmux.socket ?? null;
    this.name = o.name;
    this.poller = new NodePoller({
      stateDir: o.stateDir, host: o.host, tmux: o.tmux, env: o.env, role: 'window', config: o.config, notify: o.notify,
      // A window has nowhere to log: the next look tries again.
      onError: () => undefined,
    });
  }

  /** This window's job changed: look at Slurm now, even when another window holds the poll lease. */
  private wake(): void {
    this.poller.changed();
    this.woken = true;
  }

  private title(t: string): void {
    if (t === this.shown) return;
    this.shown = t;
    this.o.setTitle?.(t);
    // tmux names the window after this title only when the pane next prints, and a shell on the node may be
    // quiet for hours: have it look now.
    if (this.o.pane) renameAfterProgram(this.o.tmux, this.o.pane).catch(() => undefined);
  }

  private say(line: string): void {
    this.o.write(`\r\nroost: ${line}\r\n`);
  }

  private get shell(): string {
    return this.o.env['SHELL'] || '/bin/sh';
  }

  /**
   * Say (REMOTE_SHELL_OPTION) whether the user's shell on the node is what
   * runs in this pane: Roost cannot see into it, so silence there is a shell
   * at rest, not a program waiting (a bell or an agent hook still counts).
   */
  private async remoteShell(on: boolean): Promise<void> {
    if (!this.o.pane) return;
    try {
      if (on) await setOption(this.o.tmux, 'pane', this.o.pane, REMOTE_SHELL_OPTION, '1');
      else await unsetOption(this.o.tmux, 'pane', this.o.pane, REMOTE_SHELL_OPTION);
    } catch {
      // The pane or the server is gone: there is nothing left to mark.
    }
  }

  /**
   * The session's record, wherever its name now is: the one marked with
   * this window's session, else (not marked yet, an older Roost's) the one
   * of the session's name; null when there is none (the session is going).
   */
  private record(): NodeRecord | null {
    const mine = (r: NodeRecord | null) => r !== null && heldHere(r, this.o.host, this.socket) && (!r.session || !this.me || (r.session.id === this.me.id && r.session.created === this.me.created));
    const byName = readRecord(this.o.stateDir, this.name);
    if (mine(byName) && (byName!.session || !this.me)) return byName;
    const marked = this.me ? listRecords(this.o.stateDir).find((r) => r.session && mine(r)) : undefined;
    if (marked) {
      this.name = marked.name;
      return marked;
    }
    return mine(byName) ? byName : null;
  }

  /** Change the session's record, wherever its name now is. */
  private update(change: (r: NodeRecord) => void): void {
    const r = this.record();
    if (r) updateRecord(this.o.stateDir, r.name, change);
  }

  /** Is `s` this window's session? */
  private isMine(s: SessionInfo): boolean {
    return this.me ? s.id === this.me.id && s.created === this.me.created : s.name === this.name && s.kind === 'node';
  }

  /** Run the window to its end; resolves with the exit code for the window's program. */
  async run(): Promise<number> {
    const pollLoop = this.pollLoop();
    try {
      if (this.o.pane) {
        const pane = this.o.pane;
        const s = (await listSessions(this.o.tmux).catch(() => [])).find((x) => x.windows.some((w) => w.panes.some((p) => p.id === pane)));
        if (s) this.me = { id: s.id, created: s.created };
      }
      const r = this.record();
      if (!r) {
        this.say(`no node session "${this.o.name}" is recorded for this tmux server; this is a login-node shell`);
        return await this.loginShell();
      }
      // The first window marks the record with its session, which lets the record follow a rename.
      if (this.o.first && this.me && !r.session) {
        const me = this.me;
        updateRecord(this.o.stateDir, r.name, (x) => { x.session ??= me; });
      }
      if (!this.o.first) {
        if (!r.jobId) {
          this.say(`node session ${this.name} has no allocation yet; this is a login-node shell`);
          return await this.loginShell();
        }
        await this.onNode(r.jobId);
      } else if (r.request.launcher) {
        await this.launch(r);
      } else {
        const jobId = await this.allocate(r);
        if (jobId !== null && !this.hungUp) await this.onNode(jobId);
      }
      return await this.loginShell();
    } finally {
      this.stopped = true;
      await pollLoop;
    }
  }

  /** salloc --no-shell (allocate.ts); resolves with the granted job's id, or null (refused, cancelled). */
  private allocate(r: NodeRecord): Promise<string | null> {
    return allocate(r, {
      name: () => this.record()?.name ?? this.name, update: (change) => this.update(change), env: this.o.env, pollPath: this.poller.path, write: this.o.write,
      say: (l) => this.say(l), title: (t) => this.title(t), wake: () => this.wake(), hungUp: () => this.hungUp,
    });
  }

  /** A shell (or the command) on the node; then say how it ended. */
  private async onNode(jobId: string): Promise<void> {
    const asked = this.o.command ?? (this.o.first ? this.record()?.command : null);
    const cmd = asked ?? [this.shell, '-l'];
    this.onJob = jobId;
    // The window is named after the node before srun starts: tmux looks at a window's name again only when its
    // pane prints, and a shell on the node is often quiet for long (squeue once, when no look has said it yet).
    const nodes = this.poller.file()?.jobs[jobId]?.nodes;
    this.title(nodes ?? 'srun');
    // A CMD is a program like any other: its silence may mean it waits for an answer.
    if (!asked) await this.remoteShell(true);
    try {
      await runInteractive(srunArgv(jobId, cmd), { env: this.o.env });
    } catch (e) {
      // srun could not be started: said below, and the window falls back like any other end.
      this.say(`could not start srun: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? notInstalled('srun') : (e as Error).message}`);
    } finally {
      this.onJob = null;
      if (!asked) await this.remoteShell(false);
    }
    if (!this.hungUp) await this.afterStep(jobId, asked ? 'command' : 'shell');
  }

  /** A site's launcher (sinteractive ...) instead of salloc + srun. */
  private async launch(r: NodeRecord): Promise<void> {
    const launcher = r.request.launcher!;
    this.title(launcher[0]!.split('/').pop()!);
    const before = await userJobs(this.o.env);
    this.update((x) => { x.phase = 'launched'; });
    let found: string | null = null;
    let searching = true;
    const search = (async () => {
      const deadline = Date.now() + LAUNCHER_SEARCH_MS;
      while (searching && Date.now() < deadline) {
        await sleep(1000);
        const now = await userJobs(this.o.env);
        if (!now || !before) continue;
        const named = [...now].filter(([, j]) => j.name === jobName(r.name)).map(([id]) => id);
        const fresh = [...now.keys()].filter((id) => !before.has(id));
        const pick = named.length === 1 ? named[0] : fresh.length === 1 ? fresh[0] : undefined;
        if (pick) {
          found = pick;
          this.onJob = pick;
          // Waiting in the queue, as salloc's "Pending job allocation" says on the other path: its start is news (node-granted).
          const queued = now.get(pick)!.state === 'PENDING';
          this.update((x) => Object.assign(x, { jobId: pick, submittedAt: Date.now(), queued }));
          this.wake();
          return;
        }
      }
      if (searching) this.update((x) => { x.jobNotFound = true; });
    })();
    let code: number | null = null;
    // A site's wrapper gives a shell on the node (sinteractive): quiet like srun's.
    await this.remoteShell(true);
    try {
      // Slurm's input variable for srun's --job-name: a launcher built on srun names its job after the session.
      code = await runInteractive(launcher as [string, ...string[]], { env: { ...this.o.env, SLURM_JOB_NAME: jobName(r.name) } });
    } catch (e) {
      this.say(`could not start the launcher ${launcher[0]}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    await this.remoteShell(false);
    searching = false;
    await search;
    if (this.hungUp) return;
    const id = found as string | null;
    this.onJob = null;
    if (id) return this.afterStep(id);
    this.update((x) => Object.assign(x, { phase: 'ended', ended: { state: 'ENDED', reason: null, at: Date.now() } }));
    this.say(`the launcher ended${code === null ? '' : ` (exit ${code})`}; Roost could not tell which job it started. This is a login-node shell; a new one: roost node ${this.name} --renew`);
  }

  /** The step ended: read Slurm's final word at once and say what happened. */
  private async afterStep(jobId: string, what: 'shell' | 'command' = 'shell'): Promise<void> {
    const end = await finalState(jobId, this.o.env, { hungUp: () => this.hungUp, say: (l) => this.say(l) });
    if (this.hungUp) return;
    this.wake();
    if (end && isAlive(end.state)) {
      this.update((x) => { x.fallbacks += 1; });
      const left = end.timeLeft === null ? '' : ` (${shortDuration(end.timeLeft)} left)`;
      this.say(`the ${what} on ${end.nodes ?? 'the node'} ended; job ${jobId} still holds the allocation${left}. Back on the node: roost node ${this.name} --window`);
      this.fallbackJob = jobId;
      return;
    }
    const state = end?.state ?? 'ENDED';
    const reason = end?.reason ?? null;
    const r = this.record();
    if (r) recordJobEnd(this.o.stateDir, r.name, jobId, state, reason);
    this.say(this.endLine(jobId, state, reason));
  }

  private endLine(jobId: string, state: string, reason: string | null): string {
    return `allocation ${jobId} ended: ${state}${reason ? ` (${reason})` : ''}. This is a login-node shell; a new allocation: roost node ${this.name} --renew`;
  }

  /** The login-node shell the window falls back to (interactive, with the window's PATH); its exit code is the window's. */
  private async loginShell(): Promise<number> {
    if (this.hungUp) return 0;
    this.title('roost-node');
    let code = 0;
    let shellDone = false;
    const job = this.fallbackJob;
    // After a fallback the job still held the allocation: this shell is told when it ends (end-watch.ts).
    const watch = job
      ? watchEnd({
        jobId: job, record: () => this.record(), stateDir: this.o.stateDir, pollFile: this.poller.path, env: this.o.env,
        tmux: this.o.tmux, pane: this.o.pane, write: this.o.write, gone: () => shellDone || this.hungUp,
        endLine: (state, reason) => this.endLine(job, state, reason), ended: () => this.wake(),
      })
      : Promise.resolve();
    try {
      // Not a login shell: Debian's /etc/profile sets PATH afresh, and `roost` (which the lines above tell the
      // user to type) may be on the PATH of the terminal `roost node` was typed in alone. That PATH reaches this
      // window (sessions.ts); the environment is already a login session's, so an interactive shell keeps it.
      code = await runInteractive([this.shell], { env: this.o.env });
    } catch (e) {
      this.say(`could not start ${this.shell}: ${(e as Error).message}`);
      code = 1;
    }
    shellDone = true;
    await watch;
    if (!this.hungUp) await this.releaseIfLast();
    return code;
  }

  /** The last pane of the session is closing (its shell exited): the session goes with it, so does the allocation. */
  private async releaseIfLast(): Promise<void> {
    const sessions = await listSessions(this.o.tmux).catch(() => []);
    const s = sessions.find((x) => this.isMine(x));
    const panes = s ? s.windows.reduce((n, w) => n + w.panes.length, 0) : 0;
    if (panes <= 1) await this.release();
  }

  /** Give the allocation back and drop the record (the session is gone, or about to be). */
  private async release(): Promise<void> {
    const r = this.record();
    if (!r) return;
    if (r.jobId && !r.ended && r.phase !== 'failed') await cancelJob(r.jobId, this.o.env);
    removeRecord(this.o.stateDir, r.name);
  }

  /**
   * The window was closed (SIGHUP: its pane is gone). When the whole session
   * went (kill-session, kill-server), release the allocation; when only this
   * window went, the others keep it.
   */
  async hangUp(): Promise<void> {
    if (this.hungUp) return;
    this.hungUp = true;
    this.stopped = true;
    const sessions = await listSessions(this.o.tmux).catch(() => []);
    if (!sessions.some((x) => this.isMine(x))) await this.release();
  }

  /** Tick the poller until the window ends. */
  private async pollLoop(): Promise<void> {
    while (!this.stopped) {
      let next = 5000;
      try {
        next = (await this.poller.tick()).nextMs;
        const nodes = this.onJob ? this.poller.file()?.jobs[this.onJob]?.nodes : null;
        if (nodes) this.title(nodes);
      } catch {
        // A look that failed (state folder unwritable, tmux gone) is tried again later; the window goes on.
      }
      const until = Date.now() + next;
      while (!this.stopped && !this.woken && Date.now() < until) await sleep(Math.min(250, until - Date.now()));
      this.woken = false;
    }
  }
}
