/**
 * The growth bench's smoke test and its account generator. It runs the smallest size only and asserts no
 * time: the growth curve is measured by `npm run bench:growth`, never in a test.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatGrowthMarkdown, formatGrowthReport, GROWTH_TRAILS, runGrowth } from '../../bench/growth.js';
import { PLAN_OUTPUTS } from '../../bench/offline-path.js';
import { writeGrowthOnly } from '../../bench/run.js';
import type { BenchFile } from '../../bench/run.js';
import type { GrowthResult, GrowthSize } from '../../bench/growth.js';
import { CONTROLS } from '../../src/controls/index.js';
import { assess } from '../../src/judge/assess.js';
import { buildPlan } from '../../src/remediate/plan.js';
import { FORMATS } from '../../src/report/index.js';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot/io.js';
import { GROWTH_REGIONS, growthSnapshot } from '../support/growth-snapshot.js';

describe('growth snapshot', () => {
  it('loads exactly as `scan --snapshot` would, and the same size always gives the same account', () => {
    const built = growthSnapshot(20);
    const text = serializeSnapshot(built);
    assert.deepEqual(parseSnapshot(text, 'growth snapshot'), built);
    assert.equal(serializeSnapshot(growthSnapshot(20)), text);
  });

  it('spreads trails of both kinds over four Regions, a bucket each, most failing several controls', () => {
    for (const count of [5, 8]) {
      const snap = growthSnapshot(count);
      const trails = snap.cloudtrail.trails;
      assert.equal(trails.length, count);
      assert.equal(snap.s3.buckets.length, count, 'as many buckets as trails');
      assert.ok(GROWTH_REGIONS.length >= 4);
      assert.deepEqual(new Set(trails.map((t) => t.config.HomeRegion)).size, GROWTH_REGIONS.length);
      assert.ok(trails.some((t) => t.config.IsMultiRegionTrail));
      assert.ok(trails.some((t) => !t.config.IsMultiRegionTrail));
      assert.ok((snap.kms?.keys.length ?? 0) > 0, 'some keys');

      const failuresOf = new Map<string, number>();
      const assessment = assess(snap, CONTROLS);
      assert.equal(assessment.summary.UNKNOWN, 0, 'every piece of evidence was read');
      for (const f of assessment.findings) {
        if (f.status !== 'FAIL') continue;
        // A trail's bucket counts for its trail.
        const trail = f.resource.name.replace(/-logs$/, '');
        failuresOf.set(trail, (failuresOf.get(trail) ?? 0) + 1);
      }
      const failingSeveral = trails.filter((t) => (failuresOf.get(t.config.Name) ?? 0) >= 3).length;
      assert.ok(
        failingSeveral > count / 2,
        `${failingSeveral} of ${count} trails fail three controls or more`,
      );
      assert.ok(buildPlan(snap, CONTROLS).actions.length >= count, 'the planner has work');
    }
  });
});

describe('growth bench (smoke)', () => {
  it('times every step of the offline path at the smallest size and reports it', async () => {
    const smallest = Math.min(...GROWTH_TRAILS);
    const result = await runGrowth({ trails: [smallest], capSeconds: 600, log: () => undefined });
    assert.equal(result.sizes.length, 1);
    const [size] = result.sizes;
    assert.ok(size);
    assert.equal(size.outcome, 'done');
    assert.equal(size.trails, smallest);
    assert.deepEqual(
      size.steps.map((s) => s.phase),
      ['load', 'judge', 'plan', ...FORMATS, ...PLAN_OUTPUTS.map((o) => `plan ${o}`)],
    );
    for (const step of size.steps) {
      assert.ok(step.wallMs >= 0 && step.cpuMs >= 0 && Number.isFinite(step.cpuMs), step.phase);
      assert.ok(step.liveHeapMb > 0 && step.liveHeapMb <= step.peakRssMb, step.phase);
      assert.match(step.produced, /\d/, step.phase);
    }
    assert.match(size.steps.find((s) => s.phase === 'judge')?.produced ?? '', /[1-9]\d* failed/);
    const table = formatGrowthReport(result);
    for (const phase of size.steps.map((s) => s.phase)) assert.ok(table.includes(phase), phase);
    assert.match(table, /85 trails: not run/);
    assert.equal(size.stoppedDuring, undefined);
    assert.match(formatGrowthMarkdown(result), /^### Growth/);
  });

  it('stops a size at the cap, keeps what it finished, and skips the bigger sizes', async () => {
    const result = await runGrowth({ trails: [10, 5], capSeconds: 0.001, log: () => undefined });
    assert.deepEqual(
      result.sizes.map((s) => [s.trails, s.outcome]),
      [
        [5, 'capped'],
        [10, 'skipped'],
      ],
    );
    const table = formatGrowthReport(result);
    assert.match(table, /stopped at the 0\.001 s cap/);
    assert.match(table, /skipped: a smaller size exceeded the cap/);
  });

  it('names the step a stopped size was in, and misses a target it could not measure', () => {
    const step = { wallMs: 1000, cpuMs: 500, liveHeapMb: 30, peakRssMb: 150, produced: '1 trail' };
    const size = (trails: number, outcome: GrowthSize['outcome']): GrowthSize => ({
      trails,
      multiRegionTrails: 1,
      regions: 4,
      buckets: trails,
      outcome,
      workerWallMs: 0,
      steps: outcome === 'skipped' ? [] : [{ ...step, phase: 'load' }],
      ...(outcome === 'capped' ? { stoppedDuring: 'judge' as const } : {}),
      wallMs: 1000,
      cpuMs: 500,
      liveHeapMb: 30,
      peakRssMb: 150,
    });
    const result: GrowthResult = {
      startedAt: '2026-11-29T00:00:00.000Z',
      finishedAt: '2026-11-29T00:10:00.000Z',
      capSeconds: 120,
      machine: { cpus: 2, node: 'v24', loadStart: [1, 1, 1], loadEnd: [1, 1, 1] },
      regions: ['us-east-1'],
      sizes: [size(10, 'done'), size(40, 'capped'), size(85, 'skipped')],
    };
    const table = formatGrowthReport(result);
    assert.match(table, /stopped at the 120 s cap after 1 steps, during judge/);
    assert.match(table, /judge .*stopped here \(cap\)/);
    assert.match(table, /40 trails against 10 trails: not measured .*target MISSED/);
    assert.match(table, /85 trails: skipped.*MISSED/);
  });

  it('--growth-only replaces the growth curve in latest.json and keeps the rest of the last run', async () => {
    const out = await mkdtemp(join(tmpdir(), 'trailcheck-growth-smoke-'));
    try {
      await writeFile(join(out, 'latest.json'), JSON.stringify({ latencyMs: 40, sizes: [] }));
      const growth = await runGrowth({ trails: [5], capSeconds: 0.001, log: () => undefined });
      await writeGrowthOnly(out, growth);
      const written = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8')) as BenchFile;
      assert.equal(written.latencyMs, 40);
      assert.deepEqual(written.growth, growth);
      assert.match(await readFile(join(out, 'latest.md'), 'utf8'), /Growth of judging/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
