import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, waitFor, type TestTmux } from '../helpers/tmux.js';
import { newSession, newWindow, listSessions, showHook, prepareSpareView } from '../../src/tmux/index.js';
import { BellHookKeeper, BELL_HOOK, SELECT_HOOK, SELECT_HOOK_COMMAND } from '../../src/attention/bell-hook.js';
import { parseConfig, silenceFor } from '../../src/config/config.js';
import { AttentionObserver } from '../../src/attention/observer.js';
import { AttentionPoller } from '../../src/attention/poller.js';
import type { AttentionEvent, StateEvent } from '../../src/attention/types.js';
import { formatEvent } from '../../src/cli/commands/watch.js';
import { exitedText } from '../../src/shared/pane-end.js';

interface Rig {
  t: TestTmux;
  observer: AttentionObserver;
  /** Windows a device shows now (the observer's `seen`). */
  seen: Set<string>;
  events: AttentionEvent[];
  /** State events of one window, in order. */
  of(windowId: string): StateEvent[];
}

/** A private tmux server with a session, an observer polling it each second, silence threshold from config. */
async function rig(configText: string, setup?: (t: TestTmux) => Promise<unknown>): Promise<Rig> {
  const t = privateTmux();
  await newSession(t.client, { name: 'main', command: ['sleep', '600'] });
  await setup?.(t);
  const config = parseConfig(configText);
  const seen = new Set<string>();
  const observer = new AttentionObserver({ silenceFor: (s) => silenceFor(config, s), seen: (_s, w) => seen.has(w) });
  const events: AttentionEvent[] = [];
  observer.onEvent((e) => events.push(e));
  const errors: unknown[] = [];
  const poller = new AttentionPoller({ tmux: t.client, observer, onError: (e) => errors.push(e) });
  poller.start();
  after(async () => {
    await poller.stop();
    assert.deepEqual(errors, []);
  });
  // The first listing is the baseline; everything after is news.
  await waitFor(() => events.length > 0, 10_000, 'first listing');
  return { t, observer, seen, events, of: (id) => events.filter((e): e is StateEvent => e.type === 'state' && e.windowId === id) };
}

/**
 * A window command that first waits for the test's go-ahead (tmux wait-for,
 * run inside the pane against the same private server), so the observer
 * surely sees the window before anything happens in it, however loaded the
 * machine.
 */
const gated = (channel: string, script: string) => `tmux wait-for ${channel}; ${script}`;

test('a bell stays through silence until a device shows the window, then waiting, one episode; a user\'s own bell hook is kept', async () => {
  // The user's own hook, set the way a tmux.conf does (no index).
  // A threshold well above the poll interval, so a loaded machine's late listing cannot skip the bell state.
  const r = await rig('silence = 3\n', (t) => t.run('set-hook', '-g', 'alert-bell', 'set -g @user_hook_ran yes'));
  const id = await newWindow(r.t.client, { session: 'main', name: 'ring', command: [gated('go', "sleep 1; printf '\\a'; sleep 60")], detached: true });
  await waitFor(() => r.of(id).length > 0, 15_000, 'window seen');
  const t0 = Date.now();
  await r.t.run('wait-for', '-S', 'go');
  const bell = await waitFor(() => r.of(id).find((e) => e.state === 'bell'), 20_000, 'bell');
  assert.equal(r.of(id)[0]!.baseline, false, 'a window made after the first listing is news');
  assert.equal(bell.session, 'main');
  assert.equal(bell.name, 'ring');
  assert.ok(bell.at >= t0 + 1000, `bell at +${bell.at - t0} ms`);
  // Twice the silence threshold (3 s): before, the bell faded into waiting here.
  await new Promise((ok) => setTimeout(ok, 6000));
  assert.equal(r.observer.stateOf(id)?.state, 'bell', 'unseen, the bell stays');
  r.seen.add(id);
  const waiting = await waitFor(() => r.of(id).find((e) => e.state === 'waiting'), 15_000, 'waiting once shown');
  assert.deepEqual(r.of(id).map((e) => e.state), ['working', 'bell', 'waiting']);
  assert.equal(bell.episode, waiting.episode, 'the bell and the silence after it are one episode');
  const w = (await listSessions(r.t.client))[0]!.windows.find((x) => x.id === id)!;
  assert.ok((w.bells ?? 0) >= 1, 'the hook counted the bell');
  assert.equal((await r.t.run('show-options', '-gv', '@user_hook_ran')).trim(), 'yes');
});

