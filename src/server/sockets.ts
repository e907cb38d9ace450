/**
 * Every open WebSocket with the credential that opened it. Logout closes the
 * sockets of that login at once; recheck() (every second, and when the CLI
 * pokes the daemon) closes those whose credential was revoked, expired or
 * ended by another process writing the database (`roost token revoke`,
 * `roost passwd`).
 */
import type { Auth } from '../auth/auth.js';
import type { Principal } from '../auth/roles.js';

import { CLOSE } from '../shared/close-codes.js';

/** How often open sockets' credentials are checked again (ms). */
export const RECHECK_MS = 1000;

interface Entry {
  principal: Principal;
  close: (code: number, reason: string) => void;
}

function keyOf(p: Principal): string {
  return p.kind === 'token' ? `t:${p.tokenId}` : p.kind === 'login' ? `l:${p.loginId}` : 'unix';
}

export class SocketRegistry {
  private readonly entries = new Set<Entry>();

  constructor(private readonly auth: Auth) {}

  get size(): number {
    return this.entries.size;
  }

  /** Track a socket; call the returned function when it closes. */
  add(principal: Principal, close: (code: number, reason: string) => void): () => void {
    const e: Entry = { principal, close };
    this.entries.add(e);
    return () => void this.entries.delete(e);
  }

  /** Close the sockets whose credential is no longer valid; returns how many. */
  recheck(): number {
    const verdict = new Map<string, boolean>();
    const gone: Entry[] = [];
    for (const e of this.entries) {
      const k = keyOf(e.principal);
      let ok = verdict.get(k);
      if (ok === undefined) {
        ok = this.auth.stillValid(e.principal);
        verdict.set(k, ok);
      }
      if (!ok) gone.push(e);
    }
    for (const e of gone) this.end(e, CLOSE.AUTH_ENDED, 'credentials ended');
    return gone.length;
  }

  /** Close every socket matching `which`. */
  closeWhere(which: (p: Principal) => boolean, code: number, reason: string): number {
    const gone = [...this.entries].filter((e) => which(e.principal));
    for (const e of gone) this.end(e, code, reason);
    return gone.length;
  }

  private end(e: Entry, code: number, reason: string): void {
    this.entries.delete(e);
    try {
      e.close(code, reason);
    } catch {
      // The socket is already gone: closing it was the goal.
    }
  }
}
