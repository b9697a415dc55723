/** Config.1's evidence: per scanned Region, AWS Config's recorders, their status and delivery channels. */
import {
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
} from '@aws-sdk/client-config-service';
import type { AwsClientFactory } from '../aws/clients.js';
import type { ConfigRecorder, ConfigRegion } from '../snapshot/schema.js';
import { compact, observe } from './observe.js';

/** One call of each kind per Region: each answers for every recorder or channel there (AWS allows few). */
export async function readConfigService(
  factory: AwsClientFactory,
  regions: readonly string[],
): Promise<{ regions: ConfigRegion[] }> {
  const records = await Promise.all(
    regions.map(async (region): Promise<ConfigRegion> => {
      const client = factory.configService(region);
      const [recorders, statuses, channels] = await Promise.all([
        observe('config', 'DescribeConfigurationRecorders', region, async () => {
          const out = await client.send(new DescribeConfigurationRecordersCommand({}));
          return {
            ConfigurationRecorders: (out.ConfigurationRecorders ?? []).map((r): ConfigRecorder => {
              const group = r.recordingGroup;
              return compact({
                name: r.name ?? '',
                roleARN: r.roleARN,
                recordingGroup: group
                  ? compact({
                      allSupported: group.allSupported,
                      includeGlobalResourceTypes: group.includeGlobalResourceTypes,
                      resourceTypes: group.resourceTypes,
                      exclusionByResourceTypes: group.exclusionByResourceTypes
                        ? compact({ resourceTypes: group.exclusionByResourceTypes.resourceTypes })
                        : undefined,
                      recordingStrategy: group.recordingStrategy
                        ? compact({ useOnly: group.recordingStrategy.useOnly })
                        : undefined,
                    })
                  : undefined,
              });
            }),
          };
        }),
        observe('config', 'DescribeConfigurationRecorderStatus', region, async () => {
          const out = await client.send(new DescribeConfigurationRecorderStatusCommand({}));
          return {
            ConfigurationRecordersStatus: (out.ConfigurationRecordersStatus ?? []).map((s) =>
              compact({
                name: s.name ?? '',
                recording: s.recording,
                lastStatus: s.lastStatus,
                lastErrorCode: s.lastErrorCode,
                lastErrorMessage: s.lastErrorMessage,
              }),
            ),
          };
        }),
        observe('config', 'DescribeDeliveryChannels', region, async () => {
          const out = await client.send(new DescribeDeliveryChannelsCommand({}));
          return {
            DeliveryChannels: (out.DeliveryChannels ?? []).map((c) =>
              compact({
                name: c.name ?? '',
                s3BucketName: c.s3BucketName,
                s3KeyPrefix: c.s3KeyPrefix,
                snsTopicARN: c.snsTopicARN,
              }),
            ),
          };
        }),
      ]);
      return { region, recorders, statuses, channels };
    }),
  );
  return { regions: records.sort((a, b) => a.region.localeCompare(b.region)) };
}
