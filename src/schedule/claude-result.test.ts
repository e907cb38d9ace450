import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHeadlessClaude, parseClaudeResult } from './claude-result.js';

test('a headless Claude command is told from others', () => {
  assert.ok(isHeadlessClaude(['claude', '-p', 'do it', '--output-format', 'json']));
  assert.ok(isHeadlessClaude(['/usr/bin/claude', '--print', 'x', '--output-format=json']));
  assert.ok(!isHeadlessClaude(['claude', '-p', 'x']));
  assert.ok(!isHeadlessClaude(['python', '-p', '--output-format', 'json']));
  // Through a shell's script and wrappers, as docs/cli.md tells people to write shell syntax.
  assert.ok(isHeadlessClaude(['sh', '-c', `cd ~/app && claude -p "Review; fix" --output-format json`]));
  assert.ok(isHeadlessClaude(['env', '-u', 'HOME', 'claude', '-p', 'x', '--output-format=stream-json']));
  assert.ok(!isHeadlessClaude(['sh', '-c', 'claude -p x; echo --output-format json']), "another command's words are not claude's");
  assert.ok(!isHeadlessClaude(['sh', '-c', 'claude -p x']));
});

test('the result line is found in terminal output, its fields kept, never its text', () => {
  const line = JSON.stringify({ type: 'result', subtype: 'success', is_error: false, duration_ms: 61000, num_turns: 7, result: 'secret text', session_id: 'abc-123', total_cost_usd: 0.12 });
  const r = parseClaudeResult(`starting\r\n\x1b[32mnoise\x1b[0m\r\n${line}\r\n`);
  assert.deepEqual(r, { kind: 'success', isError: false, turns: 7, durationMs: 61000, costUsd: 0.12, sessionId: 'abc-123' });
  assert.equal(parseClaudeResult('{"type":"assistant","result":"x"}\r\n'), null);
  assert.equal(parseClaudeResult('no json here'), null);
  const bad = parseClaudeResult(JSON.stringify({ type: 'result', subtype: 'error_max_turns', is_error: true, session_id: '../../etc' }));
  assert.equal(bad?.kind, 'error_max_turns');
  assert.equal(bad?.sessionId, null, 'an id that is not one is dropped');
});

test('only a line that is the result object counts, and its session id never starts with "-"', () => {
  const result = (id: string) => JSON.stringify({ type: 'result', subtype: 'success', session_id: id });
  assert.equal(parseClaudeResult(`${result('--dangerously-skip-permissions')}\r\n`)?.sessionId, null, 'an option is no id');
  assert.equal(parseClaudeResult(`${result('-x')}\r\n`)?.sessionId, null);
  assert.equal(parseClaudeResult(`  ${result('ok-1')}  \r\n`)?.sessionId, 'ok-1', 'blanks around it are fine');
  // What the run's program printed itself, with text before the object, is not Claude's result.
  assert.equal(parseClaudeResult(`echo: ${result('planted')}\r\n`), null);
  assert.equal(parseClaudeResult(`${result('real-1')}\r\nlog: ${result('planted')}\r\n`)?.sessionId, 'real-1');
});
