/**
 * Schedules: each starts a scan on a cron expression (croner) or every N seconds. A fired schedule
 * creates a queued scan and hands it to the queue; it does not run it, so a slow scan never delays
 * another schedule. Missed runs while the service was down are not made up: the next one comes at its
 * time, which is what a person watching a dashboard expects.
 */
import { Cron } from 'croner';
import { UsageError } from '../util/errors.js';
import type { JobQueue } from './runner.js';
import type { Schedule, Store } from './store/store.js';

/** The shortest interval a schedule may have: an assessment takes seconds to minutes. */
export const MIN_INTERVAL_SECONDS = 60;

/** Checks a cron expression; one line saying what is wrong. */
export function checkCron(expression: string): void {
  try {
    const probe = new Cron(expression, { paused: true, timezone: 'UTC' });
    const next = probe.nextRun();
    probe.stop();
    if (next === null) throw new Error('it never fires');
  } catch (error) {
    throw new UsageError(
      `'${expression}' is not a cron expression this service can run (${error instanceof Error ? error.message : String(error)}); write five fields like '0 6 * * *' (06:00 UTC daily).`,
    );
  }
}

export function checkInterval(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < MIN_INTERVAL_SECONDS)
    throw new UsageError(`intervalSeconds must be a whole number of at least ${MIN_INTERVAL_SECONDS}.`);
}

/** When a schedule fires next, after `from`. */
export function nextRun(schedule: Schedule, from: Date = new Date()): Date | null {
  if (schedule.cron !== null) {
    const probe = new Cron(schedule.cron, { paused: true, timezone: 'UTC' });
    const next = probe.nextRun(from);
    probe.stop();
    return next;
  }
  if (schedule.intervalSeconds !== null) {
    const last =
      schedule.lastRunAt !== null ? Date.parse(schedule.lastRunAt) : Date.parse(schedule.createdAt);
    const next = last + schedule.intervalSeconds * 1000;
    return new Date(Math.max(next, from.getTime()));
  }
  return null;
}

export class Scheduler {
  private timers = new Map<string, Cron | ReturnType<typeof setTimeout>>();

  constructor(
    private readonly store: Store,
    private readonly queue: JobQueue,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async start(): Promise<void> {
    for (const schedule of await this.store.listSchedules()) this.arm(schedule);
  }

  /** Starts (or restarts) a schedule's timer. */
  arm(schedule: Schedule): void {
    this.disarm(schedule.id);
    if (!schedule.enabled) return;
    if (schedule.cron !== null) {
      this.timers.set(
        schedule.id,
        new Cron(schedule.cron, { timezone: 'UTC', protect: true, catch: true }, () =>
          this.fire(schedule.id),
        ),
      );
    } else if (schedule.intervalSeconds !== null) {
      const next = nextRun(schedule);
      const wait = Math.max(0, (next?.getTime() ?? Date.now()) - Date.now());
      const timer = setTimeout(() => {
        void this.fire(schedule.id).then(async () => {
          const fresh = await this.store.getSchedule(schedule.id);
          if (fresh && this.timers.has(schedule.id)) this.arm(fresh);
        });
      }, wait);
      timer.unref();
      this.timers.set(schedule.id, timer);
    }
  }

  disarm(id: string): void {
    const timer = this.timers.get(id);
    if (timer instanceof Cron) timer.stop();
    else if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(id);
  }

  /** Queues the schedule's scan now. */
  async fire(id: string): Promise<void> {
    const schedule = await this.store.getSchedule(id);
    if (!schedule || !schedule.enabled) return;
    const at = new Date().toISOString();
    await this.store.markScheduleRun(id, at);
    const scan = await this.store.createScan({
      request: schedule.request,
      trigger: `schedule:${schedule.name}`,
      scheduleId: schedule.id,
    });
    this.log(`schedule ${schedule.name} queued scan ${scan.id}`);
    await this.queue.enqueue(scan);
  }

  stop(): void {
    for (const id of [...this.timers.keys()]) this.disarm(id);
  }
}
