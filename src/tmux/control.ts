/**
 * The daemon's kept control-mode connection to its tmux server (`tmux -C`):
 * a tmux command costs a line written and a %begin/%end block read instead
 * of a process (~8 ms each on this machine), and tmux's own notifications
 * (%sessions-changed, %window-add, ...) arrive on it as they happen.
 *
 * The client attaches to one real session (never a per-device view: it
 * would keep the view from being destroyed when its device leaves) with
 * `-f no-output,ignore-size`: it is sent no pane output, sizes nothing and
 * leaves other clients' sizing alone. The listing does not count it as a
 * device (list.ts counts tty clients; tmux names a control client
 * client-PID). tmux 3.3a lets a control client live only while attached,
 * so with no session (no server) there is no connection: commands then run as processes, and the connection is made
 * again when a command runs and a session exists.
 *
 * What goes over it (runsOverControl): only commands whose meaning does not
 * change with a "current client" (a target, -g or -a given; never attach,
 * switch-client, if-shell, run-shell or a blocking wait-for), and never a
 * command whose output is pane content (capture-pane) or a raw folder
 * (tmux prints paths as they are): either could hold a line that reads as
 * the end of the block. A folder whose newlines the format replaces may go.
 *
 * Replies pair with requests in order (tmux runs one client's lines one
 * after the other); each command of a line has its own block, and tmux stops
 * a line at the first command that fails (%error). A request that had not
 * begun when the connection ended never ran: it is handed back (null) and
 * the caller runs it as a process.
 */
import type { ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { commandLine, type TmuxArg } from './literal.js';

/** What the connection needs from the tmux door (client.ts): starting `tmux -C`, and one process run to pick a session. */
export interface ControlHost {
  spawnPiped(args: readonly TmuxArg[]): ChildProcess;
  runProcess(args: readonly TmuxArg[]): Promise<string>;
}

/** A command's answer over the connection: its output lines, or the error tmux printed (with what ran before it). */
export type ControlReply = { ok: true; stdout: string } | { ok: false; stdout: string; error: string };

/** A tmux command answers in milliseconds; one that takes this long (ms) has a server that is stuck: the connection is dropped. */
const REPLY_TIMEOUT_MS = 60_000;
/** How long (ms) the client may take to attach. */
const ATTACH_TIMEOUT_MS = 10_000;
/** After a failed attempt (no server, no session), the next is made no sooner than this (ms): commands meanwhile run as processes. */
const RETRY_MS = 5_000;

/** Whether a flag letter is given, alone or in a cluster (`-dP`). */
const hasFlag = (args: readonly string[], letter: string) => args.some((a, i) => i > 0 && /^-[a-zA-Z]+$/.test(a) && a.includes(letter));
/** Whether the command is given its target (-t), or acts on all (-a) or global (-g) things: no current client is read. */
const targeted = (args: readonly string[]) => hasFlag(args, 't') || hasFlag(args, 'g') || hasFlag(args, 'a') || args.some((a, i) => i > 0 && /^-t./.test(a));

/** Per command: whether it means the same run from this connection as from a process of its own. */
const SAFE: Readonly<Record<string, (args: readonly string[]) => boolean>> = {
  'list-sessions': () => true,
  'list-windows': targeted,
  'list-panes': targeted,
  'display-message': (a) => hasFlag(a, 'p') && targeted(a),
  'show-options': targeted,
  'show-hooks': targeted,
  'show-environment': targeted,
  'set-option': targeted,
  'set-hook': targeted,
  'set-environment': targeted,
  'has-session': targeted,
  'kill-session': targeted,
  'kill-window': targeted,
  'rename-session': targeted,
  'rename-window': targeted,
  'select-window': targeted,
  'resize-window': targeted,
  'copy-mode': targeted,
  'send-keys': targeted,
  'refresh-client': targeted,
  // Detached only; the start folder is given (withStartFolder), since a client attached to a session would lend its own.
  'new-session': (a) => hasFlag(a, 'd'),
  'new-window': (a) => hasFlag(a, 'd') && targeted(a),
  'wait-for': (a) => hasFlag(a, 'S'),
};

/** Split a command list at THEN. */
function commandsOf(args: readonly TmuxArg[]): string[][] {
  const out: string[][] = [[]];
  for (const a of args) {
    if (typeof a === 'string') out[out.length - 1]!.push(a);
    else out.push([]);
  }
  return out;
}

/**
 * Formats that print a folder: tmux prints paths raw, and a folder may be
 * named with a newline and a line that reads as the end of the block.
 */
const RAW_FORMAT = /_path\b/;
/**
 * A folder with each newline replaced (`#{s/<newline>/X:pane_current_path}`,
 * X holding no newline) prints one line, so it may go (list.ts lists that way).
 */
const ONE_LINE_PATH = /#\{s\/\n\/[^\n/:{}]*\/?:[a-z_]+_path\}/g;

/** Whether every command of the list may run over the connection (see the file's comment). */
export function runsOverControl(args: readonly TmuxArg[]): boolean {
  return commandsOf(args).every((c) => c.length > 0 && SAFE[c[0]!]?.(c) === true && !c.some((a) => RAW_FORMAT.test(a.replace(ONE_LINE_PATH, ''))));
}

/**
 * new-session / new-window without -c start where their client is: a
 * process's is its working folder, this connection's is the session it is
 * attached to. `-c` with the daemon's folder keeps the process's meaning.
 */
function withStartFolder(args: readonly TmuxArg[], cwd: string): TmuxArg[] {
  const out: TmuxArg[] = [];
  let start = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    out.push(a);
    if (typeof a !== 'string') {
      start = true;
      continue;
    }
    if (start && (a === 'new-session' || a === 'new-window')) {
      const rest: string[] = [];
      for (let j = i + 1; j < args.length && typeof args[j] === 'string'; j++) rest.push(args[j] as string);
      if (!rest.some((r) => r.startsWith('-c') || (/^-[a-zA-Z]+$/.test(r) && r.includes('c')))) out.push('-c', cwd);
    }
    start = false;
  }
  return out;
}

