/**
 * The WebSocket terminal protocol, written once for the daemon and the
 * browser. docs/protocol.md is the prose version of this file.
 *
 * Every WebSocket message is one binary frame:
 *
 *   +--------+---------------------------------------------+
 *   | type   | payload                                     |
 *   | 1 byte | raw terminal bytes, or UTF-8 JSON (control) |
 *   +--------+---------------------------------------------+
 *
 * Types are distinct per direction (client→server 0x1_, server→client 0x2_),
 * so a frame sent the wrong way is a protocol error, never a misread.
 *
 *   client → server                      server → client
 *   0x10 HELLO   {v, cols, rows, device?}  0x20 HELLO  {v, readOnly, session, window, size?}
 *   0x11 INPUT   raw bytes                 0x21 OUTPUT raw bytes
 *   0x12 RESIZE  {cols, rows}              0x22 TITLE  {title}
 *   0x13 ACK     {bytes}                   0x23 ERROR  {code, message}
 *   0x14 SELECT  {window}                  0x24 EXIT   {reason}
 *   0x15 SCROLL  {lines}                   0x25 VIEW   {window, scrolled, size?, session?}
 *   0x16 LIVE    {}
 *   0x17 FOCUS   {focused}
 *   0x18 FIT     {}
 *
 * The client's first frame is HELLO; the server answers with its HELLO and
 * then streams OUTPUT. ACK.bytes counts OUTPUT payload bytes rendered since
 * the previous ACK (an increment, not a running total). SELECT.window is a
 * window index ("2") or id ("@5") of the session; it moves only the sender's
 * own view. SCROLL moves the sender's view through the pane's history
 * (lines < 0: back; > 0: towards live output), LIVE returns it to live
 * output; VIEW tells the client its view's window or scrolled state changed
 * (a tab picked elsewhere, tmux's own prefix-n, copy mode left), or the
 * window's size or who sizes it changed (`size`, WindowSize), or the viewed
 * session was renamed (`session`, its new name, sent once per rename; the
 * page shows it and reconnects with it). `size` and `session` came after
 * version 1: an older daemon leaves them out and an older page ignores
 * them (unknown fields are ignored), so neither needed a new version.
 * HELLO.device
 * names the browser (the same on every connection it makes), so a device
 * that sized a window keeps doing so after a reconnect; FIT makes the
 * sender's device the one that sizes its window (typing does it too: the
 * browser sends FIT before the first key it types into a window another
 * device sizes). Flow control: the client ACKs the OUTPUT bytes it has
 * rendered, in steps of ACK_STEP_BYTES; the server drops OUTPUT while more
 * than HIGH_WATERMARK_BYTES are unacknowledged, and once below
 * LOW_WATERMARK_BYTES sends a CAN (0x18) and a full redraw (the pacing of
 * VS Code's pty host; docs/protocol.md, "Flow control").
 */

export const PROTOCOL_VERSION = 1;

/** Unacknowledged output above which the server drops OUTPUT until the client catches up. 100 kB, as VS Code's pause mark. */
export const HIGH_WATERMARK_BYTES = 100_000;
/** Unacknowledged output below which a client that was behind has caught up (and is redrawn). */
export const LOW_WATERMARK_BYTES = 5_000;
/** The client acknowledges in steps of this many bytes. */
export const ACK_STEP_BYTES = 5_000;
/** Largest WebSocket message either side accepts (1 MiB); pastes are chunked below it. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** Pastes are sent as INPUT frames of at most this many bytes. */
export const INPUT_CHUNK_BYTES = 64 * 1024;
/** Terminal sizes outside 1..MAX_DIMENSION are refused. */
export const MAX_DIMENSION = 1000;
/** One SCROLL moves at most this many lines either way. */
export const MAX_SCROLL_LINES = 10_000;

/** A HELLO's device id: what a browser generates once and keeps (prefs.ts); anything else is refused. */
export const DEVICE_ID_RE = /^[A-Za-z0-9_-]{8,64}$/;

export const ClientType = { HELLO: 0x10, INPUT: 0x11, RESIZE: 0x12, ACK: 0x13, SELECT: 0x14, SCROLL: 0x15, LIVE: 0x16, FOCUS: 0x17, FIT: 0x18 } as const;
export const ServerType = { HELLO: 0x20, OUTPUT: 0x21, TITLE: 0x22, ERROR: 0x23, EXIT: 0x24, VIEW: 0x25 } as const;

