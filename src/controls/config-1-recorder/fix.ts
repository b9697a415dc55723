import { code, rich } from '../../core/rich.js';
import { apiCall } from '../../fixes/builders.js';
import type { ApiCall } from '../../fixes/calls.js';
import { CONFIG_RECORDING_COST } from '../../fixes/costs.js';
import type { FixPermissions } from '../../fixes/permissions.js';
import type { ConfigRegion } from '../../snapshot/schema.js';
import type { FixProposal } from '../types.js';

export const CONFIG_FIX_PERMISSIONS: FixPermissions = {
  calls: [
    ['config', 'PutConfigurationRecorder'],
    ['config', 'PutDeliveryChannel'],
    ['config', 'StartConfigurationRecorder'],
    // undo
    ['config', 'StopConfigurationRecorder'],
    ['config', 'DeleteConfigurationRecorder'],
    ['config', 'DeleteDeliveryChannel'],
  ],
};

/**
 * Config.1's fix for one Region: only what is missing of a recorder of every resource type (global ones
 * too when `global`), a delivery channel to `bucket`, and recording started. Undefined when nothing is
 * left to call (a recorder that records but last failed needs a person to look).
 */
export function setUpConfig(
  record: ConfigRegion,
  role: string,
  bucket: string,
  global: boolean,
): FixProposal | undefined {
  if (!record.recorders.ok || !record.statuses.ok || !record.channels.ok) return undefined;
  const region = record.region;
  const recorder = record.recorders.value.ConfigurationRecorders[0];
  const name = recorder?.name ?? 'default';
  const status = record.statuses.value.ConfigurationRecordersStatus.find((s) => s.name === name);
  const channel = record.channels.value.DeliveryChannels[0];
  const calls: ApiCall[] = [];
  const group = recorder?.recordingGroup;
  if (!recorder || group?.allSupported !== true || (global && group.includeGlobalResourceTypes !== true))
    calls.push(
      apiCall('config', 'PutConfigurationRecorder', region, {
        ConfigurationRecorder: {
          name,
          roleARN: recorder?.roleARN ?? role,
          recordingGroup: {
            allSupported: true,
            // Kept when on already: global types are recorded in one Region, whichever it is.
            includeGlobalResourceTypes: global || group?.includeGlobalResourceTypes === true,
          },
        },
      }),
    );
  if (!channel)
    calls.push(
      apiCall('config', 'PutDeliveryChannel', region, {
        DeliveryChannel: { name: 'default', s3BucketName: bucket },
      }),
    );
  if (status?.recording !== true)
    calls.push(apiCall('config', 'StartConfigurationRecorder', region, { ConfigurationRecorderName: name }));
  if (calls.length === 0) return undefined;
  return {
    summary: rich`Record every resource type with AWS Config in ${region}${global ? ', global ones included,' : ''} ${channel ? rich`with its delivery channel` : rich`delivering to ${code(bucket)}`}, and start recording.`,
    calls,
    console: [
      `Open the AWS Config console in ${region} and choose Settings (or Get started).`,
      `Under Recording strategy choose All resource types${global ? ', include globally recorded resource types,' : ''} and pick the delivery bucket ${bucket}, then Save.`,
    ],
    notes: [CONFIG_RECORDING_COST],
  };
}