interface Request {
  commands: number;
  blocks: number;
  began: boolean;
  out: string[];
  timer: NodeJS.Timeout;
  done: (r: ControlReply | null) => void;
}

type State = 'down' | 'connecting' | 'up';

export class TmuxControl {
  private state: State = 'down';
  private child: ChildProcess | null = null;
  private session: string | null = null;
  private lastAttempt = 0;
  private closed = false;
  private readonly queue: Request[] = [];
  private block: { tag: string; mine: boolean; lines: string[] } | null = null;
  private readonly notifyListeners = new Set<(line: string) => void>();
  private readonly stateListeners = new Set<(up: boolean) => void>();
  private readonly subscriptions = new Map<string, string>();

  constructor(private readonly host: ControlHost, private readonly cwd: string = process.cwd()) {}

  /** Whether commands go over the connection now. */
  get up(): boolean {
    return this.state === 'up';
  }

  /** The session (id) the connection's client is attached to: one client there is this, not a device. */
  get sessionId(): string | null {
    return this.state === 'up' ? this.session : null;
  }

  /** The pid of the `tmux -C` process (tests). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Each notification line (`%window-add @3`, ...), as tmux sends it. */
  onNotification(fn: (line: string) => void): () => void {
    this.notifyListeners.add(fn);
    return () => this.notifyListeners.delete(fn);
  }