test('a window printing every second never becomes waiting; a silent one beside it does', async () => {
  const r = await rig('silence = 3\n');
  const busy = await newWindow(r.t.client, { session: 'main', name: 'busy', command: ['while :; do echo x; sleep 1; done'], detached: true });
  const quiet = await newWindow(r.t.client, { session: 'main', name: 'quiet', command: ['sleep', '60'], detached: true });
  await waitFor(() => r.of(quiet).some((e) => e.state === 'waiting'), 20_000, 'quiet window waiting');
  // Three more seconds past the threshold.
  await new Promise((ok) => setTimeout(ok, 3000));
  assert.deepEqual(r.of(busy).map((e) => e.state), ['working']);
  assert.equal(r.observer.stateOf(busy)?.state, 'working');
});

test('a dead pane (remain-on-exit) becomes exited with its status', async () => {
  const r = await rig('silence = 30\n');
  await r.t.run('set-option', '-g', 'remain-on-exit', 'on');
  const id = await newWindow(r.t.client, { session: 'main', name: 'job', command: [gated('end', 'exit 3')], detached: true });
  await waitFor(() => r.of(id).length > 0, 15_000, 'window seen');
  await r.t.run('wait-for', '-S', 'end');
  const ev = await waitFor(() => r.of(id).find((e) => e.state === 'exited'), 15_000, 'exited');
  // tmux 3.3a now and then never records a dead pane's status (pane_dead_status
  // stays empty for good, also outside Roost): then null is the truth to report.
  const raw = (await r.t.run('display-message', '-p', '-t', id, '#{pane_dead_status}')).trim();
  assert.equal(ev.exitStatus, raw === '' ? null : 3, JSON.stringify(r.of(id)));
  assert.equal(ev.previous, 'working', JSON.stringify(r.of(id)));
  assert.equal(r.observer.stateOf(id)?.status, 'exited');
});

test('a window a signal ends while watched is exited with the signal, as `roost ls`, `roost watch` and the notification say', async (t) => {
  const r = await rig('silence = 30\n');
  await r.t.run('set-option', '-g', 'remain-on-exit', 'on');
  const id = await newWindow(r.t.client, { session: 'main', name: 'sig', command: [gated('die', 'kill -TERM $$')], detached: true });
  await waitFor(() => r.of(id).length > 0, 15_000, 'window seen');
  await r.t.run('wait-for', '-S', 'die');
  const ev = await waitFor(() => r.of(id).find((e) => e.state === 'exited'), 15_000, 'exited');
  // tmux 3.3a now and then records neither a status nor a signal for a dead pane (as in the status tests above):
  // then "exited" with nothing is the truth to report.
  const raw = (await r.t.run('display-message', '-p', '-t', id, '#{pane_dead_signal}')).trim();
  const signal = raw === '' ? undefined : 'SIGTERM';
  assert.deepEqual([ev.baseline, ev.state === 'exited' ? ev.exitSignal : 'not exited', ev.exitStatus], [false, signal, null], JSON.stringify(r.of(id)));
  assert.match(formatEvent(ev), signal ? /sig {2}working → exited \(killed by SIGTERM\)$/ : /sig {2}working → exited$/);
  const [s] = await listSessions(r.t.client);
  const w = s!.windows.find((x) => x.id === id)!;
  assert.deepEqual([w.status, exitedText(w)], ['exited', signal ? 'killed by SIGTERM' : 'exited']);
  if (!signal) t.diagnostic('tmux recorded no signal this time: the signalled path was not exercised');
});

test('a window killed by a signal before the observer started is exited at once, as a baseline, with its signal', async () => {
  let id = '';
  const r = await rig('silence = 30\n', async (t) => {
    await t.run('set-option', '-g', 'remain-on-exit', 'on');
    id = await newWindow(t.client, { session: 'main', name: 'sig', command: ['kill -9 $$'], detached: true });
    await waitFor(async () => (await t.run('display-message', '-p', '-t', id, '#{pane_dead}')).trim() === '1', 15_000, 'the pane dead');
  });
  // Past the wait for an exit status (2 s): nothing more may come.
  await new Promise((ok) => setTimeout(ok, 3000));
  // tmux 3.3a now and then records no signal either (as for statuses above): then none is the truth.
  const raw = (await r.t.run('display-message', '-p', '-t', id, '#{pane_dead_signal}')).trim();
  assert.deepEqual(r.of(id).map((e) => [e.state, e.baseline, e.exitStatus, e.state === 'exited' ? e.exitSignal : 'not exited']), [['exited', true, null, raw === '' ? undefined : 'SIGKILL']]);
});

