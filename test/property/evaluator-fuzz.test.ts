/**
 * Property-based tests of the evaluator with fast-check: random valid snapshots (facts, failures, absent
 * evidence, values AWS never sends), then evidence taken away or corrupted. The evaluator never crashes,
 * every renderer copes, a PASS never rests on a failure or on a fact the snapshot does not hold, losing
 * evidence never turns a verdict into PASS, and corrupting what a PASS rested on takes the PASS away
 * (unless other intact evidence carries it).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CONTROLS } from '../../src/controls/index.js';
import type { Finding } from '../../src/controls/types.js';
import { assess } from '../../src/judge/assess.js';
import { reportOf } from '../../src/report/model.js';
import type { Assessment } from '../../src/judge/assess.js';
import { FORMATS, render } from '../../src/report/index.js';
import { SnapshotSchema } from '../../src/snapshot/schema.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { readSnapshotFile } from '../../src/snapshot/io.js';
import { DEMO_SNAPSHOT } from '../../src/cli/commands/demo.js';
import { packageRoot } from '../../src/util/package-root.js';
import { join } from 'node:path';
import { FAILURE_KINDS } from '../../src/aws/errors.js';
import {
  clone,
  factSources,
  failListing,
  observationSlots,
  REGIONS,
  snapshotArbitrary,
} from '../support/arbitraries.js';

const RUNS = 1000;

const findingKey = (f: Finding) => `${f.control} ${f.resource.id}`;

function passes(assessment: Assessment): Set<string> {
  return new Set(assessment.findings.filter((f) => f.status === 'PASS').map(findingKey));
}

/** PASS verdicts (control level and finding level) in `after` that `before` did not have. */
function newPasses(before: Assessment, after: Assessment): string[] {
  const gained: string[] = [];
  for (const result of after.results) {
    const was = before.results.find((r) => r.control.id === result.control.id)?.status;
    if (result.status === 'PASS' && was !== 'PASS') gained.push(`${result.control.id}: ${was} -> PASS`);
  }
  const had = passes(before);
  for (const key of passes(after)) if (!had.has(key)) gained.push(`${key}: now PASS`);
  return gained;
}

describe('evaluator under random evidence (fast-check)', () => {
  it('never crashes, every format renders, and a PASS rests only on facts the snapshot holds', (t) => {
    fc.assert(
      fc.property(snapshotArbitrary, (snapshot) => {
        const assessment = reportOf(snapshot, CONTROLS);
        for (const format of FORMATS) assert.equal(typeof render(assessment, format), 'string');
        const sources = factSources(snapshot);
        for (const finding of assessment.findings) {
          for (const evidence of finding.evidence) {
            if (evidence.facts) {
              assert.ok(
                sources.has(`${evidence.source} ${evidence.region}`),
                `invented evidence in ${findingKey(finding)}`,
              );
            }
          }
          if (finding.status !== 'PASS') continue;
          assert.ok(!finding.evidence.some((e) => e.error), `${findingKey(finding)} PASSes on a failed call`);
          assert.ok(finding.evidence.length > 0, `${findingKey(finding)} PASSes without evidence`);
        }
      }),
      { numRuns: RUNS },
    );
    t.diagnostic(
      `evaluator fuzz: ${RUNS} random snapshots × ${FORMATS.length} formats, PASS without real evidence: 0`,
    );
  });

  it('losing one piece of evidence (failed or absent) never turns anything into PASS', (t) => {
    let mutations = 0;
    fc.assert(
      fc.property(
        snapshotArbitrary,
        fc.nat(),
        fc.constantFrom(...FAILURE_KINDS),
        fc.boolean(),
        (snapshot, pick, kind, remove) => {
          const slots = observationSlots(snapshot);
          const slot = slots[pick % slots.length]!;
          const mutated = clone(snapshot);
          const current = slot.get(mutated);
          const where = current?.ok ? current.source : { operation: 'x:Y', region: 'us-east-1' };
          slot.set(
            mutated,
            remove
              ? undefined
              : {
                  ok: false,
                  failure: {
                    operation: where.operation,
                    region: where.region,
                    kind,
                    code: 'Fuzz',
                    message: 'fuzz',
                  },
                },
          );
          // Some observations are required: removing them is not a snapshot trailcheck would accept.
          if (!SnapshotSchema.safeParse(mutated).success) return;
          mutations += 1;
          const gained = newPasses(assess(snapshot, CONTROLS), assess(mutated, CONTROLS));
          assert.deepEqual(gained, [], `${remove ? 'removing' : `failing (${kind})`} ${slot.describe}`);
        },
      ),
      { numRuns: RUNS },
    );
    t.diagnostic(`evidence removal fuzz: ${mutations} single-observation losses, false PASS: 0`);
  });

  it('a Region whose trail listing fails never turns anything into PASS', (t) => {
    let mutations = 0;
    fc.assert(
      fc.property(
        snapshotArbitrary,
        fc.constantFrom(...REGIONS),
        fc.constantFrom(...FAILURE_KINDS),
        (snapshot, region, kind) => {
          const mutated = clone(snapshot);
          failListing(mutated, region, {
            operation: 'cloudtrail:DescribeTrails',
            region,
            kind,
            code: 'Fuzz',
            message: 'fuzz',
          });
          mutations += 1;
          assert.deepEqual(newPasses(assess(snapshot, CONTROLS), assess(mutated, CONTROLS)), []);
        },
      ),
      { numRuns: RUNS },
    );
    t.diagnostic(`listing loss fuzz: ${mutations} Region listings failed, false PASS: 0`);
  });

  it('corrupting the record a PASS rests on takes that PASS away, unless other intact evidence carries it', (t) => {
    let corrupted = 0;
    fc.assert(
      fc.property(snapshotArbitrary, fc.nat(), (snapshot, pick) => {
        const before = assess(snapshot, CONTROLS);
        const passing = before.findings.filter((f) => f.status === 'PASS');
        if (passing.length === 0) return;
        const target = passing[pick % passing.length]!;
        const mutated = clone(snapshot);
        const trailArns = corruptBehind(mutated, target);
        corrupted += 1;
        const after = assess(mutated, CONTROLS).findings.find(
          (f) => findingKey(f) === findingKey(target) && f.status === 'PASS',
        );
        if (!after) return;
        assert.equal(
          target.resource.type,
          'AwsAccount',
          `${findingKey(target)} still PASSes on corrupted evidence`,
        );
        const cited = after.evidence.flatMap((e) =>
          typeof e.facts?.TrailARN === 'string' ? [e.facts.TrailARN] : [],
        );
        assert.ok(
          !cited.some((arn) => trailArns.includes(arn)),
          `${findingKey(target)} PASSes on a corrupted trail`,
        );
      }),
      { numRuns: RUNS },
    );
    t.diagnostic(
      `evidence corruption fuzz: ${corrupted} PASS findings had their evidence corrupted, false PASS: 0`,
    );
  });
});

