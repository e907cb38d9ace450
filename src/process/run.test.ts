import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runProgram } from './run.js';

test('a program that succeeds: its output', async () => {
  const r = await runProgram(['sh', '-c', 'echo out; echo err >&2']);
  assert.deepEqual(r, { ok: true, stdout: 'out\n', stderr: 'err\n' });
});

test('argv is passed as is: no shell sees it', async () => {
  const r = await runProgram(['printf', '%s|', '$(echo no)', 'a b', ';', '#x']);
  assert.equal(r.ok && r.stdout, '$(echo no)|a b|;|#x|');
});

test('failures are values with a kind and one line for a person', async () => {
  const exit = await runProgram(['sh', '-c', 'echo "first line" >&2; echo second >&2; exit 3']);
  assert.equal(exit.ok, false);
  if (!exit.ok) {
    assert.equal(exit.kind, 'exit');
    assert.equal(exit.code, 3);
    assert.equal(exit.message, 'sh exited 3: first line');
  }
  const missing = await runProgram(['roost-no-such-program-here']);
  assert.equal(!missing.ok && missing.kind, 'not-found');
  const killed = await runProgram(['sh', '-c', 'kill -9 $$']);
  assert.equal(!killed.ok && killed.kind, 'signal');
  assert.equal(!killed.ok && killed.signal, 'SIGKILL');
});

test('a deadline and an output cap end a run', async () => {
  const slow = await runProgram(['sleep', '30'], { timeoutMs: 200 });
  assert.equal(!slow.ok && slow.kind, 'timeout');
  const loud = await runProgram(['sh', '-c', 'yes | head -c 100000'], { maxOutputBytes: 1000 });
  assert.equal(!loud.ok && loud.kind, 'too-much-output');
  assert.ok(!loud.ok && loud.stdout.length <= 1000);
});

test('input goes to stdin; without it stdin is empty', async () => {
  const r = await runProgram(['cat'], { input: 'hello' });
  assert.equal(r.ok && r.stdout, 'hello');
  const none = await runProgram(['cat']);
  assert.equal(none.ok && none.stdout, '');
});

test('onStderr hears stderr as it comes, while the program still runs', async () => {
  const heard: string[] = [];
  let sawBeforeExit = false;
  const r = await runProgram(['sh', '-c', 'echo "Pending job allocation 7" >&2; read x < /dev/null; sleep 0.3; echo done >&2'], {
    onStderr: (t) => {
      heard.push(t);
      if (heard.join('').includes('Pending') && !heard.join('').includes('done')) sawBeforeExit = true;
    },
  });
  assert.equal(r.ok, true);
  assert.equal(heard.join(''), 'Pending job allocation 7\ndone\n');
  assert.ok(sawBeforeExit, 'the first line arrived before the program ended');
});