test('a program that closed its terminal and works on (ignoring the hangup) is not exited until it ends, then exited with its status', async () => {
  const r = await rig('silence = 30\n');
  await r.t.run('set-option', '-g', 'remain-on-exit', 'on');
  const id = await newWindow(r.t.client, { session: 'main', name: 'quiet', command: [gated('quiet', 'trap "" HUP; exec >/dev/null 2>&1 </dev/null; tmux wait-for quiet-end; exit 5')], detached: true });
  await waitFor(() => r.of(id).length > 0, 15_000, 'window seen');
  await r.t.run('wait-for', '-S', 'quiet');
  // tmux marks the pane dead once nothing holds its terminal, while the program still runs.
  await waitFor(async () => (await r.t.run('display-message', '-p', '-t', id, '#{pane_dead}')).trim() === '1', 15_000, 'tmux to call the pane dead');
  await new Promise((res) => setTimeout(res, 3500));
  assert.equal(r.of(id).find((e) => e.state === 'exited'), undefined, `not exited while it runs: ${JSON.stringify(r.of(id))}`);
  await r.t.run('wait-for', '-S', 'quiet-end');
  const ev = await waitFor(() => r.of(id).find((e) => e.state === 'exited'), 15_000, 'exited once it ended');
  const raw = (await r.t.run('display-message', '-p', '-t', id, '#{pane_dead_status}')).trim();
  assert.equal(ev.exitStatus, raw === '' ? null : 5, JSON.stringify(r.of(id)));
});

test('episodes: staying waiting is one episode; output re-arms', async () => {
  const r = await rig('silence = 2\n');
  const id = await newWindow(r.t.client, { session: 'main', name: 'ep', command: [gated('more', 'printf b; sleep 60')], detached: true });
  const first = await waitFor(() => r.of(id).find((e) => e.state === 'waiting'), 20_000, 'first waiting');
  // A loaded machine's first listing of the window can come past the threshold:
  // then the window is news already waiting, with no working before it.
  const opening = r.of(id).map((e) => e.state);
  assert.ok(['working,waiting', 'waiting'].includes(opening.join()), JSON.stringify(r.of(id)));
  await new Promise((ok) => setTimeout(ok, 2000)); // stays waiting: no new episode
  assert.deepEqual(r.of(id).map((e) => e.state), opening);
  await r.t.run('wait-for', '-S', 'more');
  await waitFor(() => r.of(id).filter((e) => e.state === 'waiting').length === 2, 20_000, 'second waiting');
  const after = r.of(id).slice(opening.length);
  // A listing delayed past the threshold misses the short burst of work; the
  // output still re-arms, straight into a new episode.
  const missedTick = after.length === 1;
  assert.deepEqual(after.map((e) => e.state), missedTick ? ['waiting'] : ['working', 'waiting'], JSON.stringify(r.of(id)));
  assert.deepEqual(after.map((e) => e.episode), missedTick ? [first.episode + 1] : [first.episode, first.episode + 1]);
});

test('a client selecting a window (tmux moves its activity) is not output: a waiting window stays waiting, an agent report holds; output still counts', async () => {
  const r = await rig('silence = 2\n');
  await waitFor(async () => (await showHook(r.t.client, SELECT_HOOK, { global: true })) !== null, 15_000, 'the selection hook');
  const id = await newWindow(r.t.client, { session: 'main', name: 'look', command: [gated('talk', 'printf x; sleep 600')], detached: true });
  await waitFor(() => r.observer.stateOf(id)?.state === 'waiting', 20_000, 'waiting');
  const pane = (await r.t.run('display-message', '-p', '-t', id, '#{pane_id}')).trim();
  r.observer.report({ agent: 'claude', pane, state: 'needs-permission' });
  assert.equal(r.observer.stateOf(id)?.state, 'needs-permission');
  const before = r.of(id).length;
  // Past the agent's grace period, then a person looks: tmux selects the window, and its activity moves.
  await new Promise((ok) => setTimeout(ok, 3000));
  const activity = async () => Number((await r.t.run('display-message', '-p', '-t', id, '#{window_activity}')).trim());
  const was = await activity();
  await r.t.run('select-window', '-t', id);
  assert.ok((await activity()) > was, 'tmux counts the selection as activity');
  await new Promise((ok) => setTimeout(ok, 3000)); // a listing or more, past the threshold
  assert.equal(r.observer.stateOf(id)?.state, 'needs-permission', JSON.stringify(r.of(id)));
  assert.equal(r.of(id).length, before, `no new state: ${JSON.stringify(r.of(id).slice(before))}`);
  // The program prints: that is output, and ends the report.
  await r.t.run('wait-for', '-S', 'talk');
  await waitFor(() => r.of(id).slice(before).some((e) => e.state === 'working'), 20_000, 'working after output');
});

