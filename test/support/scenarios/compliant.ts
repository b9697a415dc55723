/**
 * An account where every control passes, with evidence from both test Regions: a multi-Region trail homed
 * in us-east-1 and a single-Region trail homed in eu-west-1. Each is encrypted with a key CloudTrail may
 * use, validates its log files, logs all management events and every S3 object read and write, sends its
 * events to CloudWatch Logs (the multi-Region one with a CIS metric filter, alarm and subscribed topic for
 * each Monitoring check), has Insights on and a tag, and delivers to a versioned bucket of its own
 * Region whose policy is scoped to the trail and whose access logs go to a separate bucket. CloudTrail
 * Lake, which moto lacks, is answered by the fault proxy (`COMPLIANT_LAKE`). Each Region also records
 * every resource type with AWS Config (global ones in us-east-1), has a flow log on each of its VPCs, and
 * its trail key rotates.
 *
 * The fault and permission matrices start from it, so that a wrong PASS under a fault would show. When a
 * control is added, extend this scenario until the control passes here: the matrices check every control.
 */
import { AddTagsCommand, PutInsightSelectorsCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import {
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { CreateFlowLogsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { EnableKeyRotationCommand } from '@aws-sdk/client-kms';
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

/** Config.1: a recorder of every resource type (global ones where `global`), delivering, and recording. */
async function recordWithConfig(aws: SeedClients, region: string, bucket: string, global: boolean) {
  const config = aws.config(region);
  await config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: 'default',
        roleARN: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: global },
      },
    }),
  );
  await config.send(
    new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: bucket } }),
  );
  await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
}

/** EC2.6: a flow log of all traffic on every VPC of the Region (moto makes a default one in each). */
async function logEveryVpc(aws: SeedClients, region: string, bucket: string) {
  const ec2 = aws.ec2(region);
  const vpcs = ((await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).flatMap((v) =>
    v.VpcId ? [v.VpcId] : [],
  );
  if (vpcs.length === 0) return;
  await ec2.send(
    new CreateFlowLogsCommand({
      ResourceType: 'VPC',
      ResourceIds: vpcs,
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: `arn:aws:s3:::${bucket}`,
    }),
  );
}

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
    await aws.kms(region).send(new EnableKeyRotationCommand({ KeyId: key }));
    await recordWithConfig(aws, region, bucket, region === 'us-east-1');
    await logEveryVpc(aws, region, bucket);
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
