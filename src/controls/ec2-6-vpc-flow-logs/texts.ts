import { countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'VPC flow logs',
  topic: 'flow logs for every VPC',
  checks:
    'In each scanned Region, every VPC (DescribeVpcs) needs a flow log attached to the VPC itself (DescribeFlowLogs, one listing per Region) that captures rejected traffic (TrafficType REJECT or ALL, as Security Hub’s REJECT parameter asks) and is ACTIVE. Flow logs of single subnets or network interfaces do not count. One finding per VPC; a Region whose VPCs or flow logs could not be listed is UNKNOWN.',
  whatItDoes:
    'A flow log records the IP traffic going to and from the network interfaces of a VPC: who talked to whom, on which port, accepted or rejected.',
  whyItMatters:
    'Without it there is no record of network activity: a port scan, data leaving through an odd port or a compromised instance calling home leaves no trace.',
  whyFix: 'Gives every network a record of who connected, and who was turned away',
  action: 'turn on flow logs for every VPC',
  howToFix:
    'For each VPC: aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type REJECT (or ALL) --log-destination-type s3 --log-destination arn:aws:s3:::<bucket> (or to CloudWatch Logs with --log-group-name and --deliver-logs-permission-arn).',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`No VPC was found in the scanned Regions, so there is no flow log to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`VPC ${nameList(names)} has an active flow log.`
          : rich`All ${countWord(names.length)} VPCs have an active flow log.`,
      someFail: (failed) =>
        rich`${failed.length === 1 ? 'VPC' : 'VPCs'} ${nameList(failed)} ${failed.length === 1 ? 'has' : 'have'} no active flow log.`,
      unknown: (names) => rich`Flow logs could not be checked for ${nameList(names)}.`,
    }),
};
