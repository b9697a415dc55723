/**
 * Calls in flight are bounded per endpoint (service and Region), not across the scan: many Regions are read
 * at once, and no one endpoint ever sees more than its bound. Measured at the proxy, from when each request
 * arrived and when its answer ended, with a delay that keeps calls in flight long enough to overlap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { collect } from '../../src/collect/index.js';
import { CONTROLS } from '../../src/controls/index.js';
import type { ProxyLogEntry } from '../support/fault-proxy.js';
import { useFaultProxy } from '../support/fault-suite.js';
import { createBucket, createTrail } from '../support/scenarios/builders.js';

const suite = useFaultProxy();

/** The most requests that were in flight at the same time, per key. */
function peakInFlight(log: readonly ProxyLogEntry[], key: (e: ProxyLogEntry) => string): Map<string, number> {
  const events: Array<{ at: number; key: string; step: number }> = [];
  for (const entry of log) {
    events.push({ at: entry.receivedAt, key: key(entry), step: 1 });
    events.push({ at: entry.closedAt ?? Number.POSITIVE_INFINITY, key: key(entry), step: -1 });
  }
  // Ends before starts at the same instant: a slot handed over is not two calls at once.
  events.sort((a, b) => a.at - b.at || a.step - b.step);
  const now = new Map<string, number>();
  const peak = new Map<string, number>();
  for (const { key: k, step } of events) {
    const value = (now.get(k) ?? 0) + step;
    now.set(k, value);
    peak.set(k, Math.max(peak.get(k) ?? 0, value));
  }
  return peak;
}

describe('concurrency per endpoint', () => {
  it('never has more than the bound in flight at one endpoint, while other Regions run at the same time', async () => {
    suite.proxy.setLatency({ ms: 30 });
    suite.proxy.clearLog();
    const factory = new AwsClientFactory({
      ...suite.access,
      requestTimeoutMs: 10_000,
      endpointConcurrency: { cloudtrail: 3 },
    });
    try {
      const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
      await Promise.all(
        regions.flatMap((region) =>
          Array.from({ length: 9 }, () =>
            factory.cloudTrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true })),
          ),
        ),
      );
    } finally {
      factory.destroy();
      suite.proxy.setLatency(undefined);
    }
    const perEndpoint = peakInFlight(suite.proxy.log, (e) => `${e.service}:${e.region}`);
    const overall = peakInFlight(suite.proxy.log, () => 'all');
    assert.equal(suite.proxy.log.length, 27);
    for (const [endpoint, peak] of perEndpoint) assert.ok(peak <= 3, `${endpoint}: ${peak} in flight`);
    assert.ok((overall.get('all') ?? 0) > 3, 'Regions are read at the same time');
  });

  it('a scan keeps each endpoint under its bound and reads every trail once', async () => {
    for (const [i, region] of ['us-east-1', 'us-east-1', 'eu-west-1', 'eu-west-1', 'eu-west-1'].entries()) {
      const bucket = `concurrency-${i}`;
      await createBucket(suite.aws, bucket, region);
      await createTrail(suite.aws, { name: `Trail${i}`, bucket, region });
    }
    suite.proxy.setLatency({ ms: 20 });
    suite.proxy.clearLog();
    try {
      const snapshot = await collect({
        // Generous per-attempt time: this is about concurrency, and moto loads a service on first use.
        access: { ...suite.access, requestTimeoutMs: 10_000, endpointConcurrency: { cloudtrail: 2, s3: 3 } },
        regions: ['us-east-1', 'eu-west-1'],
        controls: CONTROLS,
      });
      assert.equal(snapshot.cloudtrail.trails.length, 5);
    } finally {
      suite.proxy.setLatency(undefined);
    }
    const perEndpoint = peakInFlight(suite.proxy.log, (e) => `${e.service}:${e.region}`);
    for (const [endpoint, peak] of perEndpoint) {
      const bound = endpoint.startsWith('cloudtrail:') ? 2 : endpoint.startsWith('s3:') ? 3 : 8;
      assert.ok(peak <= bound, `${endpoint}: ${peak} in flight, bound ${bound}`);
    }
    const statusCalls = suite.proxy.log.filter((e) => e.operation === 'GetTrailStatus').length;
    assert.equal(statusCalls, 5, 'one status call per trail');
  });
});
