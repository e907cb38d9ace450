/**
 * The daemon's HTTP API (docs/api.md) as typed calls. Any 401 outside the
 * login itself means the login is gone: the page goes to /login.
 * State-changing calls always send JSON, which the daemon requires (CSRF).
 */
import type { SessionInfo } from '../shared/api.js';
import type { Match } from '../shared/text-search.js';
import { LOG_HEADERS, type JobInfo } from '../shared/jobs.js';
import type { RunInfo, ScheduleInfo } from '../shared/schedules.js';
import type { FetchResult } from './events.js';

export type Role = 'owner' | 'read-only';
export interface Me {
  role: Role;
  name: string | null;
}

/** A refused or failed call: `status` 0 when the daemon could not be reached. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfter: number | null = null) {
    super(message);
  }
}

export interface Api {
  me(): Promise<Me>;
  sessions(): Promise<SessionInfo[]>;
  createSession(req: { name: string; cwd?: string; command?: string[] }): Promise<{ id: string; name: string }>;
  renameSession(name: string, newName: string): Promise<{ id: string; name: string }>;
  killSession(name: string): Promise<void>;
  /** Trade a token or password for the session cookie. 401 and 429 come back as HttpError. */
  login(cred: { token: string } | { password: string }): Promise<void>;
  logout(): Promise<void>;
  /** For the reconnect loops: is the login still good? */
  checkAuth(): Promise<'ok' | 'unauthorized' | 'unknown'>;
  /** For the events feed's fallback: a listing, or why not. */
  fetchSessions(): Promise<FetchResult>;
  /** The last `lines` lines of a window's active pane, with colour escapes (docs/api.md). */
  history(session: string, window: string, lines: number): Promise<HistoryResponse>;
  /** Find: the lines of a window's whole history and screen that hold `query`, newest first, in context (docs/api.md). */
  searchHistory(session: string, window: string, query: string): Promise<SearchResponse>;
  /** A one-time login URL for another device (owner only). */
  loginLink(): Promise<LoginLink>;
  /** The daemon's VAPID public key (base64url) for PushManager.subscribe(). */
  pushKey(): Promise<string>;
  /** This browser wants notifications (owner only); `subscription` is PushSubscription.toJSON(). */
  addPushSubscription(subscription: unknown, name: string): Promise<void>;
  removePushSubscription(endpoint: string): Promise<void>;
  /** Background jobs (docs/api.md "Jobs"). */
  jobs(): Promise<JobInfo[]>;
  job(name: string): Promise<JobInfo>;
  /** Bytes of a job's log: forward `from` an offset, backward `to` one, or the tail. */
  jobLog(name: string, range: { from?: number; to?: number; max?: number }): Promise<LogChunk>;
  stopJob(name: string): Promise<void>;
  removeJob(name: string): Promise<void>;
  /** Scheduled runs (docs/api.md "Schedules"). */
  schedules(): Promise<ScheduleInfo[]>;
  schedule(name: string): Promise<ScheduleInfo>;
  /** Newest first. */
  scheduleHistory(name: string, limit: number): Promise<RunInfo[]>;
  setSchedulePaused(name: string, paused: boolean): Promise<ScheduleInfo>;
  /** Started, skipped by a guard (with its reason) or failed to start; `force` bypasses the guards. */
  runSchedule(name: string, force: boolean): Promise<RunInfo>;
  /** A session running `claude --resume` for a run's conversation. */
  openRun(name: string, runId: number): Promise<{ session: string; created: boolean }>;
}

/** A range of a job's log and where it sits (offsets count every byte the job printed). */
export interface LogChunk {
  data: Uint8Array;
  from: number;
  to: number;
  /** First offset kept (older output was cut). */
  start: number;
  end: number;
  /** The job has ended: nothing more will come. */
  complete: boolean;
}

export interface HistoryResponse {
  lines: string[];
}

export interface SearchResponse {
  /** Lines searched. */
  lines: number;
  /** Lines that matched. */
  total: number;
  /** There were more hits than the daemon counts. */
  capped: boolean;
  matches: Match[];
}

export interface LoginLink {
  url: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface RequestOptions {
  body?: unknown;
  /** Hand a 401 to the caller instead of going to /login (the login form, the probes). */
  own401?: boolean;
}

export function createApi(onUnauthorized: () => void, fetchImpl: typeof fetch = fetch.bind(globalThis)): Api {
  async function request(method: string, path: string, o: RequestOptions = {}): Promise<Response> {
    const state = method !== 'GET' && method !== 'HEAD';
    let res: Response;
    try {
      res = await fetchImpl(path, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: state ? { 'content-type': 'application/json' } : {},
        // Every state change carries a JSON object, {} when there is nothing to say (the daemon reads an empty body as none too).
        body: state ? JSON.stringify(o.body ?? {}) : null,
      });
    } catch {
      throw new HttpError(0, 'unreachable', 'The Roost daemon cannot be reached.');
    }
    if (res.ok) return res;
    if (res.status === 401 && !o.own401) onUnauthorized();
    throw await errorOf(res);
  }
  const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

