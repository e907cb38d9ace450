/**
 * Whether a run time starts a run now, waits, or is skipped with its
 * reason: the overlap rule, then the guards with the facts they look at
 * (tmux's clients, the foreground programs, the load, the locks). Apart
 * from the loop (scheduler.ts) because `schedule run` and the overlap queue
 * come here too, and apart from the run's record (run-book.ts) because the
 * decision is made once per run time while the record lives as long as the
 * run. The state here is short-lived: runs being started, one waiting run
 * per schedule, and the skip streaks already told.
 */
import { loadavg } from 'node:os';
import type { SessionInfo } from '../shared/api.js';
import type { RunInfo, RunTrigger } from '../shared/schedules.js';
import { listClients, type ClientRow, type TmuxClient } from '../tmux/index.js';
import { guardsOf } from '../config/schedule-spec.js';
import { foregroundReader } from './foreground.js';
import { objectionOf, type GuardFacts, type Objection } from './guards.js';
import type { RunBook, RunBookDeps } from './run-book.js';
import { ScheduleInputError } from './schedules.js';
import { runInfo, type RunRow, type ScheduleRow } from './store.js';

/** What the gate takes of the scheduler's deps (SchedulerDeps), with the clock settled. */
export interface RunGateDeps extends RunBookDeps {
  tmux: TmuxClient;
  /** A fresh sessions listing (the feed's). */
  sessions(): Promise<SessionInfo[]>;
  /** Minutes of no input after which an attached client no longer counts as a person. */
  presentMinutes(): number;
}

export class RunGate {
  /** Schedules whose run is being started (between the checks and the job's row). */
  private readonly starting = new Set<string>();
  /** One waiting run per schedule (overlap queue). */
  private readonly queued = new Map<string, { due: number | null; trigger: RunTrigger }>();
  /** Schedules in a streak of guard skips that has been told. */
  private readonly skipping = new Set<string>();

  constructor(private readonly d: RunGateDeps, private readonly book: RunBook) {}

  /** `schedule run NAME`: now, guards applying unless `force`. Resolves with the run's entry (started, or skipped). */
  async runNow(name: string, force: boolean): Promise<RunInfo> {
    const row = this.d.schedules.row(name);
    const id = await this.fire(row.name, null, 'manual', force);
    if (id === null) throw new ScheduleInputError(`schedule "${row.name}" was removed meanwhile`);
    return runInfo(this.d.schedules.store.run(id)!);
  }

  /** fire() in the background: a failure (the database busy) is logged; the next run time tries again. */
  fireLogged(name: string, due: number | null, trigger: RunTrigger): void {
    this.fire(name, due, trigger).catch((e: unknown) => this.d.log.warn({ err: e as Error }, `schedule ${name}: the run could not be handled`));
  }

  /** A run of `schedule` ended (run book): the run that waited for it (overlap queue) starts, unless the schedule was paused meanwhile. */
  release(schedule: string): void {
    const q = this.queued.get(schedule);
    if (!q) return;
    this.queued.delete(schedule);
    const row = this.d.schedules.store.get(schedule);
    if (!row) return;
    if (row.paused) {
      // A paused schedule starts nothing; the history says where the waiting run went.
      this.d.schedules.store.addRun({ schedule, trigger: q.trigger, due: q.due, outcome: 'skipped', reason: 'the schedule was paused while this run waited (overlap queue)', forced: false, created: this.d.now() });
      return;
    }
    this.fireLogged(schedule, q.due, q.trigger);
  }

  /**
   * Whether a run's program may still run: its job's runner records the end
   * at once, while the run's own row waits for the jobs service's next
   * listing (up to a second) — a 1 s schedule must not skip for that.
   */
  private alive(run: RunRow): boolean {
    if (run.jobId === null) return true;
    const job = this.d.jobs.store.byId(run.jobId);
    return job !== null && job.ended === null && job.lost === null;
  }

