/**
 * No two findings of one assessment may share an identity (`findingIdentity`): diff, suppressions and the
 * planner match findings by it, so two findings with one identity would let one hide the other (the
 * bug this guards against: every Region's CloudTrail.3 finding had the same control and resource id).
 * Judged on the demo snapshot (recorded from moto with every evidence kind), on the demo with each of
 * its observations failed in turn and with the blind-spot cases (Regions not listed, trail or Lake
 * listings failed), and on random snapshots.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEMO_SNAPSHOT } from '../../src/cli/commands/demo.js';
import { findingIdentity } from '../../src/core/identity.js';
import { CONTROLS } from '../../src/controls/index.js';
import type { Finding } from '../../src/controls/types.js';
import { assess } from '../../src/judge/assess.js';
import { findingUid } from '../../src/report/machine.js';
import { SnapshotSchema } from '../../src/snapshot/schema.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { readSnapshotFile } from '../../src/snapshot/io.js';
import { packageRoot } from '../../src/util/package-root.js';
import { clone, failListing, observationSlots, snapshotArbitrary } from '../support/arbitraries.js';

/** Identities held by more than one finding, each with the findings' names, for the failure message. */
function sharedIdentities(account: string, findings: readonly Finding[]): string[] {
  const seen = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = findingIdentity(account, finding);
    seen.set(key, [...(seen.get(key) ?? []), finding]);
  }
  return [...seen.entries()]
    .filter(([, group]) => group.length > 1)
    .map(([key, group]) => `${key}: ${group.length} findings (${group.map((f) => f.status).join(', ')})`);
}

function assertUnique(snapshot: Snapshot, label: string): number {
  const assessment = assess(snapshot, CONTROLS);
  const shared = sharedIdentities(snapshot.account.Account, assessment.findings);
  assert.deepEqual(shared, [], `${label}: findings share an identity`);
  // The machine formats' finding ids (ASFF Id, OCSF uid, CSV finding_id) must be as unique.
  const uids = assessment.findings.map((f) => findingUid(assessment, f));
  const repeated = uids.filter((uid, i) => uids.indexOf(uid) !== i);
  assert.deepEqual(repeated, [], `${label}: findings share a machine-format id`);
  return assessment.findings.length;
}

const FAILURE = {
  operation: 'cloudtrail:DescribeTrails',
  region: 'us-east-1',
  kind: 'access-denied' as const,
  code: 'AccessDenied',
  message: 'denied (test)',
};

describe('finding identity: unique within one assessment', () => {
  it('holds on the demo snapshot, with every observation failed in turn, and with blind spots', async (t) => {
    const demo = await readSnapshotFile(join(packageRoot(), DEMO_SNAPSHOT));
    const findings = assertUnique(demo, 'demo');
    // The demo is rich enough to matter: several controls, several Regions.
    assert.ok(findings > 20, `demo gives only ${findings} findings`);
    assert.ok(new Set(assess(demo, CONTROLS).findings.map((f) => f.resource.region)).size > 1);

    let variants = 0;
    for (const slot of observationSlots(demo)) {
      const mutated = clone(demo);
      const current = slot.get(mutated);
      const where = current?.ok ? current.source : { operation: 'x:Y', region: 'us-east-1' };
      slot.set(mutated, { ok: false, failure: { ...FAILURE, ...where } });
      if (!SnapshotSchema.safeParse(mutated).success) continue;
      assertUnique(mutated, `demo with ${slot.describe} failed`);
      variants += 1;
    }

    // Blind spots: the enabled Regions could not be listed, and trail listings failed, together.
    const regions = demo.scope.regions;
    for (const failedRegions of [regions.slice(0, 1), regions.slice(1, 2), regions]) {
      const blind = clone(demo);
      blind.scope.requestedRegions = null;
      blind.scope.regionDiscovery = { ok: false, failure: { ...FAILURE, operation: 'ec2:DescribeRegions' } };
      for (const region of failedRegions) failListing(blind, region, FAILURE);
      const lake = blind.cloudtrail.eventDataStores;
      if (lake) {
        for (const entry of lake.discovery) {
          if (failedRegions.includes(entry.region)) {
            entry.result = {
              ok: false,
              failure: { ...FAILURE, operation: 'cloudtrail:ListEventDataStores', region: entry.region },
            };
          }
        }
      }
      assertUnique(SnapshotSchema.parse(blind), `demo blind in ${failedRegions.join(', ')}`);
      variants += 1;
    }
    t.diagnostic(`finding identity: demo + ${variants} variants, no shared identity`);
  });

  it('holds on random snapshots (fast-check)', () => {
    fc.assert(
      fc.property(snapshotArbitrary, (snapshot) => {
        assertUnique(snapshot, 'random snapshot');
      }),
      { numRuns: 200 },
    );
  });
});
