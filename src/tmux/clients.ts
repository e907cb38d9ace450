/**
 * The clients attached to a tmux server (`list-clients`), with what the
 * scheduler's "is a person here" guard needs: which session each is on
 * (for a browser's per-device view session, the session it views), whether
 * it is read-only or a control-mode client, and when it last had input.
 */
import type { TmuxClient } from './client.js';
import { TmuxError } from './errors.js';
import { SPARE_OPTION, VIEW_OPTION } from './options.js';
import { bool, formatString, int, parseRows, str } from './format.js';

export const CLIENT_FORMAT = {
  name: ['client_name', str],
  pid: ['client_pid', int],
  sessionId: ['session_id', str],
  sessionName: ['session_name', str],
  /** A view session's viewed session id (views.ts); empty for a real session. */
  viewOf: [VIEW_OPTION, str],
  /** On a spare view: a client attached ahead for the next browser terminal, no person (src/server/terminal/warm-client.ts). */
  spare: [SPARE_OPTION, bool],
  readOnly: ['client_readonly', bool],
  controlMode: ['client_control_mode', bool],
  /** Epoch seconds of the client's last input (keys, mouse) or attach. */
  activity: ['client_activity', int],
} as const;

export interface ClientRow {
  name: string;
  pid: number;
  sessionId: string;
  sessionName: string;
  viewOf: string;
  spare: boolean;
  readOnly: boolean;
  controlMode: boolean;
  activity: number;
}

/** Every client of the server; no server is no clients. */
export async function listClients(tmux: TmuxClient): Promise<ClientRow[]> {
  let out: string;
  try {
    out = await tmux.run(['list-clients', '-F', formatString(CLIENT_FORMAT)]);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return [];
    throw e;
  }
  return parseRows(CLIENT_FORMAT, out);
}
