/** CloudTrail's write operations: trails created, changed, started and stopped, and their undos. */
import type { EventSelectors, Snapshot, TrailConfig, TrailRecord } from '../../snapshot/schema.js';
import type { ApiCall, CallInput, Json } from '../../core/api-call.js';
import { text } from '../../core/api-call.js';
import { apiCall } from '../../core/api-call.js';
import { DEFAULT_SELECTORS, bool, findTrail, ok, str, trailOf } from './draft.js';
import type { Created, ServiceOperations, TargetContext } from './types.js';
import { NoUndo, none, revert } from './types.js';

const UPDATE_FIELDS: Array<[keyof TrailConfig, string]> = [
  ['IsMultiRegionTrail', 'IsMultiRegionTrail'],
  ['IncludeGlobalServiceEvents', 'IncludeGlobalServiceEvents'],
  ['LogFileValidationEnabled', 'EnableLogFileValidation'],
  ['KmsKeyId', 'KmsKeyId'],
  ['CloudWatchLogsLogGroupArn', 'CloudWatchLogsLogGroupArn'],
  ['CloudWatchLogsRoleArn', 'CloudWatchLogsRoleArn'],
  ['S3BucketName', 'S3BucketName'],
];

/** The trail a call names, whether this run created it, and how it was before the call. */
function trailContext(call: ApiCall, before: Snapshot, created: Created) {
  const trailName = text(call.input.Name ?? call.input.TrailName);
  return {
    trailName,
    newTrail: created.has(`trail:${call.region}:${trailName}`),
    trail: findTrail(before, trailName, call.region),
  };
}

/** Every CloudTrail call is about one trail: its end state is a trail resource. */
function trailTarget(call: ApiCall, context: TargetContext): void {
  context.trail(text(call.input.Name ?? call.input.TrailName), call.region, call.operation === 'CreateTrail');
}