  return {
    me: async () => json<Me>(await request('GET', '/api/me')),
    sessions: async () => json<SessionInfo[]>(await request('GET', '/api/sessions')),
    createSession: async (req) => json(await request('POST', '/api/sessions', { body: req })),
    renameSession: async (name, newName) =>
      json(await request('PATCH', `/api/sessions/${encodeURIComponent(name)}`, { body: { name: newName } })),
    killSession: async (name) => void (await request('DELETE', `/api/sessions/${encodeURIComponent(name)}`)),
    login: async (cred) => void (await request('POST', '/api/login', { body: cred, own401: true })),
    logout: async () => void (await request('POST', '/api/logout', { own401: true })),
    checkAuth: async () => {
      try {
        await request('GET', '/api/me', { own401: true });
        return 'ok';
      } catch (e) {
        return e instanceof HttpError && e.status === 401 ? 'unauthorized' : 'unknown';
      }
    },
    fetchSessions: async () => {
      try {
        const sessions = await json<SessionInfo[]>(await request('GET', '/api/sessions', { own401: true }));
        return { ok: true, sessions };
      } catch (e) {
        return { ok: false, unauthorized: e instanceof HttpError && e.status === 401 };
      }
    },
    history: async (session, window, lines) =>
      json<HistoryResponse>(await request('GET', `/api/sessions/${encodeURIComponent(session)}/windows/${encodeURIComponent(window)}/history?lines=${lines}`)),
    searchHistory: async (session, window, query) =>
      json<SearchResponse>(await request('GET', `/api/sessions/${encodeURIComponent(session)}/windows/${encodeURIComponent(window)}/search?q=${encodeURIComponent(query)}`)),
    loginLink: async () => json<LoginLink>(await request('POST', '/api/login-links')),
    pushKey: async () => (await json<{ key: string }>(await request('GET', '/api/push/key'))).key,
    addPushSubscription: async (subscription, name) => void (await request('POST', '/api/push/subscriptions', { body: { subscription, name } })),
    removePushSubscription: async (endpoint) => void (await request('DELETE', '/api/push/subscriptions', { body: { endpoint } })),
    jobs: async () => json<JobInfo[]>(await request('GET', '/api/jobs')),
    job: async (name) => json<JobInfo>(await request('GET', `/api/jobs/${encodeURIComponent(name)}`)),
    jobLog: async (name, range) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(range)) if (v !== undefined) q.set(k, String(v));
      const res = await request('GET', `/api/jobs/${encodeURIComponent(name)}/log?${q}`);
      const n = (h: string) => Number(res.headers.get(h) ?? 0);
      return {
        data: new Uint8Array(await res.arrayBuffer()),
        from: n(LOG_HEADERS.from), to: n(LOG_HEADERS.to), start: n(LOG_HEADERS.start), end: n(LOG_HEADERS.end),
        complete: res.headers.get(LOG_HEADERS.complete) === '1',
      };
    },
    stopJob: async (name) => void (await request('POST', `/api/jobs/${encodeURIComponent(name)}/stop`)),
    removeJob: async (name) => void (await request('DELETE', `/api/jobs/${encodeURIComponent(name)}`)),
    schedules: async () => json<ScheduleInfo[]>(await request('GET', '/api/schedules')),
    schedule: async (name) => json<ScheduleInfo>(await request('GET', `/api/schedules/${encodeURIComponent(name)}`)),
    scheduleHistory: async (name, limit) => json<RunInfo[]>(await request('GET', `/api/schedules/${encodeURIComponent(name)}/history?limit=${limit}`)),
    setSchedulePaused: async (name, paused) => json<ScheduleInfo>(await request('POST', `/api/schedules/${encodeURIComponent(name)}/${paused ? 'pause' : 'resume'}`)),
    runSchedule: async (name, force) => json<RunInfo>(await request('POST', `/api/schedules/${encodeURIComponent(name)}/run`, { body: { force } })),
    openRun: async (name, runId) => json(await request('POST', `/api/schedules/${encodeURIComponent(name)}/runs/${runId}/open`)),
  };
}

async function errorOf(res: Response): Promise<HttpError> {
  const retry = Number(res.headers.get('retry-after'));
  let code = `http-${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  return new HttpError(res.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : null);
}
