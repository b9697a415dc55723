/** CloudWatch's write operations: the alarms the monitoring checks' fixes put on a filter's metric. */
import type { ApiCall } from '../../core/api-call.js';
import { apiCall, text } from '../../core/api-call.js';
import type { MetricAlarm, Snapshot } from '../../snapshot/schema.js';
import { bool, ok, str } from './draft.js';
import type { Draft } from './draft.js';
import type { ServiceOperations } from './types.js';
import { NoUndo } from './types.js';

/**
 * Changes the Region's alarm listing. The snapshot lists only the alarms on metrics its filters write;
 * a Region it has no listing for gets one (a scan lists alarms wherever a filter is); a listing that
 * failed stays failed.
 */
function changeAlarms(draft: Draft, call: ApiCall, change: (alarms: MetricAlarm[]) => MetricAlarm[]): void {
  const monitoring = draft.monitoring();
  if (!monitoring) return;
  const index = monitoring.alarms.findIndex((a) => a.region === call.region);
  const listing = monitoring.alarms[index];
  if (listing && !listing.result.ok) return;
  const alarms = change(listing?.result.ok ? listing.result.value.MetricAlarms : []);
  alarms.sort((a, b) => a.AlarmName.localeCompare(b.AlarmName));
  const result = ok({ MetricAlarms: alarms }, 'cloudwatch:DescribeAlarms', call.region);
  if (index >= 0) monitoring.alarms[index] = { region: call.region, result };
  else {
    monitoring.alarms.push({ region: call.region, result });
    monitoring.alarms.sort((a, b) => a.region.localeCompare(b.region));
  }
}

/** An alarm of the snapshot by Region and name (only alarms on a filter's metric are listed). */
function findAlarm(snapshot: Snapshot, region: string, name: string): MetricAlarm | undefined {
  const listing = snapshot.monitoring?.alarms.find((a) => a.region === region);
  return listing?.result.ok ? listing.result.value.MetricAlarms.find((a) => a.AlarmName === name) : undefined;
}

export const CLOUDWATCH: ServiceOperations = {
  PutMetricAlarm: {
    simulate: (draft, input, call) => {
      const { Partition, Account } = draft.snapshot.account;
      const name = str(input.AlarmName) ?? '';
      const dimensions = Array.isArray(input.Dimensions)
        ? (input.Dimensions as Array<{ Name: string; Value: string }>)
        : [];
      const alarm: MetricAlarm = {
        AlarmName: name,
        AlarmArn: `arn:${Partition}:cloudwatch:${call.region}:${Account}:alarm:${name}`,
        MetricName: str(input.MetricName) ?? '',
        Namespace: str(input.Namespace) ?? '',
        ...(dimensions.length > 0 ? { Dimensions: dimensions.map((d) => ({ ...d })) } : {}),
        ActionsEnabled: bool(input.ActionsEnabled) ?? true,
        AlarmActions: Array.isArray(input.AlarmActions) ? (input.AlarmActions as string[]).slice() : [],
      };
      changeAlarms(draft, call, (alarms) => [...alarms.filter((a) => a.AlarmName !== name), alarm]);
      return {};
    },
    undo: (call, before, created) => {
      const name = text(call.input.AlarmName);
      if (!created.has(`alarm:${call.region}:${name}`) && findAlarm(before, call.region, name))
        return new NoUndo(
          `alarm ${name} exists already, and trailcheck does not read all its settings to put them back`,
        );
      const listing = before.monitoring?.alarms.find((a) => a.region === call.region);
      if (listing && !listing.result.ok)
        return new NoUndo(`the alarms of Region ${call.region} were not read`);
      return {
        kind: 'remove',
        calls: [apiCall('cloudwatch', 'DeleteAlarms', call.region, { AlarmNames: [name] })],
        exact: true,
        note: `delete alarm ${name}, which this run created`,
      };
    },
    document: (call) => `alarm:${call.region}:${text(call.input.AlarmName)}`,
    names: (call) => [{ kind: 'alarm', name: text(call.input.AlarmName), region: call.region }],
    target: (call, { targets }) => {
      const input = call.input;
      targets.alarms.push({
        region: call.region,
        name: text(input.AlarmName),
        description: text(input.AlarmDescription),
        metricName: text(input.MetricName),
        namespace: text(input.Namespace),
        statistic: text(input.Statistic),
        period: Number(input.Period ?? 300),
        evaluationPeriods: Number(input.EvaluationPeriods ?? 1),
        threshold: Number(input.Threshold ?? 1),
        comparisonOperator: text(input.ComparisonOperator),
        treatMissingData: text(input.TreatMissingData),
        alarmActions: Array.isArray(input.AlarmActions) ? (input.AlarmActions as string[]) : [],
      });
    },
  },
  DeleteAlarms: {
    simulate: (draft, input, call) => {
      const names = new Set(Array.isArray(input.AlarmNames) ? (input.AlarmNames as string[]) : []);
      changeAlarms(draft, call, (alarms) => alarms.filter((a) => !names.has(a.AlarmName)));
      return {};
    },
  },
};
