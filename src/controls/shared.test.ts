/** Rules every per-trail control shares: what it could not see is UNKNOWN, never silently fine. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../evaluate/view.js';
import { plain } from '../core/rich.js';
import {
  ACCOUNT_ID,
  bucket,
  denied,
  loggingOn,
  snapshot,
  trail,
} from '../../test/support/snapshot-builder.js';
import { CONTROLS } from './index.js';
import { makeFinding } from './shared.js';
import { apiCall } from '../fixes/builders.js';
import { cliScript } from '../fixes/calls.js';
import type { FixProposal } from './types.js';

const PER_RESOURCE = CONTROLS.filter((c) => c.resourceType !== 'AwsAccount');

/** A compliant trail in us-east-1, scanned there only because the Region list could not be read. */
function unlistedRegionsSnapshot(requested: string[] | null) {
  const snap = snapshot({
    regions: ['us-east-1'],
    trails: [
      trail({ Name: 'Main', KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k', S3BucketName: 'logs' }),
    ],
    buckets: [bucket('logs', loggingOn('logs-access'))],
    eventDataStores: {
      discovery: [
        {
          region: 'us-east-1',
          result: {
            ok: true,
            value: { EventDataStoreArns: [] },
            source: { operation: 'cloudtrail:ListEventDataStores', region: 'us-east-1' },
          },
        },
      ],
      stores: [],
    },
  });
  snap.scope.regionDiscovery = denied('ec2:DescribeRegions');
  snap.scope.requestedRegions = requested;
  return new SnapshotView(snap);
}

describe('per-resource controls and Regions that were not scanned', () => {
  it('are controls to check (the list is not empty)', () => {
    assert.ok(PER_RESOURCE.length > 0);
  });

  for (const control of PER_RESOURCE) {
    it(`${control.id} is UNKNOWN about Regions it never saw because they could not be listed, naming ec2:DescribeRegions`, () => {
      const naming = (findings: ReturnType<typeof control.evaluate>) =>
        findings.filter(
          (f) => f.status === 'UNKNOWN' && f.remediation?.permissions?.includes('ec2:DescribeRegions'),
        );
      const unscanned = naming(control.evaluate(unlistedRegionsSnapshot(null)));
      assert.equal(unscanned.length, 1, `${control.id} must not be silent about Regions it never saw`);
      assert.equal(unscanned[0]?.resource.id, ACCOUNT_ID);
      assert.match(plain(unscanned[0]?.message ?? []), /only Region us-east-1 was scanned/);
      // Regions named with --region are trusted as given.
      assert.deepEqual(naming(control.evaluate(unlistedRegionsSnapshot(['us-east-1']))), []);
    });
  }
});

describe('a failed finding with a proposal', () => {
  it('writes its CLI commands only when they are read, once, and shows them as before', () => {
    const calls = [apiCall('cloudtrail', 'StartLogging', 'us-east-1', { Name: 'Main' })];
    let reads = 0;
    const proposal: FixProposal = {
      summary: ['Start logging.'],
      console: [],
      get calls() {
        reads++;
        return calls;
      },
    };
    const control = { id: 'CloudTrail.X', title: 'x', severity: 'high' as const };
    const finding = makeFinding(control, {
      status: 'FAIL',
      resource: { type: 'AwsCloudTrailTrail', id: 'arn', name: 'Main', region: 'us-east-1' },
      message: ['Main is not logging.'],
      evidence: [],
      proposal,
    });
    assert.equal(reads, 0, 'judging writes no commands');
    const cli = finding.remediation?.cli;
    assert.deepEqual(cli, cliScript(calls));
    assert.equal(finding.remediation?.cli, cli, 'written once');
    assert.equal(reads, 1);
    assert.deepEqual((JSON.parse(JSON.stringify(finding.remediation)) as { cli: string[] }).cli, cli);
  });
});