test('windows gone from the listing are reported closed', async () => {
  const r = await rig('silence = 30\n');
  // It ends only when told, so the observer surely saw it first, however loaded the machine.
  const id = await newWindow(r.t.client, { session: 'main', name: 'brief', command: [gated('brief', 'exit 0')], detached: true });
  await waitFor(() => r.of(id).length > 0, 15_000, 'seen');
  await r.t.run('wait-for', '-S', 'brief');
  await waitFor(() => r.events.some((e) => e.type === 'closed' && e.windowId === id), 10_000, 'closed');
  assert.equal(r.observer.stateOf(id), undefined);
});

test('the bell hook comes back after a user\'s set-hook without an index wiped it, and leaves theirs alone', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'main' });
  let clock = 1_000_000;
  const errors: unknown[] = [];
  const keeper = new BellHookKeeper(t.client, (e) => errors.push(e), () => clock);
  await keeper.check(await listSessions(t.client));
  assert.equal(await showHook(t.client, BELL_HOOK, { global: true }), 'set-option -Fw @roost_bells "#{?@roost_view,#{@roost_bells},#{e|+:0#{@roost_bells},1}}"');
  await t.run('set-hook', '-g', 'alert-bell', 'set -g @mine 1');
  assert.equal(await showHook(t.client, BELL_HOOK, { global: true }), null);
  clock += 60_000;
  await keeper.check(await listSessions(t.client));
  assert.notEqual(await showHook(t.client, BELL_HOOK, { global: true }), null);
  assert.equal(await showHook(t.client, 'alert-bell[0]', { global: true }), 'set-option -g @mine 1');
  assert.deepEqual(errors, []);
});

test('a bell counts once, however many views (sessions grouped with its own) show the window; an older Roost\'s hook is replaced', async () => {
  const t = privateTmux();
  const main = await newSession(t.client, { name: 'main', command: ['sleep', '600'] });
  // An older Roost's hook, which counted once per session of the group: a tmux server that outlived an upgrade.
  await t.run('set-hook', '-g', BELL_HOOK, 'set -wF @roost_bells "#{e|+:0#{@roost_bells},1}"');
  await t.run('set-hook', '-g', SELECT_HOOK, SELECT_HOOK_COMMAND);
  await t.run('set-option', '-g', '@roost_bells', '0');
  const errors: unknown[] = [];
  await new BellHookKeeper(t.client, (e) => errors.push(e)).check(await listSessions(t.client));
  assert.match((await showHook(t.client, BELL_HOOK, { global: true }))!, /@roost_view/, 'replaced');
  // Two devices' views of the session, as the daemon makes them.
  await prepareSpareView(t.client, main, 'view-1');
  await prepareSpareView(t.client, main, 'view-2');
  const id = await newWindow(t.client, { session: 'main', name: 'ring', command: [gated('ring', "printf '\\a'; sleep 600")], detached: true });
  const bells = async () => (await listSessions(t.client)).find((x) => x.name === 'main')!.windows.find((w) => w.id === id)!.bells;
  assert.equal(await bells(), 0);
  await t.run('wait-for', '-S', 'ring');
  await waitFor(async () => ((await bells()) ?? 0) > 0, 15_000, 'the bell counted');
  await new Promise((ok) => setTimeout(ok, 500));
  assert.equal(await bells(), 1, 'one bell, counted once');
  assert.deepEqual(errors, []);
});

