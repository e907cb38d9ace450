/**
 * The frame decoders against random and mutated input: whatever arrives, a
 * decoder returns a message or throws ProtocolError (the daemon turns that
 * into an ERROR and a close), never anything else, and what it returns
 * encodes back to a frame that decodes the same. Seeded, so a failure
 * repeats; ROOST_FUZZ_SECONDS runs longer (e.g. 3600 for an hour).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeClient, decodeServer, encodeClient, encodeServer, ClientType, ServerType, ProtocolError } from '../../src/shared/protocol.js';
import { rng } from '../helpers/coverage-fuzz.js';

const SECONDS = Number(process.env['ROOST_FUZZ_SECONDS'] ?? '1');

const JSON_BITS = ['{', '}', '"cols"', '"rows"', '"v"', '"bytes"', '"window"', '"lines"', '"focused"', '"title"', '"code"', '"message"',
  '"reason"', '"readOnly"', '"session"', '"scrolled"', ':', ',', '1', '-1', '0', '1e9', '80', '24', '"@3"', 'true', 'null', '[]', '"\\u0000"', '1.5'];

/** A frame: a known or random type byte, then random bytes or JSON-looking pieces. */
function frame(r: () => number, types: number[]): Uint8Array {
  const type = r() < 0.9 ? types[Math.floor(r() * types.length)]! : Math.floor(r() * 256);
  if (r() < 0.5) {
    const body = Array.from({ length: Math.floor(r() * 12) }, () => JSON_BITS[Math.floor(r() * JSON_BITS.length)]).join('');
    return Uint8Array.from([type, ...new TextEncoder().encode(body)]);
  }
  const out = new Uint8Array(r() < 0.05 ? 0 : 1 + Math.floor(r() * 64));
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(r() * 256);
  if (out.length) out[0] = type;
  return out;
}

function fuzz(seed: number, types: number[], decode: (f: Uint8Array) => unknown, encode: (m: never) => Uint8Array): { frames: number; valid: number } {
  const r = rng(seed);
  const deadline = Date.now() + SECONDS * 1000;
  let frames = 0;
  let valid = 0;
  while (Date.now() < deadline) {
    for (let i = 0; i < 1000; i++) {
      const f = frame(r, types);
      frames++;
      let msg: unknown;
      try {
        msg = decode(f);
      } catch (e) {
        if (!(e instanceof ProtocolError)) assert.fail(`frame ${Buffer.from(f).toString('hex')} threw ${String(e)}`);
        continue;
      }
      valid++;
      assert.deepEqual(decode(encode(msg as never)), msg, `frame ${Buffer.from(f).toString('hex')} does not round-trip`);
    }
  }
  return { frames, valid };
}

test('client frames: random and JSON-shaped input decodes or is a ProtocolError, and what decodes round-trips', () => {
  const { frames, valid } = fuzz(0xC11E, Object.values(ClientType), decodeClient, encodeClient);
  assert.ok(valid > 0 && valid < frames, `some frames valid, most not (${valid} of ${frames})`);
});

test('server frames: the same for the browser\'s decoder', () => {
  const { frames, valid } = fuzz(0x5E7E, Object.values(ServerType), decodeServer, encodeServer);
  assert.ok(valid > 0 && valid < frames, `some frames valid, most not (${valid} of ${frames})`);
});
