/**
 * The scheduler of an idle daemon sleeps: with schedules whose next run
 * time is far off it does not look at its table every second, yet a
 * schedule that another process (the CLI) writes into the database is seen
 * at once and runs at its times.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { openRoostDb } from '../../src/daemon/schemas.js';
import { Schedules } from '../../src/schedule/schedules.js';
import { configReader } from '../../src/config/config.js';
import { scheduleService } from '../../src/schedule/daemon-service.js';

test('an idle scheduler makes no looks; a schedule the CLI adds is seen and runs', async () => {
  const s = await startServer();
  const { scheduler, schedules } = s.daemon.get(scheduleService);
  schedules.add('yearly', { cron: '0 0 1 1 *', command: ['true'], guards: ['none'] });
  // A second and a half without a look: a loop that looked every second would have looked once or twice.
  await waitFor(async () => {
    const before = scheduler.looks;
    await new Promise((r) => setTimeout(r, 1500));
    return scheduler.looks === before;
  }, 20_000, 'a quiet stretch with no look');

  // The CLI writes the database through its own connection, as `roost schedule add` does.
  const db = openRoostDb(s.daemon.paths.stateDir);
  try {
    new Schedules({ db, config: configReader(s.daemon.paths.configFile), home: s.daemon.paths.home })
      .add('often', { cron: '* * * * * *', command: ['true'], guards: ['none'] });
  } finally {
    db.close();
  }
  const run = await waitFor(() => schedules.history('often', 10).find((r) => r.outcome === 'succeeded') ?? null, 20_000, 'a run of the schedule the CLI added');
  assert.equal(run.trigger, 'cron');
  schedules.remove('often');
});
