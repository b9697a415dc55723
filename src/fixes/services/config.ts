/**
 * AWS Config's write operations (Config.1's fix): a Region's configuration recorder, its delivery channel,
 * and recording started. AWS Config keeps one recorder and one channel per Region, so each is found by
 * name in the Region the call is sent to.
 */
import { apiCall, text } from '../../core/api-call.js';
import type { Json } from '../../core/api-call.js';
import type {
  ConfigRecorder,
  ConfigRecorderStatus,
  ConfigRegion,
  DeliveryChannel,
  Snapshot,
} from '../../snapshot/schema.js';
import type { Draft } from './draft.js';
import { ok, str } from './draft.js';
import type { OperationSpec, ServiceOperations } from './types.js';
import { NoUndo, none, revert } from './types.js';

const regionOf = (snapshot: Snapshot, region: string) =>
  snapshot.config?.regions.find((r) => r.region === region);

/** Replaces the Region's record with what `change` makes of it; a Region not scanned changes nothing. */
function changeRegion(draft: Draft, region: string, change: (record: ConfigRegion) => ConfigRegion): void {
  const section = draft.snapshot.config;
  const record = section?.regions.find((r) => r.region === region);
  if (!section || !record) return;
  const changed = change(record);
  draft.snapshot.config = { ...section, regions: section.regions.map((r) => (r === record ? changed : r)) };
}

function setRecorders(record: ConfigRegion, recorders: ConfigRecorder[]): ConfigRegion {
  return {
    ...record,
    recorders: ok(
      { ConfigurationRecorders: recorders },
      'config:DescribeConfigurationRecorders',
      record.region,
    ),
  };
}

function setStatuses(record: ConfigRegion, statuses: ConfigRecorderStatus[]): ConfigRegion {
  return {
    ...record,
    statuses: ok(
      { ConfigurationRecordersStatus: statuses },
      'config:DescribeConfigurationRecorderStatus',
      record.region,
    ),
  };
}

function setChannels(record: ConfigRegion, channels: DeliveryChannel[]): ConfigRegion {
  return {
    ...record,
    channels: ok({ DeliveryChannels: channels }, 'config:DescribeDeliveryChannels', record.region),
  };
}

const recordersOf = (record: ConfigRegion | undefined) =>
  record?.recorders.ok ? record.recorders.value.ConfigurationRecorders : undefined;
const statusesOf = (record: ConfigRegion | undefined) =>
  record?.statuses.ok ? record.statuses.value.ConfigurationRecordersStatus : undefined;
const channelsOf = (record: ConfigRegion | undefined) =>
  record?.channels.ok ? record.channels.value.DeliveryChannels : undefined;

const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** Sets the recording state of a recorder, adding its status when there was none. */
function setRecording(draft: Draft, region: string, name: string, recording: boolean): void {
  changeRegion(draft, region, (record) => {
    const statuses = statusesOf(record);
    if (!statuses) return record;
    const status: ConfigRecorderStatus = {
      ...(statuses.find((s) => s.name === name) ?? { name }),
      recording,
      ...(recording ? { lastStatus: 'PENDING' } : {}),
    };
    return setStatuses(record, [...statuses.filter((s) => s.name !== name), status]);
  });
}

const noted: OperationSpec['target'] = (call, { targets }) => {
  targets.configChanges.push({ region: call.region, operation: call.operation });
};

