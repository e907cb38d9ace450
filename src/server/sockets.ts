/**
 * Every open WebSocket with the credential that opened it. Logout closes the
 * sockets of that login at once; recheck() (every second while any socket
 * is open, and when the CLI pokes the daemon) closes those whose credential
 * was revoked, expired or ended by another process writing the database
 * (`roost token revoke`, `roost passwd`). With no socket open no timer runs.
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

export interface RecheckOptions {
  /** ms between two rechecks while sockets are open (default RECHECK_MS). */
  everyMs?: number;
  /** A recheck failed (the database busy); the next one tries again. */
  onError?: (e: unknown) => void;
  /** The number of open sockets changed (0: the last one closed). */
  onCount?: (open: number) => void;
}

export class SocketRegistry {
  private readonly entries = new Set<Entry>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly auth: Auth, private readonly rechecks: RecheckOptions = {}) {}

  get size(): number {
    return this.entries.size;
  }

  /** Track a socket; call the returned function when it closes. */
  add(principal: Principal, close: (code: number, reason: string) => void): () => void {
    const e: Entry = { principal, close };
    this.entries.add(e);
    this.timed();
    this.rechecks.onCount?.(this.entries.size);
    return () => {
      if (this.entries.delete(e)) this.removed();
    };
  }

  /** No more rechecks (the daemon stops). */
  close(): void {
    this.closed = true;
    this.timed();
  }

  /** The recheck timer runs while sockets are open, and only then. */
  private timed(): void {
    const wanted = this.entries.size > 0 && !this.closed;
    if (wanted && !this.timer) {
      this.timer = setInterval(() => {
        try {
          this.recheck();
        } catch (e) {
          this.rechecks.onError?.(e);
        }
      }, this.rechecks.everyMs ?? RECHECK_MS);
    } else if (!wanted && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
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

  private removed(): void {
    this.timed();
    this.rechecks.onCount?.(this.entries.size);
  }

  private end(e: Entry, code: number, reason: string): void {
    if (this.entries.delete(e)) this.removed();
    try {
      e.close(code, reason);
    } catch {
      // The socket is already gone: closing it was the goal.
    }
  }
}
