/**
 * The app's URLs: /login, / (dashboard), /s/NAME and /s/NAME/WINDOW
 * (bookmarkable terminals), /jobs and /jobs/NAME (background jobs, a job's log),
 * /schedules and /schedules/NAME (scheduled runs, a schedule's history). Pure: parsing and building paths only; main.ts
 * does the history API.
 */

export type Route =
  | { page: 'login' }
  | { page: 'dashboard' }
  | { page: 'terminal'; session: string; window: string | null }
  | { page: 'jobs' }
  | { page: 'job'; name: string }
  | { page: 'schedules' }
  | { page: 'schedule'; name: string }
  | { page: 'not-found'; path: string };

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'dashboard' };
  if (pathname === '/login' || pathname === '/login/') return { page: 'login' };
  if (pathname === '/jobs' || pathname === '/jobs/') return { page: 'jobs' };
  const job = /^\/jobs\/([^/]+)\/?$/.exec(pathname);
  if (job) {
    const name = decode(job[1]!);
    if (name) return { page: 'job', name };
  }
  if (pathname === '/schedules' || pathname === '/schedules/') return { page: 'schedules' };
  const schedule = /^\/schedules\/([^/]+)\/?$/.exec(pathname);
  if (schedule) {
    const name = decode(schedule[1]!);
    if (name) return { page: 'schedule', name };
  }
  const m = /^\/s\/([^/]+)(?:\/([^/]+))?\/?$/.exec(pathname);
  if (m) {
    const session = decode(m[1]!);
    const window = m[2] === undefined ? null : decode(m[2]);
    if (session !== null && session !== '' && window !== '') return { page: 'terminal', session, window };
  }
  return { page: 'not-found', path: pathname };
}

/** The URL of a session's terminal, optionally on one window. */
export function terminalPath(session: string, window?: string | number | null): string {
  const base = `/s/${encodeURIComponent(session)}`;
  return window === undefined || window === null ? base : `${base}/${encodeURIComponent(String(window))}`;
}

/** The URL of a job's log viewer. */
export function jobPath(name: string): string {
  return `/jobs/${encodeURIComponent(name)}`;
}

/** The URL of a schedule's page (its history). */
export function schedulePath(name: string): string {
  return `/schedules/${encodeURIComponent(name)}`;
}

/** Where to go after logging in (`?next=`): only a path of this app, never another site (`//host`, `/\\host`). */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) return '/';
  return parseRoute(next.split('?')[0]!).page === 'not-found' ? '/' : next;
}
