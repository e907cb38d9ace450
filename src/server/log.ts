/**
 * The daemon's log: one plain line per event on a stream (stderr by default).
 * Each request logs through a child of it (req.log, with the request's id),
 * and it prints ONLY fields it knows to be safe: method, path without query,
 * status, duration, request id, and an error's name and message (stack with
 * --debug). Headers, cookies, bodies and query strings never reach it, so no
 * token, cookie or password can end up in a log by accident.
 *
 * `roost serve` logs at "warn": background trouble (tmux gone, a channel
 * failing) and unexpected failures. `roost serve --verbose`
 * sets "info": one line per request.
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
const RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

type LogFn = (objOrMsg?: unknown, msg?: unknown, ...rest: unknown[]) => void;

export interface Log {
  level: string;
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  silent: LogFn;
  child(bindings?: Record<string, unknown>, options?: { level?: string }): Log;
}

export interface LogOptions {
  level?: LogLevel;
  stream?: { write(s: string): unknown };
  /** Include stack traces of errors (roost --debug). */
  stacks?: boolean;
}

function pathOnly(url: unknown): string {
  if (typeof url !== 'string') return '';
  const q = url.search(/[?#]/);
  return (q >= 0 ? url.slice(0, q) : url).slice(0, 200);
}

function describe(fields: Record<string, unknown>, bindings: Record<string, unknown>, stacks: boolean): string {
  const parts: string[] = [];
  if (typeof bindings['reqId'] === 'string') parts.push(`[${bindings['reqId']}]`);
  const req = fields['req'] as { method?: unknown; url?: unknown } | undefined;
  if (req && typeof req === 'object') parts.push(`${String(req.method)} ${pathOnly(req.url)}`);
  const res = fields['res'] as { statusCode?: unknown } | undefined;
  if (res && typeof res === 'object' && typeof res.statusCode === 'number') parts.push(String(res.statusCode));
  if (typeof fields['responseTime'] === 'number') parts.push(`${Math.round(fields['responseTime'])}ms`);
  const err = fields['err'] ?? fields['error'];
  if (err instanceof Error) {
    parts.push(`${err.name}: ${err.message.split('\n')[0]}`);
    if (stacks && err.stack) parts.push(`\n${err.stack}`);
  }
  return parts.join(' ');
}

export function createLog(opts: LogOptions = {}, bindings: Record<string, unknown> = {}): Log {
  const stream = opts.stream ?? process.stderr;
  const stacks = opts.stacks ?? false;
  const log: Log = {
    level: opts.level ?? 'error',
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
    fatal: () => {},
    silent: () => {},
    child(more = {}, childOpts = {}) {
      const level = (childOpts.level as LogLevel | undefined) ?? (log.level as LogLevel);
      return createLog({ ...opts, level }, { ...bindings, ...more });
    },
  };
  for (const name of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
    log[name] = (objOrMsg, msg) => {
      if (RANK[name] < (RANK[log.level as LogLevel] ?? RANK.error)) return;
      let text: string;
      let detail = '';
      if (typeof objOrMsg === 'string') text = objOrMsg;
      else {
        text = typeof msg === 'string' ? msg : '';
        const fields = objOrMsg instanceof Error ? { err: objOrMsg } : ((objOrMsg ?? {}) as Record<string, unknown>);
        detail = describe(fields, bindings, stacks);
      }
      stream.write(`${new Date().toISOString()} ${name} ${text}${detail ? ` ${detail}` : ''}\n`);
    };
  }
  return log;
}
