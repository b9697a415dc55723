/**
 * An overall time limit per Region: the most time a scan waits for one Region's answers. When it runs out,
 * the calls in flight there are aborted (retry waits included) and every later call there fails at once,
 * so a Region that hangs or throttles without end costs at most the limit while the others finish.
 */

/** What a call in a Region whose time ran out fails with; classified as a `timeout` failure. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceeded';
  readonly $metadata: { attempts?: number } = {};

  constructor(
    readonly region: string,
    readonly limitMs: number,
  ) {
    super(
      `the time limit for Region ${region} (${formatSeconds(limitMs)}, --timeout) ran out before the call finished`,
    );
  }
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

interface RegionClock {
  controller: AbortController;
  expired: Promise<never>;
  expire: (error: DeadlineExceededError) => void;
  /** Time left, as of the last time no call was in flight. */
  remainingMs: number;
  inFlight: number;
  since: number;
  timer?: NodeJS.Timeout;
}

/**
 * The clock of a Region runs only while at least one of its calls is in flight (retry waits included), so
 * a Region is never charged for time the scan spent waiting on another one.
 */
export class RegionDeadlines {
  private readonly clocks = new Map<string, RegionClock>();

  constructor(readonly limitMs: number) {}

  private clock(region: string): RegionClock {
    let clock = this.clocks.get(region);
    if (!clock) {
      let expire: (error: DeadlineExceededError) => void = () => undefined;
      const expired = new Promise<never>((_, reject) => (expire = reject));
      // Nobody may be waiting when the time runs out: that is not an unhandled rejection.
      expired.catch(() => undefined);
      clock = {
        controller: new AbortController(),
        expired,
        expire,
        remainingMs: this.limitMs,
        inFlight: 0,
        since: 0,
      };
      this.clocks.set(region, clock);
    }
    return clock;
  }

  private run(region: string, clock: RegionClock, ms: number): void {
    clock.timer = setTimeout(
      () => {
        const error = new DeadlineExceededError(region, this.limitMs);
        clock.remainingMs = 0;
        clock.controller.abort(error);
        clock.expire(error);
      },
      Math.max(0, ms),
    );
    // The clock must never keep a finished scan's process alive.
    clock.timer.unref();
  }

  /** A call in the Region starts: its clock runs (again). Call `end` when it settles. */
  begin(region: string): { expired: Promise<never>; end: () => void } {
    const clock = this.clock(region);
    if (clock.inFlight === 0 && !clock.controller.signal.aborted) {
      clock.since = performance.now();
      this.run(region, clock, clock.remainingMs);
    }
    clock.inFlight += 1;
    let ended = false;
    return {
      expired: clock.expired,
      end: () => {
        if (ended) return;
        ended = true;
        clock.inFlight -= 1;
        if (clock.inFlight === 0 && !clock.controller.signal.aborted) {
          clearTimeout(clock.timer);
          clock.remainingMs -= performance.now() - clock.since;
        }
      },
    };
  }

  /** Aborted when the Region's time runs out. */
  signal(region: string): AbortSignal {
    return this.clock(region).controller.signal;
  }

  hasExpired(region: string): boolean {
    return this.clocks.get(region)?.controller.signal.aborted ?? false;
  }

  error(region: string): DeadlineExceededError {
    return new DeadlineExceededError(region, this.limitMs);
  }

  /** Stops every clock (the scan is over). */
  dispose(): void {
    for (const clock of this.clocks.values()) clearTimeout(clock.timer);
  }
}
