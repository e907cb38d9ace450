/**
 * Why a terminal page's connection ended, written once for the daemon that
 * says it and the page that turns it into its "Session ended" banner: the
 * reasons of the EXIT frame and the message of the `no-session` ERROR
 * before close 4404 (docs/protocol.md). The wire carries these texts as
 * they are; other clients may show them raw. Pure: no DOM, no Node.
 */

/** EXIT's reason, by what happened. */
export const EXIT_REASON = {
  /** Its last window closed, or tmux killed it (the daemon noticed it gone). */
  ended: 'the session ended',
  /** Killed through the API (the dashboard, `roost kill`). */
  killed: 'the session was killed',
  /** This page's tmux client went (e.g. `tmux detach-client`); the session lives on. */
  detached: 'the terminal was detached',
} as const;

/** The `no-session` ERROR's message (then close 4404). */
export function noSessionMessage(name: string): string {
  return `no session named ${name}`;
}

const NO_SESSION_RE = /^no session named (.+)$/s;

/**
 * The banner's sentence for why the terminal ended: "Session ended.", "No
 * session named nosuch." (it never started, so not "ended"), or any other
 * reason as a sentence of its own ("The daemon refused this terminal.").
 */
export function endedText(reason: string): string {
  switch (reason) {
    case '':
    case EXIT_REASON.ended: return 'Session ended.';
    case EXIT_REASON.killed: return 'Session ended: it was killed.';
    case EXIT_REASON.detached: return 'Detached; the session is still running.';
  }
  const missing = NO_SESSION_RE.exec(reason);
  if (missing) return `No session named ${missing[1]}.`;
  const sentence = reason.charAt(0).toUpperCase() + reason.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
