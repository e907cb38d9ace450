/**
 * Coverage-guided fuzzing of the frame decoders (test/helpers/coverage-fuzz.ts):
 * whatever bytes arrive, decodeClient and decodeServer return a message or
 * throw ProtocolError, and what they return encodes back to a frame that
 * decodes the same. A second each here; ROOST_FUZZ_SECONDS=3600 (or
 * scripts/fuzz.mjs) runs it longer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coverageFuzz } from '../helpers/coverage-fuzz.js';
import { decodeClient, decodeServer, encodeClient, encodeServer, ProtocolError, type ClientMsg, type ServerMsg } from '../../src/shared/protocol.js';

const MS = Number(process.env['ROOST_FUZZ_SECONDS'] ?? '1') * 1000;
const enc = (s: string) => new TextEncoder().encode(s);
const DICTIONARY = ['{', '}', '"v":', '"cols":', '"rows":', '"bytes":', '"window":', '"lines":', '"focused":', '"title":', '"code":', '"message":',
  '"reason":', '"readOnly":', '"session":', '"scrolled":', ',', '1', '-1', '0', '1000', '1001', '1e9', '9007199254740992', '"@3"', 'true', 'false',
  'null', '[]', '"\\u0000"', '1.5', '"x"', '{}', '{"v":1,"cols":80,"rows":24}', '{"window":"1","scrolled":true}', '{"code":"c","message":"m"}'].map(enc);

/** One valid frame of each type: the corpus starts from these, as a fuzzing corpus does. */
const CLIENT_SEEDS: ClientMsg[] = [
  { type: 'hello', v: 1, cols: 80, rows: 24 }, { type: 'input', data: enc('ls\r') }, { type: 'resize', cols: 100, rows: 30 }, { type: 'ack', bytes: 5000 },
  { type: 'select', window: '@3' }, { type: 'scroll', lines: -5 }, { type: 'live' }, { type: 'focus', focused: true },
];
const SERVER_SEEDS: ServerMsg[] = [
  { type: 'hello', v: 1, readOnly: false, session: 'main', window: '0' }, { type: 'output', data: enc('hi') }, { type: 'title', title: 't' },
  { type: 'error', code: 'c', message: 'm' }, { type: 'exit', reason: 'r' }, { type: 'view', window: '1', scrolled: true },
];

function decoderTarget<M>(decode: (f: Uint8Array) => M, encode: (m: M) => Uint8Array, seen: Set<string>) {
  return (data: Uint8Array) => {
    let msg: M;
    try {
      msg = decode(data);
    } catch (e) {
      if (e instanceof ProtocolError) return;
      throw e;
    }
    seen.add((msg as { type: string }).type);
    assert.deepEqual(decode(encode(msg)), msg, 'round trip');
  };
}

test('client frames: coverage-guided, every input decodes or is a ProtocolError, and round-trips', async () => {
  const types = new Set<string>();
  const report = await coverageFuzz(decoderTarget(decodeClient, encodeClient, types), {
    ms: MS, seed: 0xC0DE, watch: /\/shared\/protocol\.js$/, dictionary: DICTIONARY,
    seeds: CLIENT_SEEDS.map(encodeClient),
  });
  assert.deepEqual([...types].sort(), ['ack', 'focus', 'hello', 'input', 'live', 'resize', 'scroll', 'select'], JSON.stringify(report));
  assert.ok(report.grown > 0, `mutations reached code the seeds did not: ${JSON.stringify(report)}`);
});

test('server frames: the same for the browser\'s decoder', async () => {
  const types = new Set<string>();
  const report = await coverageFuzz(decoderTarget(decodeServer, encodeServer, types), {
    ms: MS, seed: 0x5E7E, watch: /\/shared\/protocol\.js$/, dictionary: DICTIONARY,
    seeds: SERVER_SEEDS.map(encodeServer),
  });
  assert.deepEqual([...types].sort(), ['error', 'exit', 'hello', 'output', 'title', 'view'], JSON.stringify(report));
  assert.ok(report.grown > 0, `mutations reached code the seeds did not: ${JSON.stringify(report)}`);
});
