/**
 * The record of each node session, one JSON file per session under the
 * state folder (`$XDG_STATE_HOME/roost/slurm/sessions/NAME.json`). Login
 * nodes of a cluster share the home folder, so every login node sees every
 * record: which host and tmux server hold the session, what was asked of
 * Slurm, the job id, and how the allocation went.
 *
 * Writers: the CLI creates a record before the session exists; the
 * session's windows (runner.ts) fill in the job id and what they saw end;
 * whoever notices the session is gone removes it. A record names its
 * session by tmux id and creation time as well as by name, so it follows a
 * rename (roost rename, the dashboard, tmux rename-session): a session is
 * matched by that identity (sessionOfRecord), and followSessionNames moves
 * the file to the session's new name. Writes are atomic
 * (temp file + rename), so a reader never sees half a file; two windows
 * updating at the same instant may lose one update, which the poller's own
 * look at Slurm makes up for.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writePrivateFile } from '../config/files.js';
import { isValidName } from '../shared/names.js';
import type { SessionInfo } from '../shared/api.js';
import type { NodeRequest } from './request.js';

/**
 * Where a node session is in its life, as its own windows saw it:
 *   requesting  salloc is running and has not said anything yet
 *   queued      salloc said the job is pending
 *   running     the allocation was granted
 *   launched    a --launcher runs (it makes the allocation itself)
 *   failed      Slurm refused the request (error says why)
 *   ended       the allocation is over (ended says how)
 */
export type NodePhase = 'requesting' | 'queued' | 'running' | 'launched' | 'failed' | 'ended';

export interface NodeEnd {
  /** Slurm's final state (TIMEOUT, CANCELLED, COMPLETED, NODE_FAIL...) or ENDED when Slurm no longer knew the job. */
  state: string;
  reason: string | null;
  at: number;
}

/** A tmux session for good: its id is reused by a later server, its id and creation second together are not. */
export interface SessionIdentity {
  id: string;
  /** Epoch seconds (session_created). */
  created: number;
}

export interface NodeRecord {
  /** The session's name; moved with the session when it is renamed (followSessionNames). */
  name: string;
  /** The tmux session, written by its first window; null (or absent, in records of older Roosts) until then: matched by name. */
  session?: SessionIdentity | null;
  /** The login host whose tmux server holds the session. */
  host: string;
  /** tmux -L name of that server; null for the default one. */
  socket: string | null;
  createdAt: number;
  request: NodeRequest;
  /** The command of the first window (after --), null for the login shell. */
  command: string[] | null;
  phase: NodePhase;
  jobId: string | null;
  /** The job was pending before it was granted, so "granted" is news: salloc said so, or a launcher's job was found PENDING. */
  queued: boolean;
  submittedAt: number | null;
  grantedAt: number | null;
  /** Slurm's refusal in one line (phase failed). */
  error: string | null;
  ended: NodeEnd | null;
  /** How many times a window fell back to the login node while the allocation lived. */
  fallbacks: number;
  /** A launcher ran but Roost could not tell which job it started. */
  jobNotFound: boolean;
}

/** This login host, as records name it. */
export function thisHost(): string {
  return hostname();
}

export function recordsDir(stateDir: string): string {
  return join(stateDir, 'slurm', 'sessions');
}

function recordFile(stateDir: string, name: string): string {
  // Names reaching here passed checkName; the check is repeated because the name becomes a path.
  if (!isValidName(name)) throw new Error(`invalid node session name ${JSON.stringify(name)}`);
  return join(recordsDir(stateDir), `${name}.json`);
}

function parse(text: string): NodeRecord | null {
  try {
    const r = JSON.parse(text) as NodeRecord;
    return r && typeof r === 'object' && typeof r.name === 'string' && typeof r.host === 'string' ? r : null;
  } catch {
    // A file that is not JSON (edited by hand, a foreign file) is no record: it is skipped, not fatal.
    return null;
  }
}

export function readRecord(stateDir: string, name: string): NodeRecord | null {
  try {
    return parse(readFileSync(recordFile(stateDir, name), 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export function writeRecord(stateDir: string, r: NodeRecord): void {
  writePrivateFile(recordFile(stateDir, r.name), `${JSON.stringify(r, null, 2)}\n`);
}

/** Read, change and write back a record; null (and nothing written) when there is none. */
export function updateRecord(stateDir: string, name: string, change: (r: NodeRecord) => void): NodeRecord | null {
  const r = readRecord(stateDir, name);
  if (!r) return null;
  change(r);
  writeRecord(stateDir, r);
  return r;
}

/** Record how job `jobId` of session `name` ended, once, and only while it is still the session's job. */
export function recordJobEnd(stateDir: string, name: string, jobId: string, state: string, reason: string | null): void {
  updateRecord(stateDir, name, (x) => {
    if (x.jobId === jobId && !x.ended) Object.assign(x, { phase: 'ended', ended: { state, reason, at: Date.now() } });
  });
}

export function removeRecord(stateDir: string, name: string): void {
  rmSync(recordFile(stateDir, name), { force: true });
}

/** Every record, by name. */
export function listRecords(stateDir: string): NodeRecord[] {
  let files: string[];
  try {
    files = readdirSync(recordsDir(stateDir));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: NodeRecord[] = [];
  for (const f of files.sort()) {
    const name = f.endsWith('.json') ? f.slice(0, -5) : '';
    if (!isValidName(name)) continue; // temp files of a write in progress, foreign files
    const r = readRecord(stateDir, name);
    if (r) out.push(r);
  }
  return out;
}

/** Is this record's session held by this host's tmux server `socket`? */
export function heldHere(r: NodeRecord, host: string, socket: string | null): boolean {
  return r.host === host && r.socket === socket;
}

/** The live node session a record belongs to: by identity when the record has it, else by name. */
export function sessionOfRecord<S extends Pick<SessionInfo, 'id' | 'name' | 'kind' | 'created'>>(r: NodeRecord, sessions: readonly S[]): S | undefined {
  const me = r.session;
  return me ? sessions.find((s) => s.id === me.id && s.created === me.created) : sessions.find((s) => s.name === r.name && s.kind === 'node');
}

/**
 * Move the records of this tmux server's sessions that were renamed to
 * their sessions' new names, so every command and window finds them there.
 * A record whose new name holds another record stays (that one is of a gone
 * session, which whoever polls releases first). Returns whether any moved.
 */
export function followSessionNames(stateDir: string, host: string, socket: string | null, sessions: readonly Pick<SessionInfo, 'id' | 'name' | 'kind' | 'created'>[]): boolean {
  let moved = false;
  for (const r of listRecords(stateDir)) {
    if (!heldHere(r, host, socket) || !r.session) continue;
    const s = sessionOfRecord(r, sessions);
    if (!s || s.name === r.name || !isValidName(s.name) || readRecord(stateDir, s.name)) continue;
    // New file first: a reader between the two steps sees the record twice (same session), never not at all.
    writeRecord(stateDir, { ...r, name: s.name });
    removeRecord(stateDir, r.name);
    moved = true;
  }
  return moved;
}

export function newRecord(o: { name: string; host: string; socket: string | null; request: NodeRequest; command: string[] | null; now: number }): NodeRecord {
  return {
    name: o.name, session: null, host: o.host, socket: o.socket, createdAt: o.now, request: o.request, command: o.command,
    phase: 'requesting', jobId: null, queued: false, submittedAt: null, grantedAt: null, error: null, ended: null, fallbacks: 0, jobNotFound: false,
  };
}
