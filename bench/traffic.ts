/**
 * What the latency proxy saw of one run: calls by operation, errors, when the first request arrived and the
 * last answer ended, and the most requests in flight at once (overall and at one endpoint). The proxy
 * counts HTTP requests, so retries and redirects count too, for every tool alike.
 */
import type { ProxyLogEntry } from '../test/support/fault-proxy.js';

export interface Traffic {
  /** HTTP requests. */
  requests: number;
  /** Requests by `service:Operation`. */
  byOperation: Record<string, number>;
  /** Answers with a status of 400 or more, or none. */
  errors: number;
  /** Errors by `service:Operation status`. */
  errorsByOperation: Record<string, number>;
  /** From the first request's arrival to the last answer's end, milliseconds. */
  apiSpanMs: number;
  /** From the child's start to its first request (start-up: runtime, imports, credentials). */
  beforeFirstCallMs: number;
  peakInFlight: number;
  /** The most in flight at one endpoint (service and Region). */
  peakInFlightPerEndpoint: number;
  /** Distinct endpoints (service and Region) called. */
  endpoints: number;
  /**
   * The longest chain of calls in which each was sent only after the one before it was answered: the
   * critical path in round trips, as the proxy saw it. An upper bound: a client busy computing can also
   * send an independent call after another one's answer.
   */
  callsInSequence: number;
}

function peak(entries: readonly ProxyLogEntry[]): number {
  const events: Array<[number, number]> = [];
  for (const e of entries) events.push([e.receivedAt, 1], [e.closedAt ?? Number.POSITIVE_INFINITY, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, step] of events) {
    now += step;
    most = Math.max(most, now);
  }
  return most;
}

/** The longest chain of requests, each received after the previous one's answer ended. */
export function longestChain(log: readonly ProxyLogEntry[]): number {
  const byStart = [...log].sort((a, b) => a.receivedAt - b.receivedAt);
  const done: Array<{ closedAt: number; depth: number }> = [];
  let longest = 0;
  for (const entry of byStart) {
    let before = 0;
    for (const previous of done)
      if (previous.closedAt <= entry.receivedAt) before = Math.max(before, previous.depth);
    const depth = before + 1;
    longest = Math.max(longest, depth);
    if (entry.closedAt !== undefined) done.push({ closedAt: entry.closedAt, depth });
  }
  return longest;
}

export function summarizeTraffic(log: readonly ProxyLogEntry[], startedAt: number): Traffic {
  const byOperation: Record<string, number> = {};
  const errorsByOperation: Record<string, number> = {};
  const byEndpoint = new Map<string, ProxyLogEntry[]>();
  let errors = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const entry of log) {
    const operation = `${entry.service}:${entry.operation}`;
    byOperation[operation] = (byOperation[operation] ?? 0) + 1;
    if (entry.status === undefined || entry.status >= 400) {
      errors += 1;
      const key = `${operation} ${entry.status ?? 'none'}`;
      errorsByOperation[key] = (errorsByOperation[key] ?? 0) + 1;
    }
    const endpoint = `${entry.service}:${entry.region}`;
    const list = byEndpoint.get(endpoint) ?? [];
    list.push(entry);
    byEndpoint.set(endpoint, list);
    first = Math.min(first, entry.receivedAt);
    last = Math.max(last, entry.closedAt ?? entry.receivedAt);
  }
  const sorted = Object.fromEntries(Object.entries(byOperation).sort(([a], [b]) => a.localeCompare(b)));
  return {
    requests: log.length,
    byOperation: sorted,
    errors,
    errorsByOperation,
    apiSpanMs: log.length > 0 ? last - first : 0,
    beforeFirstCallMs: log.length > 0 ? first - startedAt : 0,
    peakInFlight: peak(log),
    peakInFlightPerEndpoint: Math.max(0, ...[...byEndpoint.values()].map(peak)),
    endpoints: byEndpoint.size,
    callsInSequence: longestChain(log),
  };
}