  /** Told when the connection comes up (true) or ends (false). */
  onState(fn: (up: boolean) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  /**
   * Have tmux say `%subscription-changed NAME ...` (a notification) when
   * `format`, which tmux evaluates once a second for this client, changes;
   * made again on every new connection. The format may print a newline
   * only where nothing hostile can put one (not a raw path).
   */
  subscribe(name: string, format: string): void {
    this.subscriptions.set(name, format);
    if (this.state === 'up') void this.send(['refresh-client', '-B', `${name}::${format}`]);
  }

  /**
   * Run a command list over the connection: its reply, or null when the
   * list is not for the connection (runsOverControl) or the connection is
   * not up or ended before the list began (then nothing of it ran; a
   * connection is being made for later commands).
   */
  run(args: readonly TmuxArg[]): Promise<ControlReply | null> {
    if (this.closed) return Promise.resolve(null);
    // Any command says tmux is wanted: a connection is made for the next ones.
    if (this.state !== 'up') void this.connect();
    if (this.state !== 'up' || !runsOverControl(args)) return Promise.resolve(null);
    return this.send(args);
  }

  /** Write one command list and wait for its reply (null: the connection ended before it began). */
  private send(args: readonly TmuxArg[]): Promise<ControlReply | null> {
    if (!this.child?.stdin?.writable) return Promise.resolve(null);
    const { line, commands } = commandLine(withStartFolder(args, this.cwd));
    return new Promise((resolve) => {
      const r: Request = {
        commands, blocks: 0, began: false, out: [],
        timer: setTimeout(() => this.drop(), REPLY_TIMEOUT_MS),
        done: (reply) => {
          clearTimeout(r.timer);
          resolve(reply);
        },
      };
      this.queue.push(r);
      this.child!.stdin!.write(`${line}\n`);
    });
  }

  /**
   * Make the connection if there is none and none was tried in the last
   * RETRY_MS (`now`: a caller that just made a session). Resolves once it is
   * up or the attempt failed; never rejects.
   */
  connect(now = false): Promise<void> {
    if (this.closed || this.state !== 'down') return Promise.resolve();
    if (!now && Date.now() - this.lastAttempt < RETRY_MS) return Promise.resolve();
    this.lastAttempt = Date.now();
    this.state = 'connecting';
    return this.attach().catch(() => {
      // No server, no session to attach to, or tmux -C failed: commands run as processes; a later command tries again.
      this.teardown();
    });
  }

  /** End the connection for good (the daemon stops); requests not yet begun are handed back. */
  close(): void {
    this.closed = true;
    this.teardown();
  }

  /** Drop the connection (a stuck server, an unexpected session); the next command makes a new one. */
  private drop(): void {
    this.teardown();
  }

  private async attach(): Promise<void> {
    // One process to pick a session: any real one (a view would outlive its device with this client on it).
    const out = await this.host.runProcess(['list-sessions', '-F', '#{session_id}\x1f#{@roost_view}']);
    const target = out.split('\n').map((l) => l.split('\x1f')).find(([id, view]) => id?.startsWith('$') && !view)?.[0];
    if (!target || this.closed) throw new Error('no session to attach to');
    const child = this.host.spawnPiped(['-u', '-C', 'attach-session', '-f', 'no-output,ignore-size', '-t', target]);
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('tmux -C did not attach')), ATTACH_TIMEOUT_MS);
      const decoder = new StringDecoder('utf8');
      let partial = '';
      const ready = () => {
        clearTimeout(timer);
        this.state = 'up';
        for (const [name, format] of this.subscriptions) void this.send(['refresh-client', '-B', `${name}::${format}`]);
        for (const fn of this.stateListeners) fn(true);
        resolve();
      };
      child.stdout!.on('data', (d: Buffer) => {
        const lines = (partial + decoder.write(d)).split('\n');
        partial = lines.pop()!;
        for (const l of lines) this.line(child, l, ready);
      });
      // tmux -C reports its own trouble on stdout (%exit); stderr is read only so its pipe never fills.
      child.stderr!.resume();
      child.stdin!.on('error', () => undefined); // EPIPE when tmux went: the exit handler below says so
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
        if (this.child === child) this.teardown();
      });
      child.on('exit', () => {
        clearTimeout(timer);
        reject(new Error('tmux -C exited'));
        if (this.child === child) this.teardown();
      });
    });
  }

  /** One line from tmux: inside a block it is output; outside, a notification. */
  private line(child: ChildProcess, l: string, ready: () => void): void {
    if (this.child !== child) return;
    const b = this.block;
    if (b) {
      // The end must repeat the begin's time, number and flags: output that merely looks like an end is output.
      if ((l.startsWith('%end ') || l.startsWith('%error ')) && l.slice(l.indexOf(' ') + 1) === b.tag) {
        this.block = null;
        if (b.mine) this.reply(b.lines, l.startsWith('%error '));
      } else b.lines.push(l);
      return;
    }
    if (l.startsWith('%begin ')) {
      const tag = l.slice('%begin '.length);
      // Flags 1: a command this client sent; 0: the attach itself, hooks and the like.
      const mine = tag.endsWith(' 1');
      this.block = { tag, mine, lines: [] };
      if (mine && this.queue[0]) this.queue[0].began = true;
      return;
    }
    if (l.startsWith('%session-changed ')) {
      const id = l.split(' ')[1] ?? '';
      if (this.state === 'connecting') {
        this.session = id;
        ready();
      } else if (id !== this.session) this.drop(); // moved (its session ended with detach-on-destroy off): maybe onto a view
      return;
    }
    for (const fn of this.notifyListeners) fn(l);
  }

  private reply(lines: string[], failed: boolean): void {
    const r = this.queue[0];
    if (!r) return;
    r.blocks++;
    if (failed) {
      this.queue.shift();
      r.done({ ok: false, stdout: joinLines(r.out), error: lines.join('\n') });
      return;
    }
    r.out.push(...lines);
    if (r.blocks >= r.commands) {
      this.queue.shift();
      r.done({ ok: true, stdout: joinLines(r.out) });
    }
  }

  private teardown(): void {
    const child = this.child;
    const wasUp = this.state === 'up';
    this.child = null;
    this.session = null;
    this.block = null;
    this.state = 'down';
    if (child) {
      // EOF on stdin makes tmux -C detach and exit; the kill covers one that is not reading.
      child.stdin?.end();
      if (child.exitCode === null && child.signalCode === null) child.kill();
    }
    for (const r of this.queue.splice(0)) {
      // Begun and unanswered: it may have run, so it must not run again; not begun: it never ran.
      r.done(r.began ? { ok: false, stdout: joinLines(r.out), error: 'server exited unexpectedly (the tmux control connection ended during the command)' } : null);
    }
    if (wasUp) for (const fn of this.stateListeners) fn(false);
  }
}

/** Block lines as a process would have printed them: each line ended by a newline. */
function joinLines(lines: readonly string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}
