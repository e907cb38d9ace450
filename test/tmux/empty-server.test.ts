/**
 * A tmux server with no session left (on its way out after kill-server or
 * its last session's end; kept here with exit-empty off) answers the
 * listings with "no current target": Roost lists nothing, as for no server,
 * rather than failing (the dashboard's GET /api/sessions said "internal
 * error" when it listed in that moment).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux } from '../helpers/tmux.js';
import { listClients, listSessions } from '../../src/tmux/index.js';
import { THEN } from '../../src/tmux/literal.js';

test('a server with no session lists no sessions and no clients, not an error', async () => {
  const t = privateTmux();
  await t.client.runProcess(['start-server', THEN, 'set-option', '-g', 'exit-empty', 'off']);
  assert.equal(await t.run('list-sessions'), '', 'the server runs, with no session (no server would be an error)');
  assert.deepEqual(await listSessions(t.client), []);
  assert.deepEqual(await listClients(t.client), []);
});
