/**
 * EC2.6's evidence: per scanned Region, the VPCs (DescribeVpcs) and the flow logs (DescribeFlowLogs), each
 * one paginated listing for the whole Region rather than a call per VPC. Only flow logs attached to a VPC
 * are kept: those of subnets and network interfaces do not answer EC2.6.
 */
import { DescribeFlowLogsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import type { AwsClientFactory } from '../aws/clients.js';
import type { FlowLog, FlowLogRegion } from '../snapshot/schema.js';
import { compact, observe } from './observe.js';
import { allPages } from './pages.js';

export async function readFlowLogs(
  factory: AwsClientFactory,
  regions: readonly string[],
): Promise<{ regions: FlowLogRegion[] }> {
  const records = await Promise.all(
    regions.map(async (region): Promise<FlowLogRegion> => {
      const client = factory.ec2(region);
      const [vpcs, flowLogs] = await Promise.all([
        observe('ec2', 'DescribeVpcs', region, async () => {
          const all = await allPages(async (token) => {
            const out = await client.send(
              new DescribeVpcsCommand({ MaxResults: 1000, ...(token ? { NextToken: token } : {}) }),
            );
            return { items: out.Vpcs ?? [], next: out.NextToken };
          });
          return {
            Vpcs: all
              .flatMap((v) =>
                v.VpcId ? [compact({ VpcId: v.VpcId, IsDefault: v.IsDefault, CidrBlock: v.CidrBlock })] : [],
              )
              .sort((a, b) => a.VpcId.localeCompare(b.VpcId)),
          };
        }),
        observe('ec2', 'DescribeFlowLogs', region, async () => {
          const all = await allPages(async (token) => {
            const out = await client.send(
              new DescribeFlowLogsCommand({ MaxResults: 1000, ...(token ? { NextToken: token } : {}) }),
            );
            return { items: out.FlowLogs ?? [], next: out.NextToken };
          });
          return {
            FlowLogs: all
              .filter((f) => f.FlowLogId && f.ResourceId?.startsWith('vpc-'))
              .map((f): FlowLog =>
                compact({
                  FlowLogId: f.FlowLogId ?? '',
                  ResourceId: f.ResourceId,
                  TrafficType: f.TrafficType,
                  FlowLogStatus: f.FlowLogStatus,
                  DeliverLogsStatus: f.DeliverLogsStatus,
                  LogDestinationType: f.LogDestinationType,
                  LogDestination: f.LogDestination,
                  LogGroupName: f.LogGroupName,
                }),
              )
              .sort((a, b) => a.FlowLogId.localeCompare(b.FlowLogId)),
          };
        }),
      ]);
      return { region, vpcs, flowLogs };
    }),
  );
  return { regions: records.sort((a, b) => a.region.localeCompare(b.region)) };
}