/**
 * The size of the window a view shows and who sets it. `cols` x `rows` is
 * the grid that shows all of it (the window plus tmux's status lines), of
 * which `status` rows are those status lines: the window itself, as tmux
 * reports it, is `cols` x (`rows` - `status`). `sizer` true: this device
 * sizes the window (its terminal fits its screen and the window follows,
 * RESIZE by RESIZE). False: another device does, or
 * nobody does right now and the window keeps its size; the device shows the
 * window at `cols` x `rows` and sizes nothing until it types or sends FIT.
 */
export interface WindowSize {
  cols: number;
  rows: number;
  /** How many of `rows` are tmux's status lines; 0 from a daemon older than this field, which leaves it out. */
  status: number;
  sizer: boolean;
}

export type ClientMsg =
  /** `device`: the browser's own id (DEVICE_ID_RE), the same on every connection; absent, the connection is a device of its own. */
  | { type: 'hello'; v: number; cols: number; rows: number; device?: string }
  | { type: 'input'; data: Uint8Array }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'ack'; bytes: number }
  | { type: 'select'; window: string }
  | { type: 'scroll'; lines: number }
  | { type: 'live' }
  /** The page is (or stops being) in front of a person: a focused, visible tab. Only steers notifications. */
  | { type: 'focus'; focused: boolean }
  /** Size the window this view shows for this device (as typing in it does). */
  | { type: 'fit' };

export type ServerMsg =
  | { type: 'hello'; v: number; readOnly: boolean; session: string; window: string | null; size?: WindowSize }
  | { type: 'output'; data: Uint8Array }
  | { type: 'title'; title: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'exit'; reason: string }
  /** `session`: the viewed session's new name, when it was renamed since the last HELLO or VIEW said it. */
  | { type: 'view'; window: string; scrolled: boolean; size?: WindowSize; session?: string };

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function frame(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 1);
  out[0] = type;
  out.set(payload, 1);
  return out;
}

function jsonFrame(type: number, body: object): Uint8Array {
  return frame(type, encoder.encode(JSON.stringify(body)));
}

export function encodeClient(msg: ClientMsg): Uint8Array {
  switch (msg.type) {
    case 'hello': return jsonFrame(ClientType.HELLO, { v: msg.v, cols: msg.cols, rows: msg.rows, ...(msg.device === undefined ? {} : { device: msg.device }) });
    case 'input': return frame(ClientType.INPUT, msg.data);
    case 'resize': return jsonFrame(ClientType.RESIZE, { cols: msg.cols, rows: msg.rows });
    case 'ack': return jsonFrame(ClientType.ACK, { bytes: msg.bytes });
    case 'select': return jsonFrame(ClientType.SELECT, { window: msg.window });
    case 'scroll': return jsonFrame(ClientType.SCROLL, { lines: msg.lines });
    case 'live': return jsonFrame(ClientType.LIVE, {});
    case 'focus': return jsonFrame(ClientType.FOCUS, { focused: msg.focused });
    case 'fit': return jsonFrame(ClientType.FIT, {});
  }
}

export function encodeServer(msg: ServerMsg): Uint8Array {
  switch (msg.type) {
    case 'hello': return jsonFrame(ServerType.HELLO, { v: msg.v, readOnly: msg.readOnly, session: msg.session, window: msg.window, ...sizeField(msg.size) });
    case 'output': return frame(ServerType.OUTPUT, msg.data);
    case 'title': return jsonFrame(ServerType.TITLE, { title: msg.title });
    case 'error': return jsonFrame(ServerType.ERROR, { code: msg.code, message: msg.message });
    case 'exit': return jsonFrame(ServerType.EXIT, { reason: msg.reason });
    case 'view': return jsonFrame(ServerType.VIEW, { window: msg.window, scrolled: msg.scrolled, ...sizeField(msg.size), ...(msg.session === undefined ? {} : { session: msg.session }) });
  }
}

const sizeField = (size: WindowSize | undefined) => (size === undefined ? {} : { size: { cols: size.cols, rows: size.rows, status: size.status, sizer: size.sizer } });

/** An optional `size` field (WindowSize); absent (an older daemon) is undefined, anything malformed an error. */
function sizeOf(body: Record<string, unknown>): WindowSize | undefined {
  const v = body['size'];
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ProtocolError('size must be an object');
  const o = v as Record<string, unknown>;
  if (typeof o['sizer'] !== 'boolean') throw new ProtocolError('size.sizer must be true or false');
  const rows = int(o, 'rows', 1, MAX_DIMENSION);
  // Absent from an older daemon: no rows known to be status lines. At least one row is the window's.
  const status = o['status'] === undefined ? 0 : int(o, 'status', 0, rows - 1);
  return { cols: int(o, 'cols', 1, MAX_DIMENSION), rows, status, sizer: o['sizer'] };
}

