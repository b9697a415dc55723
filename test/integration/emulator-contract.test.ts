/**
 * The moto behaviours trailcheck's tests depend on or work around (../shared/docs/aws-emulator.md). If a
 * moto upgrade changes one, this test says which, so the workaround can be revisited.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetBucketAclCommand, PutBucketAclCommand } from '@aws-sdk/client-s3';
import { TEST_CREDENTIALS } from '../support/aws.js';
import { MOTO_VERSION } from '../support/moto-install.js';
import { useMoto } from '../support/moto-suite.js';
import { createTrailBucket } from '../support/scenarios/builders.js';

const suite = useMoto();

describe(`moto ${MOTO_VERSION} quirks`, () => {
  it('StartLogging by ARN fails (fixed in 5.2.3), so scenarios start trails by name', async () => {
    await createTrailBucket(suite.aws, 'quirk-logs', 'Quirk');
    const out = await suite.aws
      .cloudtrail()
      .send(new CreateTrailCommand({ Name: 'Quirk', S3BucketName: 'quirk-logs' }));
    await assert.rejects(suite.aws.cloudtrail().send(new StartLoggingCommand({ Name: out.TrailARN })));
  });

  it('HasCustomEventSelectors is always false, so trailcheck reads GetEventSelectors instead of trusting it', async () => {
    await createTrailBucket(suite.aws, 'quirk-logs', 'Quirk');
    await suite.aws.cloudtrail().send(new CreateTrailCommand({ Name: 'Quirk', S3BucketName: 'quirk-logs' }));
    await suite.aws.cloudtrail().send(
      new PutEventSelectorsCommand({
        TrailName: 'Quirk',
        EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }],
      }),
    );
    const described = await suite.aws.cloudtrail().send(new DescribeTrailsCommand({}));
    assert.equal(described.trailList?.[0]?.HasCustomEventSelectors, false);
  });

  it('a new trail has no event selectors (AWS would return a default one), so scenarios always put them', async () => {
    await createTrailBucket(suite.aws, 'quirk-logs', 'Quirk');
    await suite.aws.cloudtrail().send(new CreateTrailCommand({ Name: 'Quirk', S3BucketName: 'quirk-logs' }));
    const selectors = await suite.aws.cloudtrail().send(new GetEventSelectorsCommand({ TrailName: 'Quirk' }));
    assert.deepEqual([selectors.EventSelectors, selectors.AdvancedEventSelectors], [[], []]);
  });

  it('DescribeTrails elsewhere returns a multi-Region trail as a shadow with its home Region', async () => {
    await createTrailBucket(suite.aws, 'quirk-logs', 'Quirk');
    await suite.aws
      .cloudtrail()
      .send(new CreateTrailCommand({ Name: 'Quirk', S3BucketName: 'quirk-logs', IsMultiRegionTrail: true }));
    const described = await suite.aws
      .cloudtrail('eu-west-1')
      .send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    assert.equal(described.trailList?.[0]?.HomeRegion, 'us-east-1');
  });

  it('DisableKey by ARN fails with an HTML 500, so fixes and undos name a key of this account by its id', async () => {
    const key = await suite.aws.kms().send(new CreateKeyCommand({}));
    await assert.rejects(suite.aws.kms().send(new DisableKeyCommand({ KeyId: key.KeyMetadata?.Arn })));
    await suite.aws.kms().send(new DisableKeyCommand({ KeyId: key.KeyMetadata?.KeyId }));
  });

  it('an ACL left with no grant makes GetBucketAcl fail (HTTP 500), where AWS answers an empty list', async () => {
    await suite.aws.s3().send(new CreateBucketCommand({ Bucket: 'quirk-acl' }));
    const acl = await suite.aws.s3().send(new GetBucketAclCommand({ Bucket: 'quirk-acl' }));
    await suite.aws.s3().send(
      new PutBucketAclCommand({
        Bucket: 'quirk-acl',
        AccessControlPolicy: { Owner: acl.Owner, Grants: [] },
      }),
    );
    await assert.rejects(suite.aws.s3().send(new GetBucketAclCommand({ Bucket: 'quirk-acl' })));
  });

  it('DescribeRegions lists GovCloud and China Regions too, so trailcheck keeps the caller’s partition only', async () => {
    const ec2 = new EC2Client({
      region: 'us-east-1',
      endpoint: suite.moto.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    const regions = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    const names = regions.Regions?.map((r) => r.RegionName) ?? [];
    assert.ok(names.includes('us-gov-west-1') && names.includes('cn-north-1'));
    assert.ok(regions.Regions?.some((r) => r.OptInStatus === 'not-opted-in'));
  });
});