test('taking up the counters on a server an earlier Roost counted: bells the flag says were seen are marked seen; unseen ones stay; a server already on the model is left alone', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'main', command: ['sleep', '600'] });
  const seen = await newWindow(t.client, { session: 'main', name: 'seen', command: ['sleep 600'], detached: true });
  const rung = await newWindow(t.client, { session: 'main', name: 'rung', command: ["tmux wait-for ring; printf '\\a'; exec sleep 600"], detached: true });
  // An earlier Roost counted 3 bells in `seen`, and a tmux client showed it (the flag is down); `rung` rings now.
  await t.run('set-option', '-w', '-t', seen, '@roost_bells', '3');
  await t.run('set-option', '-g', '@roost_bells', '0');
  await t.run('set-hook', '-g', BELL_HOOK, 'set -wF @roost_bells "#{e|+:0#{@roost_bells},1}"');
  await t.run('wait-for', '-S', 'ring');
  await waitFor(async () => (await t.run('display-message', '-p', '-t', rung, '#{window_bell_flag}')).trim() === '1', 10_000, 'the bell flag');
  await new BellHookKeeper(t.client).check(await listSessions(t.client));
  const windows = (await listSessions(t.client))[0]!.windows;
  assert.deepEqual(windows.filter((w) => w.id !== windows[0]!.id).map((w) => [w.name, w.bell]), [['seen', false], ['rung', true]]);
  assert.equal((await t.run('show-options', '-gqv', '@roost_bell_model')).trim(), '2');
  // On the model, a counter above its mark is unseen whatever tmux's flag says (a read-only view lowered it).
  await t.run('set-option', '-w', '-t', seen, '@roost_bells', '4');
  await new BellHookKeeper(t.client).check(await listSessions(t.client));
  assert.equal((await listSessions(t.client))[0]!.windows.find((w) => w.id === seen)!.bell, true);
});

test('a program redrawing for a new window size (a phone opened it) says nothing new: a waiting window stays waiting, one episode; output later is new', async () => {
  const r = await rig('silence = 3\n');
  // Draws once, then again on each SIGWINCH, as a full-screen program or an agent's interface does.
  const id = await newWindow(r.t.client, { session: 'main', name: 'tui', command: [gated('tui', "trap 'echo redraw' WINCH; echo drawn; while :; do sleep 0.2; done")], detached: true });
  await waitFor(() => r.of(id).length > 0, 15_000, 'window seen');
  await r.t.run('wait-for', '-S', 'tui');
  await waitFor(() => r.of(id).some((e) => e.state === 'waiting'), 20_000, 'waiting');
  const before = r.of(id).length;
  await r.t.run('resize-window', '-t', id, '-x', '50', '-y', '20');
  await waitFor(async () => (await r.t.run('capture-pane', '-p', '-t', id)).includes('redraw'), 10_000, 'the redraw');
  await new Promise((ok) => setTimeout(ok, 4500)); // past the redraw's grace and the silence threshold
  assert.deepEqual(r.of(id).slice(before).map((e) => e.state), [], `no new state for a redraw: ${JSON.stringify(r.of(id))}`);
  // Real output later is news again.
  await r.t.run('send-keys', '-t', id, '');
  await r.t.run('run-shell', '-t', id, `printf 'more\\n' > #{pane_tty}`);
  await waitFor(() => r.of(id).slice(before).some((e) => e.state === 'working'), 10_000, 'output after the redraw is work');
});

test('taking up the counters on a new tmux server: a bell rung before the hook went in counts, and one the hook just counted stays unseen while the flag is still down', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'main', command: ['sleep', '600'] });
  const early = await newWindow(t.client, { session: 'main', name: 'early', command: ["tmux wait-for ring; printf '\\a'; exec sleep 600"], detached: true });
  const just = await newWindow(t.client, { session: 'main', name: 'just', command: ['sleep 600'], detached: true });
  await t.run('wait-for', '-S', 'ring');
  await waitFor(async () => (await t.run('display-message', '-p', '-t', early, '#{window_bell_flag}')).trim() === '1', 10_000, 'the bell flag');
  // As the hook leaves a bell it counted a moment ago, before tmux raised the flag.
  await t.run('set-option', '-w', '-t', just, '@roost_bells', '1');
  await new BellHookKeeper(t.client).check(await listSessions(t.client));
  const windows = (await listSessions(t.client))[0]!.windows;
  assert.deepEqual(windows.filter((w) => w.id !== windows[0]!.id).map((w) => [w.name, w.bell, w.bells]), [['early', true, 1], ['just', true, 1]]);
  assert.equal(windows[0]!.bell, false);
});
