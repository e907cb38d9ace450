/**
 * OSC 52 (a program in the terminal sets or reads the clipboard), made safe:
 * reads are never answered, since the answer would type the clipboard into
 * whatever runs in the session; writes are accepted only when small and, in
 * view.ts, only right after the user pressed a key or clicked (a program
 * cannot fill the clipboard behind the user's back). Pure: no DOM.
 */

/**
 * Largest clipboard write accepted, in bytes of text: a long command or a
 * screenful of code. Its sequence (base64: 4 characters per 3 bytes, about
 * 87 kB) stays under the daemon's HIGH_WATERMARK_BYTES of unacknowledged
 * output: a longer one would be cut by flow control on its way to a page
 * and lost, so a bigger limit here would promise copies that never arrive.
 */
export const OSC52_MAX_BYTES = 64 * 1024;

export type Osc52 =
  | { kind: 'write'; text: string }
  | { kind: 'read' }
  | { kind: 'refused'; why: string };

/** Parse the payload of `ESC ] 52 ; <payload> BEL` ("c;BASE64", "c;?", "s0;..."). */
export function parseOsc52(payload: string, maxBytes = OSC52_MAX_BYTES): Osc52 {
  const semi = payload.indexOf(';');
  if (semi < 0) return { kind: 'refused', why: 'malformed' };
  const data = payload.slice(semi + 1);
  if (data === '?') return { kind: 'read' };
  // Base64 is 4 characters per 3 bytes; check before decoding anything big.
  if (Math.floor((data.length * 3) / 4) > maxBytes + 3) return { kind: 'refused', why: 'too large' };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return { kind: 'refused', why: 'not base64' };
  let binary: string;
  try {
    binary = atob(data);
  } catch {
    return { kind: 'refused', why: 'not base64' };
  }
  if (binary.length > maxBytes) return { kind: 'refused', why: 'too large' };
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    return { kind: 'write', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { kind: 'refused', why: 'not UTF-8' };
  }
}
