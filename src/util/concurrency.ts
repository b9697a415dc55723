/**
 * Maps over items with at most `limit` promises in flight, keeping results in input order. Used to fan out
 * over Regions and trails without flooding one AWS endpoint.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker);
  await Promise.all(workers);
  return results;
}

/**
 * A counting semaphore: at most `limit` holders at once, the others wait in arrival order. The client
 * factory keeps one per AWS endpoint (service and Region), so collectors can start every call at once and
 * each endpoint still sees a bounded number in flight.
 */
export class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`a gate needs a limit of 1 or more (got ${limit})`);
  }

  /** Resolves when a slot is free; call the returned function exactly once to give it back. */
  async acquire(): Promise<() => void> {
    if (this.active < this.limit) {
      this.active += 1;
    } else {
      // The slot is handed over by release(), so `active` stays counted while it changes hands.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    };
  }

  /** Holders now (for tests and the benchmark). */
  get inUse(): number {
    return this.active;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }
}
