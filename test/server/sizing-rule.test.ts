/**
 * The sizing rule's memory (src/server/terminal/sizing.ts) on a real tmux
 * server, with a clock of its own: a device that left recently keeps its
 * windows (a reload, a phone waking up, a daemon restart), one gone for
 * longer than SIZER_AWAY_MS does not; the sizer is read back from tmux by a
 * new daemon. The members here have no tmux clients: what is checked is
 * the decision and the hold on the window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux } from '../helpers/tmux.js';
import { newSession, releaseHeldWindows } from '../../src/tmux/index.js';
import { SIZER_AWAY_MS, WindowSizing, type SizingMember } from '../../src/server/terminal/sizing.js';
import { createLog } from '../../src/server/log.js';

const tmux = privateTmux();
const sid = await newSession(tmux.client, { name: 'main', command: ['sh'] });
const w = (await tmux.run('display-message', '-p', '-t', `${sid}:0`, '#{window_id}')).trim();
const log = createLog({ level: 'silent' });

function member(device: string, windowId: string | null = w, readOnly = false): SizingMember & { told: boolean[] } {
  const told: boolean[] = [];
  return { device, readOnly, windowId, told, sized: (sizer) => void told.push(sizer) };
}
const windowSize = async () => (await tmux.run('display-message', '-p', '-t', w, '#{window-size}')).trim();

test('a sizer away for a moment keeps its window; one gone longer loses it to a device opening it alone', async () => {
  let now = 1_000_000;
  const sizing = new WindowSizing({ tmux: tmux.client, log, now: () => now });
  const desk = member('desktop-0001');
  assert.equal(await sizing.place(desk), true, 'alone: the desktop sizes it');
  await sizing.leave(desk);
  const phone = member('phone-000001');
  now += SIZER_AWAY_MS / 2;
  assert.equal(await sizing.place(phone), false, 'the desktop left a moment ago: the phone only looks');
  assert.equal(await windowSize(), 'manual', 'held at its size meanwhile');
  const back = member('desktop-0001');
  assert.equal(await sizing.place(back), true, 'the desktop back: it sizes it again');
  assert.equal(await windowSize(), 'latest');
  await sizing.leave(back);
  await sizing.leave(phone);
  assert.equal(await windowSize(), 'latest', 'nobody shows it: tmux sizes it for its own clients');

  now += SIZER_AWAY_MS + 1;
  const later = member('phone-000001');
  assert.equal(await sizing.place(later), true, 'the desktop long gone: the phone opening alone takes it');
  // A page that closes its socket itself is not waited for.
  await sizing.leave(later, true);
  const desk3 = member('desktop-0001');
  assert.equal(await sizing.place(desk3), true, 'the phone closed its page: the desktop opening alone takes it at once');
  await sizing.leave(desk3);
});

test('a read-only terminal never sizes, holds nothing, and never keeps a device opening beside it from sizing', async () => {
  let now = 5_000_000;
  await tmux.run('set-option', '-w', '-t', w, '-u', '@roost_sizer');
  const sizing = new WindowSizing({ tmux: tmux.client, log, now: () => now });
  now += SIZER_AWAY_MS + 1;
  const ro = member('viewer-00001', w, true);
  assert.equal(await sizing.place(ro), false);
  assert.equal(await windowSize(), 'latest', 'only a read-only terminal shows it: not held (it sets no option; its size anchor keeps it out)');
  assert.doesNotMatch(await tmux.run('show-options', '-w', '-t', w), /@roost_held/);
  const a = member('device-aaaa1');
  assert.equal(await sizing.place(a), true, 'a device opening beside a read-only one is alone as far as sizing goes: it sizes');
  await sizing.take(a);
  assert.equal(sizing.stateOf(w)?.sizer, 'device-aaaa1');
  assert.deepEqual(a.told.at(-1), true);
  assert.deepEqual(ro.told.at(-1), false);
  await sizing.take(ro);
  assert.equal(sizing.stateOf(w)?.sizer, 'device-aaaa1', 'a read-only FIT changes nothing');
  await sizing.leave(a);
  await sizing.leave(ro);
});

test('a new daemon reads the sizer back from tmux and keeps it through its first SIZER_AWAY_MS', async () => {
  let now = 9_000_000;
  const first = new WindowSizing({ tmux: tmux.client, log, now: () => now });
  const desk = member('desktop-0002');
  await first.place(desk);
  await first.take(desk);
  assert.equal((await tmux.run('show-options', '-wv', '-t', w, '@roost_sizer')).trim(), 'desktop-0002');
  // The daemon dies with the desktop's terminal open; a new one starts, and the phone reconnects first.
  const second = new WindowSizing({ tmux: tmux.client, log, now: () => now });
  const phone = member('phone-000002');
  now += SIZER_AWAY_MS / 2;
  assert.equal(await second.place(phone), false, 'the recorded sizer may still come back');
  const desk2 = member('desktop-0002');
  assert.equal(await second.place(desk2), true);
  await second.leave(desk2);
  await second.leave(phone);
});

test('a window held by a daemon that died is let go by the next one', async () => {
  let now = 20_000_000;
  const sizing = new WindowSizing({ tmux: tmux.client, log, now: () => now });
  const gone = member('desktop-0003');
  await sizing.place(gone);
  await sizing.take(gone);
  await sizing.leave(gone);
  const phone = member('phone-000003');
  assert.equal(await sizing.place(phone), false);
  assert.equal(await windowSize(), 'manual', 'held while the desktop may come back');
  // The daemon dies here; the next one starts.
  assert.equal(await releaseHeldWindows(tmux.client), 1);
  assert.equal(await windowSize(), 'latest');
  assert.equal((await tmux.run('show-options', '-qwv', '-t', w, '@roost_held')).trim(), '');
});
