/** EC2's write operations: VPC flow logs (EC2.6's fix), created to an S3 bucket and deleted by id. */
import { apiCall, ref, text } from '../../core/api-call.js';
import type { FlowLog } from '../../snapshot/schema.js';
import type { Draft } from './draft.js';
import { ok, str } from './draft.js';
import type { ServiceOperations } from './types.js';
import { NoUndo } from './types.js';

/** The placeholder ids a simulated CreateFlowLogs gives (AWS makes up the real ones when it is applied). */
export function newFlowLogId(output: string, index: number): string {
  return `fl-trailcheck-new-${output}-${index + 1}`;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** The Region's listing gains an ACTIVE flow log per VPC named; a Region not listed changes nothing. */
function addFlowLogs(draft: Draft, region: string, logs: FlowLog[]): void {
  const section = draft.snapshot.flowLogs;
  const record = section?.regions.find((r) => r.region === region);
  if (!section || !record?.flowLogs.ok) return;
  const changed = {
    ...record,
    flowLogs: ok({ FlowLogs: [...record.flowLogs.value.FlowLogs, ...logs] }, 'ec2:DescribeFlowLogs', region),
  };
  draft.snapshot.flowLogs = {
    ...section,
    regions: section.regions.map((r) => (r === record ? changed : r)),
  };
}

function removeFlowLogs(draft: Draft, region: string, ids: ReadonlySet<string>): void {
  const section = draft.snapshot.flowLogs;
  const record = section?.regions.find((r) => r.region === region);
  if (!section || !record?.flowLogs.ok) return;
  const kept = record.flowLogs.value.FlowLogs.filter((f) => !ids.has(f.FlowLogId));
  const changed = { ...record, flowLogs: ok({ FlowLogs: kept }, 'ec2:DescribeFlowLogs', region) };
  draft.snapshot.flowLogs = {
    ...section,
    regions: section.regions.map((r) => (r === record ? changed : r)),
  };
}

export const EC2: ServiceOperations = {
  CreateFlowLogs: {
    simulate: (draft, input, call) => {
      if (input.ResourceType !== 'VPC') throw new Error('trailcheck models flow logs of VPCs only');
      const vpcs = strings(input.ResourceIds);
      const ids = vpcs.map((_, i) => newFlowLogId(call.output ?? 'flowLogs', i));
      addFlowLogs(
        draft,
        call.region,
        vpcs.map((vpc, i) => ({
          FlowLogId: ids[i] ?? '',
          ResourceId: vpc,
          TrafficType: str(input.TrafficType) ?? '',
          FlowLogStatus: 'ACTIVE',
          DeliverLogsStatus: 'SUCCESS',
          LogDestinationType: str(input.LogDestinationType) ?? 'cloud-watch-logs',
          ...(str(input.LogDestination) ? { LogDestination: str(input.LogDestination) } : {}),
        })),
      );
      return { FlowLogIds: ids, Unsuccessful: [] };
    },
    // Only the ids this call returned are deleted: flow logs made before it stay.
    undo: (call) =>
      call.output
        ? {
            kind: 'remove',
            calls: [
              apiCall('ec2', 'DeleteFlowLogs', call.region, { FlowLogIds: ref(`${call.output}.FlowLogIds`) }),
            ],
            exact: true,
            note: `delete the flow logs this run created for ${strings(call.input.ResourceIds).join(', ')} in ${call.region}`,
          }
        : new NoUndo('the ids of the new flow logs would not be known'),
    creates: (call) => (call.output ? [`flowlogs:${call.output}`] : []),
    target: (call, { targets }) => {
      targets.flowLogs.push({
        region: call.region,
        vpcIds: strings(call.input.ResourceIds),
        trafficType: text(call.input.TrafficType),
        destination: text(call.input.LogDestination),
      });
    },
  },
  DeleteFlowLogs: {
    simulate: (draft, input, call) => {
      removeFlowLogs(draft, call.region, new Set(strings(input.FlowLogIds)));
      return { Unsuccessful: [] };
    },
  },
};