export const CLOUDTRAIL: ServiceOperations = {
  CreateTrail: {
    simulate: (draft, input, call) => {
      const snapshot = draft.snapshot;
      const name = str(input.Name) ?? '';
      const arn = `arn:${snapshot.account.Partition}:cloudtrail:${call.region}:${snapshot.account.Account}:trail/${name}`;
      const config: TrailConfig = {
        Name: name,
        TrailARN: arn,
        HomeRegion: call.region,
        S3BucketName: str(input.S3BucketName) ?? '',
        IsMultiRegionTrail: bool(input.IsMultiRegionTrail) ?? false,
        IncludeGlobalServiceEvents: bool(input.IncludeGlobalServiceEvents) ?? true,
        LogFileValidationEnabled: bool(input.EnableLogFileValidation) ?? false,
        IsOrganizationTrail: false,
        HasCustomEventSelectors: false,
        HasInsightSelectors: false,
        ...(str(input.KmsKeyId) ? { KmsKeyId: str(input.KmsKeyId) } : {}),
      };
      const tags = Array.isArray(input.TagsList)
        ? (input.TagsList as Array<{ Key: string; Value?: string }>)
        : [];
      const record: TrailRecord = {
        config,
        configSource: { operation: 'cloudtrail:DescribeTrails', region: call.region },
        seenIn: [],
        status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus', call.region),
        eventSelectors: ok(structuredClone(DEFAULT_SELECTORS), 'cloudtrail:GetEventSelectors', call.region),
        insightSelectors: ok({ InsightSelectors: [] }, 'cloudtrail:GetInsightSelectors', call.region),
        tags: ok({ TagsList: tags.map((t) => ({ ...t })) }, 'cloudtrail:ListTags', call.region),
      };
      draft.addTrail(record);
      draft.seeIn(record);
      draft.relist();
      return { TrailARN: arn, Name: name };
    },
    undo: (call) => {
      const trailName = text(call.input.Name ?? call.input.TrailName);
      return {
        kind: 'remove',
        calls: [apiCall('cloudtrail', 'DeleteTrail', call.region, { Name: trailName })],
        exact: true,
        note: `delete trail ${trailName}, which this run created`,
      };
    },
    creates: (call) => [`trail:${call.region}:${text(call.input.Name)}`],
    target: trailTarget,
  },
  DeleteTrail: {
    simulate: (draft, input, call) => {
      draft.removeTrail(trailOf(draft, input, call));
      draft.relist();
      return {};
    },
    target: trailTarget,
  },
  UpdateTrail: {
    simulate: (draft, input, call) => {
      const trail = trailOf(draft, input, call);
      const config = trail.config as Record<string, unknown>;
      for (const [field, member] of UPDATE_FIELDS) {
        if (!(member in input)) continue;
        const value = input[member];
        // An empty string removes the setting (KmsKeyId: "" turns SSE-KMS off).
        if (value === '' || value === undefined) delete config[field];
        else config[field] = value;
      }
      // Only where a trail is seen from can change what each Region lists.
      if ('IsMultiRegionTrail' in input) {
        draft.seeIn(trail);
        draft.relist();
      }
      return { TrailARN: trail.config.TrailARN };
    },
    undo: (call, before, created) => {
      const { input, region } = call;
      const { trailName, newTrail, trail } = trailContext(call, before, created);
      if (newTrail) return none(`trail ${trailName} is new: deleting it undoes this`);
      if (!trail) return new NoUndo(`trail ${trailName} is not in the evidence`);
      const config = trail.config;
      const old: CallInput = { Name: trailName };
      const values: Record<string, Json> = {
        IsMultiRegionTrail: config.IsMultiRegionTrail ?? false,
        IncludeGlobalServiceEvents: config.IncludeGlobalServiceEvents ?? true,
        EnableLogFileValidation: config.LogFileValidationEnabled ?? false,
        // An empty string removes the setting again.
        KmsKeyId: config.KmsKeyId ?? '',
        CloudWatchLogsLogGroupArn: config.CloudWatchLogsLogGroupArn ?? '',
        CloudWatchLogsRoleArn: config.CloudWatchLogsRoleArn ?? '',
        S3BucketName: config.S3BucketName ?? '',
      };
      for (const field of Object.keys(input)) if (field !== 'Name') old[field] = values[field] ?? null;
      return revert(
        [apiCall('cloudtrail', 'UpdateTrail', region, old)],
        `set ${Object.keys(old)
          .filter((f) => f !== 'Name')
          .join(', ')} of trail ${trailName} back`,
      );
    },
    target: trailTarget,
  },
  PutEventSelectors: {
    simulate: (draft, input, call) => {
      const trail = trailOf(draft, input, call, 'TrailName');
      const value: EventSelectors = {};
      if (Array.isArray(input.EventSelectors)) value.EventSelectors = structuredClone(input.EventSelectors);
      if (Array.isArray(input.AdvancedEventSelectors))
        value.AdvancedEventSelectors = structuredClone(input.AdvancedEventSelectors);
      trail.eventSelectors = ok(value, 'cloudtrail:GetEventSelectors', call.region);
      return {};
    },
    undo: (call, before, created) => {
      const { trailName, newTrail, trail } = trailContext(call, before, created);
      if (newTrail) return none(`trail ${trailName} is new: deleting it undoes this`);
      const selectors = trail?.eventSelectors;
      if (!selectors?.ok) return new NoUndo(`the event selectors of trail ${trailName} were not read`);
      const advanced = selectors.value.AdvancedEventSelectors ?? [];
      const old: CallInput =
        advanced.length > 0
          ? { TrailName: trailName, AdvancedEventSelectors: advanced }
          : { TrailName: trailName, EventSelectors: selectors.value.EventSelectors ?? [] };
      return revert(
        [apiCall('cloudtrail', 'PutEventSelectors', call.region, old)],
        `put the old event selectors of trail ${trailName} back`,
      );
    },
    document: (call) => `selectors:${call.region}:${text(call.input.TrailName)}`,
    target: trailTarget,
  },
  StartLogging: {
    simulate: (draft, input, call) => {
      const trail = trailOf(draft, input, call);
      const before = trail.status?.ok ? trail.status.value : {};
      const { StopLoggingTime: _stopped, LatestDeliveryError: _error, ...rest } = before;
      // Delivery resumes within minutes of starting: the state a scan sees once it has.
      trail.status = ok(
        {
          ...rest,
          IsLogging: true,
          StartLoggingTime: draft.snapshot.finishedAt,
          LatestDeliveryTime: draft.snapshot.finishedAt,
        },
        'cloudtrail:GetTrailStatus',
        call.region,
      );
      return {};
    },
    undo: (call, before, created) => {
      const { trailName, newTrail, trail } = trailContext(call, before, created);
      if (newTrail) return none(`trail ${trailName} is new: deleting it undoes this`);
      const status = trail?.status;
      if (!status?.ok || status.value.IsLogging === undefined)
        return new NoUndo(`whether trail ${trailName} is logging was not read`);
      if (status.value.IsLogging) return none(`trail ${trailName} was logging already`);
      return revert(
        [apiCall('cloudtrail', 'StopLogging', call.region, { Name: trailName })],
        `stop trail ${trailName} again`,
      );
    },
    target: trailTarget,
  },
  StopLogging: {
    simulate: (draft, input, call) => {
      const trail = trailOf(draft, input, call);
      const before = trail.status?.ok ? trail.status.value : {};
      trail.status = ok({ ...before, IsLogging: false }, 'cloudtrail:GetTrailStatus', call.region);
      return {};
    },
    target: trailTarget,
  },
};