function parseJson(payload: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(payload));
  } catch {
    throw new ProtocolError('control frame is not valid UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('control frame must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function int(body: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = body[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ProtocolError(`${key} must be an integer from ${min} to ${max}`);
  }
  return v;
}

function str(body: Record<string, unknown>, key: string, maxLen: number): string {
  const v = body[key];
  if (typeof v !== 'string' || v.length > maxLen) throw new ProtocolError(`${key} must be a string of at most ${maxLen} characters`);
  return v;
}

function split(data: Uint8Array): [number, Uint8Array] {
  if (data.length === 0) throw new ProtocolError('empty frame');
  return [data[0]!, data.subarray(1)];
}

/** Decode a frame sent by a browser. Throws ProtocolError on anything malformed. */
export function decodeClient(data: Uint8Array): ClientMsg {
  const [type, p] = split(data);
  switch (type) {
    case ClientType.HELLO: {
      const b = parseJson(p);
      const hello: ClientMsg = { type: 'hello', v: int(b, 'v', 1, 1000), cols: int(b, 'cols', 1, MAX_DIMENSION), rows: int(b, 'rows', 1, MAX_DIMENSION) };
      if (b['device'] !== undefined) {
        const device = str(b, 'device', 64);
        if (!DEVICE_ID_RE.test(device)) throw new ProtocolError('device must be 8 to 64 letters, digits, - or _');
        hello.device = device;
      }
      return hello;
    }
    case ClientType.INPUT: return { type: 'input', data: p };
    case ClientType.RESIZE: {
      const b = parseJson(p);
      return { type: 'resize', cols: int(b, 'cols', 1, MAX_DIMENSION), rows: int(b, 'rows', 1, MAX_DIMENSION) };
    }
    case ClientType.ACK: return { type: 'ack', bytes: int(parseJson(p), 'bytes', 0, Number.MAX_SAFE_INTEGER) };
    case ClientType.SELECT: return { type: 'select', window: str(parseJson(p), 'window', 64) };
    case ClientType.SCROLL: return { type: 'scroll', lines: int(parseJson(p), 'lines', -MAX_SCROLL_LINES, MAX_SCROLL_LINES) };
    case ClientType.LIVE:
      parseJson(p);
      return { type: 'live' };
    case ClientType.FOCUS: {
      const focused = parseJson(p)['focused'];
      if (typeof focused !== 'boolean') throw new ProtocolError('focused must be true or false');
      return { type: 'focus', focused };
    }
    case ClientType.FIT:
      parseJson(p);
      return { type: 'fit' };
    default: throw new ProtocolError(`unknown client frame type 0x${type.toString(16)}`);
  }
}

/** Decode a frame sent by the daemon. Throws ProtocolError on anything malformed. */
export function decodeServer(data: Uint8Array): ServerMsg {
  const [type, p] = split(data);
  switch (type) {
    case ServerType.HELLO: {
      const b = parseJson(p);
      const w = b['window'];
      const size = sizeOf(b);
      return {
        type: 'hello', v: int(b, 'v', 1, 1000), readOnly: b['readOnly'] === true,
        session: str(b, 'session', 256), window: typeof w === 'string' ? w : null, ...(size ? { size } : {}),
      };
    }
    case ServerType.OUTPUT: return { type: 'output', data: p };
    case ServerType.TITLE: return { type: 'title', title: str(parseJson(p), 'title', 4096) };
    case ServerType.ERROR: {
      const b = parseJson(p);
      return { type: 'error', code: str(b, 'code', 64), message: str(b, 'message', 4096) };
    }
    case ServerType.EXIT: return { type: 'exit', reason: str(parseJson(p), 'reason', 4096) };
    case ServerType.VIEW: {
      const b = parseJson(p);
      const size = sizeOf(b);
      const session = b['session'] === undefined ? undefined : str(b, 'session', 256);
      return { type: 'view', window: str(b, 'window', 64), scrolled: b['scrolled'] === true, ...(size ? { size } : {}), ...(session === undefined ? {} : { session }) };
    }
    default: throw new ProtocolError(`unknown server frame type 0x${type.toString(16)}`);
  }
}
