/**
 * An account where every control passes, with evidence from both test Regions: a multi-Region trail homed
 * in us-east-1 and a single-Region trail homed in eu-west-1. Each is encrypted with a key CloudTrail may
 * use, validates its log files, logs all management events and every S3 object read and write, sends its
 * events to CloudWatch Logs (the multi-Region one with a CIS metric filter, alarm and subscribed topic for
 * each Monitoring check), has Insights on and a tag, and delivers to a versioned bucket of its own
 * Region whose policy is scoped to the trail and whose access logs go to a separate bucket. CloudTrail
 * Lake, which moto lacks, is answered by the fault proxy (`COMPLIANT_LAKE`).
 *
 * The fault and permission matrices start from it, so that a wrong PASS under a fault would show. When a
 * control is added, extend this scenario until the control passes here: the matrices check every control.
 */
import { AddTagsCommand, PutInsightSelectorsCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { cloudTrailKeyPolicy } from '../../../src/controls/cloudtrail-2-kms-encryption/control.js';
import { ACCOUNT } from '../aws.js';
import type { SeedClients } from '../aws.js';
import { createBucket, createKey, createTrail, createTrailBucket, enableAccessLogging } from './builders.js';
import type { LakeStore } from './lake.js';
import { printedCisFilters, seedMonitoringChain } from './monitoring.js';

export const COMPLIANT_LAKE: LakeStore[] = [
  { region: 'us-east-1', name: 'org-lake', kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/lake-key` },
];

export async function compliantScenario(aws: SeedClients): Promise<void> {
  const homes: Array<{ name: string; region: string; multiRegion: boolean }> = [
    { name: 'OrgAudit', region: 'us-east-1', multiRegion: true },
    { name: 'EuLocal', region: 'eu-west-1', multiRegion: false },
  ];
  for (const { name, region, multiRegion } of homes) {
    const bucket = `${name.toLowerCase()}-trail-logs`;
    const trailArn = `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;
    await createTrailBucket(aws, bucket, name, region);
    await aws
      .s3(region)
      .send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    await createBucket(aws, `${bucket}-access`, region);
    await enableAccessLogging(aws, bucket, `${bucket}-access`, region);
    const key = await createKey(
      aws,
      `alias/${name.toLowerCase()}`,
      region,
      cloudTrailKeyPolicy('aws', ACCOUNT, trailArn),
    );
    await createTrail(aws, {
      name,
      bucket,
      region,
      multiRegion,
      kmsKeyId: key,
      logFileValidation: true,
      eventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: true,
          DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
        },
      ],
    });
    const cloudtrail = aws.cloudtrail(region);
    await cloudtrail.send(
      new UpdateTrailCommand({
        Name: name,
        CloudWatchLogsLogGroupArn: `arn:aws:logs:${region}:${ACCOUNT}:log-group:cloudtrail/${name}:*`,
        CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/CloudTrailToCloudWatch`,
      }),
    );
    await cloudtrail.send(
      new AddTagsCommand({ ResourceId: trailArn, TagsList: [{ Key: 'Owner', Value: 'security' }] }),
    );
    await cloudtrail.send(
      new PutInsightSelectorsCommand({
        TrailName: name,
        InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }],
      }),
    );
  }
  // The CIS Monitoring checks: the multi-Region trail's log group holds a filter and an alarm for each,
  // notifying a topic with a confirmed subscription.
  await seedMonitoringChain(aws, {
    trail: 'OrgAudit',
    logGroup: 'cloudtrail/OrgAudit',
    pointTrail: false,
    filters: printedCisFilters(),
  });
}
