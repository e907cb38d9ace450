/**
 * `roost notify add --states` takes every kind a source sends: the docs
 * list each one where the option is described, so nobody has to guess
 * that `job-failed` or `node-expiring` is accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { NOTIFY_KINDS } from '../../src/daemon/notify-kinds.js';

const doc = (name: string) => readFileSync(join(ROOT, 'docs', name), 'utf8');

test('docs/cli.md (the --states row) and docs/notifications.md name every kind --states accepts', () => {
  const row = doc('cli.md').split('\n').find((l) => l.startsWith('| `--states LIST`'));
  assert.ok(row, 'the --states row of roost notify');
  const notifications = doc('notifications.md');
  for (const kind of NOTIFY_KINDS) {
    assert.ok(row.includes(`\`${kind}\``), `cli.md --states lists ${kind}`);
    assert.ok(notifications.includes(`\`${kind}\``), `notifications.md names ${kind}`);
  }
});
