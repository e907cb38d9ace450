/**
 * createSession on a real private tmux server: a command that fails leaves
 * its window, dead, with its output and exit status (listed as exited); one
 * that succeeds closes as usual; a template's windows get the same, and the
 * first window stays current.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { createSession } from '../../src/sessions/create.js';
import { listSessions } from '../../src/tmux/index.js';

const home = '/';

test('a failing command keeps its pane: exited with its status and its last output', async () => {
  const t = privateTmux();
  await createSession(t.client, { name: 'crash', command: ['sh', '-c', 'echo Traceback-here; sleep 0.3; exit 3'], home });
  await createSession(t.client, { name: 'fine', command: ['sh', '-c', 'echo all-good; exit 0'], home });
  await createSession(t.client, { name: 'keep', home });
  await waitFor(async () => {
    const w = (await listSessions(t.client)).find((s) => s.name === 'crash')?.windows[0];
    return w?.status === 'exited' ? w : null;
  }, 10_000, 'the crashed window listed as exited');
  // tmux marks a pane dead when its pty closes and records the status when it reaps the process; 3.3a
  // sometimes never records it. Roost reports what tmux knows: 3 once tmux has it.
  const tmuxStatus = async () => (await t.run('display-message', '-p', '-t', '=crash:', '#{pane_dead_status}')).trim();
  await waitFor(async () => (await tmuxStatus()) !== '', 3000, 'the exit status').catch(() => undefined);
  const known = await tmuxStatus();
  const listed = (await listSessions(t.client)).find((s) => s.name === 'crash')!.windows[0]!.panes[0]!.exitStatus;
  assert.equal(listed, known === '' ? null : 3);
  // The pane's last screen moves into history when it dies.
  assert.match(await t.run('capture-pane', '-p', '-S', '-', '-t', '=crash:'), /Traceback-here/);
  await waitFor(async () => !(await listSessions(t.client)).some((s) => s.name === 'fine'), 10_000, 'the session whose command succeeded to close');
  assert.equal(await t.run('show-options', '-p', '-v', '-t', '=keep:', 'remain-on-exit').then((v) => v.trim(), () => ''), '', 'a plain shell is left as tmux has it');
});

test('template windows: a failing one stays, a finished one closes, the first window is current', async () => {
  const t = privateTmux();
  await createSession(t.client, {
    name: 'main',
    home,
    template: {
      windows: [
        { name: 'claude' },
        { name: 'logs', command: ['sh', '-c', 'exit 7'] },
        { name: 'done', command: ['sh', '-c', 'exit 0'] },
        { name: 'shell' },
      ],
    },
  });
  await waitFor(async () => {
    const s = (await listSessions(t.client)).find((x) => x.name === 'main')!;
    return s.windows.map((w) => `${w.name}:${w.status}`).join() === 'claude:shell,logs:exited,shell:shell' ? s : null;
  }, 10_000, 'logs exited, done gone').catch(async (e: Error) => {
    throw new Error(`${e.message}: ${JSON.stringify((await listSessions(t.client))[0]?.windows.map((w) => [w.name, w.status]))}`);
  });
  const s = (await listSessions(t.client)).find((x) => x.name === 'main')!;
  assert.equal(s.windows.find((w) => w.active)!.name, 'claude');
});
