import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentArgs } from './agent-args.js';

const kept = (...args: string[]) => agentArgs('claude', args).kept;

test('a resume keeps the user\'s own options with their values, and drops the conversation, one-shot options and the prompt', () => {
  assert.deepEqual(kept('--model', 'opus'), ['--model', 'opus']);
  assert.deepEqual(kept('--dangerously-skip-permissions', '--model', 'sonnet'), ['--dangerously-skip-permissions', '--model', 'sonnet']);
  assert.deepEqual(kept('-c', '--model', 'opus'), ['--model', 'opus']);
  assert.deepEqual(kept('--model=opus', '--continue'), ['--model=opus']);
  assert.deepEqual(kept('-r', 'abc-123', '--permission-mode', 'plan'), ['--permission-mode', 'plan']);
  assert.deepEqual(kept('--resume', '--model', 'opus'), ['--model', 'opus'], '--resume without an id (the picker)');
  assert.deepEqual(kept('--resume=abc', '--session-id', '0000-1', '--fork-session', '--verbose'), ['--verbose']);
  assert.deepEqual(kept('-p', 'summarise the log', '--output-format', 'json'), [], '--print\'s own options go with it: the resume is interactive');
  assert.deepEqual(kept('-p', '--max-turns', '3', '--fallback-model', 'sonnet', '--include-partial-messages', '--model', 'opus', 'go'), ['--model', 'opus']);
  assert.deepEqual(kept('--model', 'opus', 'fix the failing test'), ['--model', 'opus'], 'the prompt is not sent again');
  assert.deepEqual(kept('--verbose', '--', '-not an option'), ['--verbose']);
  assert.deepEqual(kept('-cp', 'hi', '-d'), ['-d'], 'a cluster of short options read one by one');
  assert.deepEqual(kept('--debug', 'api', 'hello'), ['--debug', 'api'], 'an optional value is the next word that is no option');
});

test('an option taking many values keeps every word up to the next option, as claude reads them', () => {
  assert.deepEqual(kept('--add-dir', '../lib', '../docs', '--model', 'opus'), ['--add-dir', '../lib', '../docs', '--model', 'opus']);
  assert.deepEqual(kept('--allowedTools', 'Read', 'Bash(git:*)', '-c'), ['--allowedTools', 'Read', 'Bash(git:*)']);
});

test('an option Roost does not know is kept as a flag: a word after it is taken for a prompt, never sent twice', () => {
  assert.deepEqual(agentArgs('claude', ['--new-flag', 'maybe a prompt']), { kept: ['--new-flag'], dropped: ['maybe a prompt'] });
  assert.deepEqual(kept('--new-option=value'), ['--new-option=value']);
});

test('a relaunch without a session id keeps the conversation options but not a one-shot prompt', () => {
  assert.deepEqual(agentArgs('claude', ['-c', '--model', 'opus', 'go on'], 'relaunch').kept, ['-c', '--model', 'opus']);
  assert.deepEqual(agentArgs('claude', ['-p', 'summarise', '--resume', 'abc'], 'relaunch').kept, ['--resume', 'abc']);
});

test('an agent whose grammar Roost does not know keeps its arguments as they are', () => {
  assert.deepEqual(agentArgs('aider', ['--model', 'x', 'file.py']), { kept: ['--model', 'x', 'file.py'], dropped: [] });
});
