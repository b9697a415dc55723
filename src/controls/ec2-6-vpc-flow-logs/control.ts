import { missingFromFailure, observationEvidence } from '../../evaluate/evidence.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { code, rich } from '../../core/rich.js';
import { awsCli } from '../../fixes/shell.js';
import type { FlowLog, FlowLogRegion } from '../../snapshot/schema.js';
import { makeFinding, unscannedRegionsFinding } from '../shared.js';
import { notCollectedFinding, regionUnknownFinding } from '../regional-evidence.js';
import type { ControlDefinition, Finding, Remediation, ResourceRef } from '../types.js';
import { texts } from './texts.js';
import { FLOW_LOG_FIX_PERMISSIONS, createFlowLogs } from './fix.js';
import { flowLogBucket } from './options.js';
import { optionValue } from '../options.js';
import { listedAs } from '../../frameworks/index.js';

/** REJECT is what Security Hub asks for; ALL includes it. ACCEPT alone misses the traffic turned away. */
const CAPTURES_REJECTS = new Set(['REJECT', 'ALL']);

/** The command that gives `vpcId` a flow log, to a bucket the Region's flow logs already use when there is one. */
function createFlowLog(view: SnapshotView, region: FlowLogRegion, vpcId: string): Remediation {
  const known = region.flowLogs.ok
    ? region.flowLogs.value.FlowLogs.find((f) => f.LogDestinationType === 's3' && f.LogDestination)
        ?.LogDestination
    : undefined;
  const bucketArn = known ?? `arn:${view.partition}:s3:::vpc-flow-logs-${view.accountId}`;
  return {
    summary: known
      ? rich`Turn on a flow log for VPC ${code(vpcId)}, delivered to ${code(bucketArn)} like the Region’s other flow logs.`
      : rich`Turn on a flow log for VPC ${code(vpcId)}; the command delivers to the S3 bucket ${code(bucketArn)}, which must exist first (or name one of yours).`,
    cli: [
      awsCli('ec2', 'create-flow-logs', {
        region: region.region,
        'resource-type': 'VPC',
        'resource-ids': vpcId,
        'traffic-type': 'REJECT',
        'log-destination-type': 's3',
        'log-destination': bucketArn,
      }),
    ],
    console: [
      `Open the VPC console in ${region.region}, choose Your VPCs, then ${vpcId}.`,
      'On the Flow logs tab choose Create flow log, set Filter to Reject (or All) and pick the destination, then Create.',
    ],
  };
}

export const control: ControlDefinition = {
  id: 'EC2.6',
  frameworks: listedAs({ securityhub: 'EC2.6', cis12: '2.9', cis14: '3.9', cis3: '3.7' }),
  title: 'VPC flow logging should be enabled in all VPCs',
  severity: 'medium',
  resourceType: 'AwsEc2Vpc',
  needs: [{ kind: 'ec2.flowLogs' }],
  texts,
  options: [flowLogBucket],
  fixPermissions: FLOW_LOG_FIX_PERMISSIONS,
  evaluate(view) {
    const section = view.snapshot.flowLogs;
    if (!section)
      return [
        notCollectedFinding(control, view, 'ec2:DescribeFlowLogs', 'VPC flow logs'),
        ...unscannedRegionsFinding(control, view, 'the flow logs of any VPC in another Region'),
      ];
    const findings: Finding[] = [];
    for (const region of section.regions) {
      if (!region.vpcs.ok) {
        findings.push(
          regionUnknownFinding(
            control,
            view,
            region.region,
            [missingFromFailure(region.vpcs.failure)],
            rich`The VPCs`,
            `VPCs in ${region.region}`,
          ),
        );
        continue;
      }
      const vpcs = region.vpcs.value.Vpcs;
      if (!region.flowLogs.ok) {
        // Each VPC is known, its flow logs are not: one UNKNOWN per VPC, with the reason.
        const missing = [missingFromFailure(region.flowLogs.failure)];
        for (const vpc of vpcs)
          findings.push(
            regionUnknownFinding(
              control,
              view,
              region.region,
              missing,
              rich`The flow logs of VPC ${code(vpc.VpcId)}`,
              vpc.VpcId,
            ),
          );
        continue;
      }
      const byVpc = new Map<string, FlowLog[]>();
      for (const flowLog of region.flowLogs.value.FlowLogs)
        if (flowLog.ResourceId)
          byVpc.set(flowLog.ResourceId, [...(byVpc.get(flowLog.ResourceId) ?? []), flowLog]);
      const captures = (vpcId: string) =>
        (byVpc.get(vpcId) ?? []).some(
          (f) => f.FlowLogStatus === 'ACTIVE' && CAPTURES_REJECTS.has(f.TrafficType ?? ''),
        );
      // One call gives every VPC of the Region that lacks one its flow log, when the user named the bucket.
      const bucket = optionValue(view, flowLogBucket);
      const lacking = vpcs.map((v) => v.VpcId).filter((id) => !captures(id));
      const proposal =
        bucket !== undefined && lacking.length > 0
          ? createFlowLogs(region.region, lacking, `arn:${view.partition}:s3:::${bucket}`)
          : undefined;
      for (const vpc of vpcs) {
        const resource: ResourceRef = {
          type: 'AwsEc2Vpc',
          id: `arn:${view.partition}:ec2:${region.region}:${view.accountId}:vpc/${vpc.VpcId}`,
          name: vpc.VpcId,
          region: region.region,
        };
        const flowLogs = byVpc.get(vpc.VpcId) ?? [];
        const evidence = [
          observationEvidence(region.vpcs, () => ({ ...vpc })),
          observationEvidence(region.flowLogs, () => ({ ResourceId: vpc.VpcId, FlowLogs: flowLogs })),
        ];
        const good = flowLogs.find(
          (f) => f.FlowLogStatus === 'ACTIVE' && CAPTURES_REJECTS.has(f.TrafficType ?? ''),
        );
        if (good) {
          findings.push(
            makeFinding(control, {
              status: 'PASS',
              resource,
              message: rich`VPC ${code(vpc.VpcId)} in ${region.region} has an active flow log (${code(good.FlowLogId)}, ${good.TrafficType ?? ''} traffic).`,
              evidence,
            }),
          );
          continue;
        }
        const why =
          flowLogs.length === 0
            ? rich`has no flow log`
            : flowLogs.some((f) => f.FlowLogStatus !== 'ACTIVE')
              ? rich`has flow logs, but none that is active and captures rejected traffic`
              : rich`has only flow logs of accepted traffic, so traffic turned away is not recorded`;
        findings.push(
          makeFinding(control, {
            status: 'FAIL',
            resource,
            message: rich`VPC ${code(vpc.VpcId)} in ${region.region} ${why}, so its network traffic leaves no record.`,
            evidence,
            ...(proposal ? { proposal } : { remediation: createFlowLog(view, region, vpc.VpcId) }),
          }),
        );
      }
    }
    return [
      ...findings,
      ...unscannedRegionsFinding(control, view, 'the flow logs of any VPC in another Region'),
    ];
  },
};
