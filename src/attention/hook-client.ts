/**
 * The hook's side: turn Claude Code's hook JSON (stdin) and $TMUX_PANE into
 * a HookReport and post it to the daemon over its unix socket. Built to
 * cost Claude nothing: bounded input, a short deadline on every step, and
 * no error ever escapes (a daemon that is down means a skipped signal).
 */
import type { Socket } from 'node:net';
import { requestDaemon } from '../daemon/client.js';
import type { HookReport } from './hook-report.js';
import { isClaudeSessionId } from '../shared/names.js';

/** The route the hook posts to, on the daemon's unix socket. Here, not in hook-report.ts, so the hook loads no validator. */
export const CLAUDE_HOOK_ROUTE = '/api/hooks/claude';

/**
 * Wait this long (ms) for the daemon's answer: Claude waits for the hook to end. A daemon that has not
 * answered by then (a busy machine, a daemon stopped for a moment) still gets the report: the
 * connection is handed to a process that waits for the answer (HOLD_MS), because the daemon serves a
 * connection on its unix socket only while a process of its owner holds the other end (peer-check.ts).
 */
export const POST_TIMEOUT_MS = 500;
/** How long (ms) a handed-off report's connection waits for the daemon's answer. */
export const HOLD_MS = 60_000;
/** Stop reading stdin after this long (ms): Claude writes it at once and closes it. */
export const STDIN_TIMEOUT_MS = 1000;
/** Claude's hook JSON is small; more than this (bytes) is not a hook payload. */
const STDIN_MAX_BYTES = 1024 * 1024;

const opt = (v: unknown, max = 4096): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

/** The report for one hook run, or null when there is nothing to report (not in tmux, not a hook payload). */
export function buildReport(input: unknown, env: NodeJS.ProcessEnv): HookReport | null {
  const pane = env['TMUX_PANE'];
  if (!pane || !/^%\d{1,9}$/.test(pane)) return null;
  if (typeof input !== 'object' || input === null) return null;
  const j = input as Record<string, unknown>;
  const event = opt(j['hook_event_name'], 64);
  if (!event) return null;
  const report: HookReport = { v: 1, agent: 'claude', event, pane };
  // $TMUX is "socket_path,server_pid,session_index".
  const tmux = env['TMUX']?.split(',').slice(0, -2).join(',');
  if (tmux) report.tmux = tmux;
  const sid = opt(j['session_id'], 128);
  if (isClaudeSessionId(sid)) report.sessionId = sid;
  const nt = opt(j['notification_type'], 64);
  if (nt) report.notificationType = nt;
  const source = opt(j['source'], 64);
  if (source) report.source = source;
  const cwd = opt(j['cwd']);
  if (cwd) report.cwd = cwd;
  const tp = opt(j['transcript_path']);
  if (tp) report.transcriptPath = tp;
  return report;
}

/** Read a stream to its end, at most `max` bytes and `ms` milliseconds; whatever came by then. */
export function readInput(stream: NodeJS.ReadableStream, ms = STDIN_TIMEOUT_MS, max = STDIN_MAX_BYTES): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', done);
      stream.removeListener('error', done);
      // Let the process end even if the writer never closes stdin.
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      size += b.length;
      if (size > max) {
        chunks.length = 0;
        return done();
      }
      chunks.push(b);
    };
    const timer = setTimeout(done, ms);
    stream.on('data', onData);
    stream.once('end', done);
    stream.once('error', done);
  });
}

/** What became of a post: the daemon's HTTP status, or why it never answered. */
export type PostOutcome = { status: number } | { failed: string };

/**
 * POST the report; resolves with the daemon's status or why there was none. Never rejects. `handOff`
 * gets the connection of a report written but not answered in time (see POST_TIMEOUT_MS).
 */
export async function postReport(socketPath: string, report: HookReport, o: { timeoutMs?: number; handOff?: (socket: Socket) => void } = {}): Promise<PostOutcome> {
  const r = await requestDaemon(socketPath, 'POST', CLAUDE_HOOK_ROUTE, report, { timeoutMs: o.timeoutMs ?? POST_TIMEOUT_MS, handOff: o.handOff });
  // No daemon, no answer in time, or a broken connection: the signal is skipped, nothing else.
  return 'status' in r ? { status: r.status } : { failed: r.message };
}
