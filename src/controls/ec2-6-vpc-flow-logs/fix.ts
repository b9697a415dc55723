import { code, nameList, rich } from '../../core/rich.js';
import { apiCall } from '../../fixes/builders.js';
import { FLOW_LOGS_COST } from '../../fixes/costs.js';
import type { FixPermissions } from '../../fixes/permissions.js';
import type { FixProposal } from '../types.js';

/** What Security Hub's EC2.6 asks a flow log to capture (ALL would include it, at a higher volume). */
export const FIX_TRAFFIC_TYPE = 'REJECT';

export const FLOW_LOG_FIX_PERMISSIONS: FixPermissions = {
  calls: [
    ['ec2', 'CreateFlowLogs'],
    // undo
    ['ec2', 'DeleteFlowLogs'],
  ],
  // AWS checks these behind CreateFlowLogs and DeleteFlowLogs when the flow log delivers to S3.
  alsoActions: ['logs:CreateLogDelivery', 'logs:DeleteLogDelivery'],
};

/** `flowLogs-us-east-1` → an output name unique per Region, so each Region's call keeps its own ids. */
const outputOf = (region: string) =>
  `flowLogs${region.replace(/(^|-)([a-z0-9])/g, (_, _dash, c: string) => c.toUpperCase())}`;

/**
 * EC2.6's fix for a Region: one CreateFlowLogs for every VPC there without a flow log that counts, to the
 * bucket the user named; the undo deletes exactly the flow logs it returns.
 */
export function createFlowLogs(region: string, vpcIds: readonly string[], bucketArn: string): FixProposal {
  return {
    summary: rich`Turn on a flow log of rejected traffic for ${vpcIds.length === 1 ? 'VPC' : 'VPCs'} ${nameList([...vpcIds])} in ${region}, delivered to ${code(bucketArn)}.`,
    calls: [
      apiCall(
        'ec2',
        'CreateFlowLogs',
        region,
        {
          ResourceType: 'VPC',
          ResourceIds: [...vpcIds],
          TrafficType: FIX_TRAFFIC_TYPE,
          LogDestinationType: 's3',
          LogDestination: bucketArn,
        },
        outputOf(region),
      ),
    ],
    console: [
      `Open the VPC console in ${region}, choose Your VPCs, then each of ${vpcIds.join(', ')}.`,
      'On the Flow logs tab choose Create flow log, set Filter to Reject, destination Send to an Amazon S3 bucket with the bucket ARN, then Create.',
    ],
    notes: [FLOW_LOGS_COST],
  };
}
