/**
 * The benchmark's smoke test: it runs, at the smallest size, trailcheck only, with a small latency, and
 * its figures hang together. It asserts no time: speed is measured by `npm run bench`, never in a test.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatReport } from '../../bench/report.js';
import { runBenchmark } from '../../bench/run.js';
import type { BenchResult } from '../../bench/run.js';
import { SIZES } from '../../bench/sizes.js';

describe('benchmark (smoke)', () => {
  it('runs the smallest size end to end and writes its table as JSON', async (t) => {
    const out = await mkdtemp(join(tmpdir(), 'trailcheck-bench-smoke-'));
    try {
      const smallest = SIZES[0];
      assert.ok(smallest);
      const result = await runBenchmark({
        sizes: [smallest],
        latencyMs: 5,
        jitterMs: 0,
        repeat: 1,
        prowler: false,
        custodian: false,
        outDir: out,
        log: () => undefined,
      });
      const written = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8')) as BenchResult;
      assert.deepEqual(written.sizes.length, 1);
      const [size] = result.sizes;
      assert.ok(size);
      assert.deepEqual(
        size.tools.map((tool) => tool.tool),
        ['trailcheck', 'trailcheck-all'],
      );
      for (const tool of size.tools) {
        // The heap probe ran: at least the collection at exit, and a live heap no bigger than the peak RSS.
        assert.ok(tool.heap && tool.heap.samples >= 1, `${tool.tool} has a live-heap figure`);
        assert.ok(tool.heap.peakLiveMb > 0 && tool.heap.peakLiveMb * 1024 < tool.withLatency.maxRssKb);
        for (const run of [tool.withLatency, tool.withoutLatency]) {
          assert.equal(run.trailsSeen, size.trails, `${tool.tool} names every seeded trail`);
          // Every call trailcheck counted reached the proxy, once: no retries, nothing uncounted.
          assert.equal(run.traffic.requests, run.selfCountedCalls, tool.tool);
          const calls = run.traffic.byOperation;
          assert.equal(calls['cloudtrail:DescribeTrails'], size.regions.length, 'one listing per Region');
          assert.equal(calls['cloudtrail:GetTrailStatus'], size.trails, 'one status call per trail');
          assert.equal(calls['sts:GetCallerIdentity'], 1);
        }
      }
      const table = formatReport(result);
      assert.match(table, /trailcheck, all 35 controls/);
      assert.match(table, /live heap \d+ MiB at most/);
      t.diagnostic(table.split('\n').slice(0, 8).join('\n'));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
