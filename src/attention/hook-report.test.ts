import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleClaudeHookReport, stateForReport, type HookReport } from './hook-report.js';
import { buildReport } from './hook-client.js';
import { MemoryPaneAgentStore } from './pane-agents.js';
import type { AgentSignal } from './types.js';

const rep = (o: Partial<HookReport>): HookReport => ({ v: 1, agent: 'claude', event: 'Stop', pane: '%3', ...o });

test('events map to states', () => {
  assert.equal(stateForReport(rep({ event: 'Notification', notificationType: 'permission_prompt' })), 'needs-permission');
  assert.equal(stateForReport(rep({ event: 'Notification', notificationType: 'idle_prompt' })), 'idle');
  assert.equal(stateForReport(rep({ event: 'Notification', notificationType: 'auth_success' })), undefined);
  assert.equal(stateForReport(rep({ event: 'Stop' })), 'done');
  assert.equal(stateForReport(rep({ event: 'SessionStart' })), null);
  assert.equal(stateForReport(rep({ event: 'PreToolUse' })), undefined);
});

test('the handler validates, reports to the observer and remembers session ids', () => {
  const signals: AgentSignal[] = [];
  const store = new MemoryPaneAgentStore();
  const deps = { observer: { report: (s: AgentSignal) => signals.push(s) }, store, now: () => 42 };
  assert.equal(handleClaudeHookReport(rep({ event: 'SessionStart', sessionId: 'abc-1', cwd: '/w' }), deps).status, 204);
  assert.deepEqual(store.get('%3'), { pane: '%3', tmuxSocket: null, agent: 'claude', sessionId: 'abc-1', cwd: '/w', transcriptPath: null, updatedAt: 42 });
  assert.equal(handleClaudeHookReport(rep({ event: 'Notification', notificationType: 'permission_prompt', sessionId: 'abc-1' }), deps).status, 204);
  assert.equal(handleClaudeHookReport(rep({ event: 'UserPromptSubmit' }), deps).status, 202);
  assert.equal(handleClaudeHookReport(rep({ event: 'SessionEnd' }), deps).status, 204);
  assert.equal(store.get('%3'), undefined);
  assert.deepEqual(signals.map((s) => s.state), [null, 'needs-permission', null]);

  for (const bad of [null, {}, rep({ pane: '3' }), rep({ pane: '%3; rm' }), rep({ sessionId: '--resume-evil' }), { ...rep({}), v: 2 }, rep({ event: 'x'.repeat(100) })]) {
    const r = handleClaudeHookReport(bad, deps);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.equal(r.body?.error.code, 'invalid_report');
  }
  assert.equal(signals.length, 3, 'nothing reported for invalid bodies');
});

test('reports from another tmux server are accepted and ignored', () => {
  const signals: AgentSignal[] = [];
  const deps = { observer: { report: (s: AgentSignal) => signals.push(s) }, store: new MemoryPaneAgentStore(), acceptSocket: (p: string) => p === '/tmp/tmux-1/default' };
  assert.equal(handleClaudeHookReport(rep({ tmux: '/tmp/tmux-1/other' }), deps).status, 202);
  assert.equal(handleClaudeHookReport(rep({ tmux: '/tmp/tmux-1/default' }), deps).status, 204);
  assert.equal(signals.length, 1);
});

test('the hook builds its report from Claude\'s JSON and the tmux environment', () => {
  const env = { TMUX_PANE: '%12', TMUX: '/tmp/tmux-1000/default,4242,0' };
  const input = { session_id: 'f00d-1', transcript_path: '/t.jsonl', cwd: '/w', hook_event_name: 'Notification', notification_type: 'permission_prompt', message: 'Claude needs your permission to use Bash(rm -rf x)' };
  assert.deepEqual(buildReport(input, env), {
    v: 1, agent: 'claude', event: 'Notification', pane: '%12', tmux: '/tmp/tmux-1000/default', sessionId: 'f00d-1', notificationType: 'permission_prompt', cwd: '/w', transcriptPath: '/t.jsonl',
  });
  assert.equal(buildReport(input, {}), null, 'not in tmux');
  assert.equal(buildReport({ session_id: 'x' }, env), null, 'not a hook payload');
});

test('the end of an older session reported late leaves the newer session id (and state) alone', () => {
  const signals: AgentSignal[] = [];
  const store = new MemoryPaneAgentStore();
  const deps = { observer: { report: (s: AgentSignal) => signals.push(s) }, store, now: () => 42 };
  handleClaudeHookReport(rep({ event: 'SessionStart', sessionId: 'session-a' }), deps);
  handleClaudeHookReport(rep({ event: 'SessionStart', sessionId: 'session-b' }), deps);
  handleClaudeHookReport(rep({ event: 'Notification', notificationType: 'permission_prompt', sessionId: 'session-b' }), deps);
  assert.equal(handleClaudeHookReport(rep({ event: 'SessionEnd', sessionId: 'session-a' }), deps).status, 202);
  assert.equal(store.get('%3')?.sessionId, 'session-b');
  assert.deepEqual(signals.map((s) => s.state), [null, null, 'needs-permission'], 'B still needs permission');
  assert.equal(handleClaudeHookReport(rep({ event: 'SessionEnd', sessionId: 'session-b' }), deps).status, 204);
  assert.equal(store.get('%3'), undefined);
});
