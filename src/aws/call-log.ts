/** Counts every API call trailcheck makes, by operation and region, so a scan can report its own cost. */
export interface CallCount {
  /** `service:Operation`. */
  operation: string;
  region: string;
  /** Logical calls (one per command sent). */
  calls: number;
  /** HTTP attempts, retries included. */
  attempts: number;
  /** Calls that ended in an error after retries. */
  failures: number;
}

/** One call, in the order it was made. */
export interface LoggedCall {
  operation: string;
  region: string;
  failed: boolean;
}

export class CallLog {
  private readonly counts = new Map<string, CallCount>();
  private readonly sequence: LoggedCall[] = [];

  record(operation: string, region: string, attempts: number, failed: boolean): void {
    this.sequence.push({ operation, region, failed });
    const key = `${operation}\u0000${region}`;
    let entry = this.counts.get(key);
    if (!entry) {
      entry = { operation, region, calls: 0, attempts: 0, failures: 0 };
      this.counts.set(key, entry);
    }
    entry.calls += 1;
    entry.attempts += Math.max(1, attempts);
    if (failed) entry.failures += 1;
  }

  /** Sorted, so two scans of the same account produce the same list. */
  entries(): CallCount[] {
    return [...this.counts.values()]
      .map((c) => ({ ...c }))
      .sort((a, b) => a.operation.localeCompare(b.operation) || a.region.localeCompare(b.region));
  }

  /** Every call in the order it was made (`trailcheck fix` shows its writes from here, not from its plan). */
  journal(): LoggedCall[] {
    return this.sequence.map((c) => ({ ...c }));
  }

  totalCalls(): number {
    let total = 0;
    for (const c of this.counts.values()) total += c.calls;
    return total;
  }
}
