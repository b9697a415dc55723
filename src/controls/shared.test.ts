/** Rules every per-trail control shares: what it could not see is UNKNOWN, never silently fine. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../evaluate/view.js';
import { plain } from '../report/rich.js';
import {
  ACCOUNT_ID,
  bucket,
  denied,
  loggingOn,
  snapshot,
  trail,
} from '../../test/support/snapshot-builder.js';
import { CONTROLS } from './index.js';

const PER_RESOURCE = CONTROLS.filter((c) => c.resourceType !== 'AwsAccount');

/** A compliant trail in us-east-1, scanned there only because the Region list could not be read. */
function unlistedRegionsSnapshot(requested: string[] | null) {
  const snap = snapshot({
    regions: ['us-east-1'],
    trails: [
      trail({ Name: 'Main', KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k', S3BucketName: 'logs' }),
    ],
    buckets: [bucket('logs', loggingOn('logs-access'))],
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
    it(`${control.id} is UNKNOWN, naming ec2:DescribeRegions, when the enabled Regions could not be listed`, () => {
      const findings = control.evaluate(unlistedRegionsSnapshot(null));
      const unknown = findings.find((f) => f.status === 'UNKNOWN');
      assert.ok(unknown, `${control.id} must not be silent about Regions it never saw`);
      assert.deepEqual(unknown.remediation?.permissions, ['ec2:DescribeRegions']);
      assert.equal(unknown.resource.id, ACCOUNT_ID);
      assert.match(plain(unknown.message), /only Region us-east-1 was scanned/);
      assert.ok(
        findings.some((f) => f.status === 'PASS'),
        'the trail it did see is still assessed',
      );
    });

    it(`${control.id} trusts the Regions named with --region even when they could not be checked`, () => {
      const findings = control.evaluate(unlistedRegionsSnapshot(['us-east-1']));
      assert.deepEqual(
        findings.map((f) => f.status),
        findings.map(() => 'PASS'),
      );
    });
  }
});