export const CONFIG: ServiceOperations = {
  PutConfigurationRecorder: {
    target: noted,
    simulate: (draft, input, call) => {
      const given = asObject(input.ConfigurationRecorder);
      const group = asObject(given.recordingGroup);
      const recorder: ConfigRecorder = {
        name: str(given.name) ?? 'default',
        ...(str(given.roleARN) ? { roleARN: str(given.roleARN) } : {}),
        recordingGroup: {
          ...(typeof group.allSupported === 'boolean' ? { allSupported: group.allSupported } : {}),
          ...(typeof group.includeGlobalResourceTypes === 'boolean'
            ? { includeGlobalResourceTypes: group.includeGlobalResourceTypes }
            : {}),
        },
      };
      changeRegion(draft, call.region, (record) => {
        const recorders = recordersOf(record);
        if (!recorders) return record;
        const next = setRecorders(record, [...recorders.filter((r) => r.name !== recorder.name), recorder]);
        // A new recorder is listed with its status, not recording until it is started.
        const statuses = statusesOf(next);
        return statuses && !statuses.some((s) => s.name === recorder.name)
          ? setStatuses(next, [...statuses, { name: recorder.name, recording: false }])
          : next;
      });
      return {};
    },
    undo: (call, before) => {
      const name = text(asObject(call.input.ConfigurationRecorder).name as Json | undefined);
      const recorders = recordersOf(regionOf(before, call.region));
      if (!recorders) return new NoUndo(`the configuration recorders of ${call.region} were not read`);
      const old = recorders.find((r) => r.name === name);
      if (!old)
        return {
          kind: 'remove',
          calls: [
            apiCall('config', 'DeleteConfigurationRecorder', call.region, {
              ConfigurationRecorderName: name,
            }),
          ],
          exact: true,
          note: `delete configuration recorder ${name} in ${call.region}, which this run created`,
        };
      return revert(
        [
          apiCall('config', 'PutConfigurationRecorder', call.region, {
            ConfigurationRecorder: JSON.parse(JSON.stringify(old)) as Json,
          }),
        ],
        `put the old settings of configuration recorder ${name} in ${call.region} back`,
      );
    },
    creates: (call) => [
      `recorder:${call.region}:${text(asObject(call.input.ConfigurationRecorder).name as Json | undefined)}`,
    ],
  },
  DeleteConfigurationRecorder: {
    simulate: (draft, input, call) => {
      const name = str(input.ConfigurationRecorderName) ?? '';
      changeRegion(draft, call.region, (record) => {
        const recorders = recordersOf(record);
        const statuses = statusesOf(record);
        const next = recorders
          ? setRecorders(
              record,
              recorders.filter((r) => r.name !== name),
            )
          : record;
        return statuses
          ? setStatuses(
              next,
              statuses.filter((s) => s.name !== name),
            )
          : next;
      });
      return {};
    },
  },
  PutDeliveryChannel: {
    target: noted,
    simulate: (draft, input, call) => {
      const given = asObject(input.DeliveryChannel);
      const channel: DeliveryChannel = {
        name: str(given.name) ?? 'default',
        ...(str(given.s3BucketName) ? { s3BucketName: str(given.s3BucketName) } : {}),
      };
      changeRegion(draft, call.region, (record) => {
        const channels = channelsOf(record);
        return channels
          ? setChannels(record, [...channels.filter((c) => c.name !== channel.name), channel])
          : record;
      });
      return {};
    },
    undo: (call, before) => {
      const name = text(asObject(call.input.DeliveryChannel).name as Json | undefined);
      const channels = channelsOf(regionOf(before, call.region));
      if (!channels) return new NoUndo(`the delivery channels of ${call.region} were not read`);
      const old = channels.find((c) => c.name === name);
      if (!old)
        return {
          kind: 'remove',
          calls: [apiCall('config', 'DeleteDeliveryChannel', call.region, { DeliveryChannelName: name })],
          exact: true,
          note: `delete delivery channel ${name} in ${call.region}, which this run created`,
        };
      return revert(
        [
          apiCall('config', 'PutDeliveryChannel', call.region, {
            DeliveryChannel: JSON.parse(JSON.stringify(old)) as Json,
          }),
        ],
        `put the old settings of delivery channel ${name} in ${call.region} back`,
      );
    },
    creates: (call) => [
      `channel:${call.region}:${text(asObject(call.input.DeliveryChannel).name as Json | undefined)}`,
    ],
  },
  DeleteDeliveryChannel: {
    simulate: (draft, input, call) => {
      const name = str(input.DeliveryChannelName) ?? '';
      changeRegion(draft, call.region, (record) => {
        const channels = channelsOf(record);
        return channels
          ? setChannels(
              record,
              channels.filter((c) => c.name !== name),
            )
          : record;
      });
      return {};
    },
  },
  StartConfigurationRecorder: {
    target: noted,
    simulate: (draft, input, call) => {
      setRecording(draft, call.region, str(input.ConfigurationRecorderName) ?? '', true);
      return {};
    },
    // Stopped again, before the channel and recorder this run made are deleted (undos run in reverse).
    undo: (call, before, created) => {
      const name = text(call.input.ConfigurationRecorderName);
      const stop = revert(
        [apiCall('config', 'StopConfigurationRecorder', call.region, { ConfigurationRecorderName: name })],
        `stop configuration recorder ${name} in ${call.region} again`,
      );
      if (created.has(`recorder:${call.region}:${name}`)) return stop;
      const statuses = statusesOf(regionOf(before, call.region));
      if (!statuses) return new NoUndo(`the recorder status of ${call.region} was not read`);
      return statuses.find((s) => s.name === name)?.recording === true
        ? none('it was recording already')
        : stop;
    },
  },
  StopConfigurationRecorder: {
    simulate: (draft, input, call) => {
      setRecording(draft, call.region, str(input.ConfigurationRecorderName) ?? '', false);
      return {};
    },
  },
};