  /**
   * Record now the end of `schedule`'s runs whose job's runner has recorded
   * it, rather than at the jobs service's next listing: the run that waited
   * for one (overlap queue) then starts before a run time that comes meanwhile,
   * which follows the overlap rule behind it.
   */
  private settleEnded(schedule: string): void {
    for (const run of this.d.schedules.store.live()) {
      if (run.schedule !== schedule || run.jobId === null) continue;
      const job = this.d.jobs.store.byId(run.jobId);
      if (job && (job.ended !== null || job.lost !== null)) this.book.jobEnded(this.d.jobs.describe(job, undefined, this.d.now()));
    }
  }

  private liveRun(schedule: string): RunRow | null {
    return this.d.schedules.store.live().find((r) => r.schedule === schedule && this.alive(r)) ?? null;
  }

  /**
   * One run time of a schedule: the overlap rule, the guards, the job.
   * Returns the history entry's id, or null when the run was queued.
   */
  async fire(name: string, due: number | null, trigger: RunTrigger, force = false): Promise<number | null> {
    const store = this.d.schedules.store;
    const row = store.get(name);
    if (!row) return null;
    const spec = row.spec;
    const skip = (reason: string) => store.addRun({ schedule: name, trigger, due, outcome: 'skipped', reason, forced: force, created: this.d.now() });
    this.settleEnded(name);
    const live = this.liveRun(name);
    if (live || this.starting.has(name)) {
      const what = live?.job ? `job ${live.job}` : 'it is starting';
      // A run time waits (queue); `schedule run` asks for now, and is told why not.
      if (spec.overlap === 'queue' && trigger !== 'manual' && !this.queued.has(name)) {
        this.queued.set(name, { due, trigger: 'queued' });
        return null;
      }
      return skip(spec.overlap === 'queue' && trigger !== 'manual'
        ? `the previous run (${what}) is still running and a run already waits for it (overlap queue)`
        : `the previous run (${what}) is still running (overlap skip)`);
    }
    this.starting.add(name);
    try {
      if (!force) {
        let why: Objection | null;
        try {
          why = await this.objection(row);
        } catch (e) {
          // tmux not answering: a guard that cannot look must not let the run through.
          why = { reason: `the guards could not be checked: ${(e as Error).message.split('\n')[0]}`, guard: null };
        }
        if (why !== null) {
          const id = skip(why.reason);
          // `schedule run` hears why on its own terminal: no notification, and no streak begun for the runs to come.
          // A lock skip is schedules taking turns, as designed: it neither begins a streak nor ends one.
          const turn = why.guard?.kind === 'lock';
          if (trigger !== 'manual' && !turn && !this.skipping.has(name)) {
            this.skipping.add(name);
            this.book.tell(row, store.run(id)!, 'schedule-skipped');
          }
          return id;
        }
      }
      this.skipping.delete(name);
      return await this.book.start(row, due, trigger, force);
    } finally {
      this.starting.delete(name);
    }
  }

  /** Why the guards stop this schedule now, or null. Looks at tmux and /proc only when a guard needs them. */
  private async objection(row: ScheduleRow): Promise<Objection | null> {
    const guards = guardsOf(row.spec);
    const needsTmux = guards.length === 0 || guards.some((g) => g.kind === 'busy' || g.kind === 'present');
    let sessions: readonly SessionInfo[] = [];
    let clients: readonly ClientRow[] = [];
    if (needsTmux) {
      [sessions, clients] = await Promise.all([this.d.sessions(), listClients(this.d.tmux)]);
    }
    const facts: GuardFacts = {
      sessions, clients,
      foreground: foregroundReader(),
      load1: loadavg()[0] ?? 0,
      lockHolder: (lock) => this.lockHolder(lock, row.name),
      now: this.d.now(),
      presentMs: this.d.presentMinutes() * 60_000,
    };
    return objectionOf(guards, row.spec.command, facts);
  }

  private lockHolder(lock: string, except: string): string | null {
    const holders = new Set([...this.d.schedules.store.live().filter((r) => this.alive(r)).map((r) => r.schedule), ...this.starting]);
    holders.delete(except);
    for (const name of holders) {
      const row = this.d.schedules.store.get(name);
      if (row && row.spec.guards.includes(`lock:${lock}`)) return name;
    }
    return null;
  }
}