/**
 * Makes the evidence behind a PASS finding malformed: for a trail, every optional setting gone and its
 * status and selectors answers empty; for a bucket, its Region unread and a logging answer with no
 * target. Returns the trails corrupted.
 */
function corruptBehind(snapshot: Snapshot, finding: Finding): string[] {
  const arns =
    finding.resource.type === 'AwsCloudTrailTrail'
      ? [finding.resource.id]
      : finding.evidence.flatMap((e) => (typeof e.facts?.TrailARN === 'string' ? [e.facts.TrailARN] : []));
  for (const trail of snapshot.cloudtrail.trails) {
    if (!arns.includes(trail.config.TrailARN)) continue;
    const { Name, TrailARN, HomeRegion, S3BucketName } = trail.config;
    trail.config = { Name, TrailARN, HomeRegion, ...(S3BucketName ? { S3BucketName } : {}) };
    if (trail.status?.ok) trail.status = { ...trail.status, value: {} };
    if (trail.eventSelectors?.ok) trail.eventSelectors = { ...trail.eventSelectors, value: {} };
  }
  if (finding.resource.type === 'AwsS3Bucket') {
    const bucket = snapshot.s3.buckets.find((b) => b.Name === finding.resource.name);
    if (bucket) {
      delete bucket.location;
      if (bucket.logging?.ok) bucket.logging = { ...bucket.logging, value: { LoggingEnabled: {} } };
    }
  }
  return arns;
}

describe('every piece of evidence of a real snapshot, taken away in turn', () => {
  it('failing or removing any one observation of the demo snapshot never turns anything into PASS', async (t) => {
    // Recorded from moto with every evidence kind, so controls and evidence added later are walked too.
    const demo = await readSnapshotFile(join(packageRoot(), DEMO_SNAPSHOT));
    const before = assess(demo, CONTROLS);
    const slots = observationSlots(demo);
    let tried = 0;
    const gained: string[] = [];
    for (const slot of slots) {
      const variants: Array<[string, (s: Snapshot) => void]> = FAILURE_KINDS.map((kind) => [
        kind,
        (s) => {
          const current = slot.get(s);
          const where = current?.ok ? current.source : { operation: 'x:Y', region: 'us-east-1' };
          slot.set(s, {
            ok: false,
            failure: {
              operation: where.operation,
              region: where.region,
              kind,
              code: 'Fuzz',
              message: 'fuzz',
            },
          });
        },
      ]);
      variants.push(['removed', (s) => slot.set(s, undefined)]);
      for (const [how, mutate] of variants) {
        const mutated = clone(demo);
        mutate(mutated);
        if (!SnapshotSchema.safeParse(mutated).success) continue;
        tried += 1;
        for (const gain of newPasses(before, assess(mutated, CONTROLS)))
          gained.push(`${slot.describe} ${how}: ${gain}`);
      }
    }
    t.diagnostic(
      `demo snapshot walk: ${slots.length} observations × ${FAILURE_KINDS.length + 1} ways = ${tried} snapshots, false PASS: ${gained.length}`,
    );
    assert.ok(slots.length > 20, 'the walk finds the observations');
    assert.deepEqual(gained, []);
  });
});
