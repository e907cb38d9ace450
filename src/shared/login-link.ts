/**
 * The login link's path: the token rides in the URL fragment, which
 * browsers never send to a server (the login page, src/web/login.ts, reads
 * it and posts it). One place for the daemon's one-time links (`roost
 * open`, the dashboard's Add device) and API tokens' reusable ones (`roost
 * token create`).
 */
export function loginPath(token: string): string {
  return `/login#token=${token}`;
}
