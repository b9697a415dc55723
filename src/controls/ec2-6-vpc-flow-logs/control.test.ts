import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { FlowLog, FlowLogRegion, Observation } from '../../snapshot/schema.js';
import { denied, failed, ok, snapshot } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';

const flowLog = (fields: Partial<FlowLog> = {}): FlowLog => ({
  FlowLogId: 'fl-1',
  ResourceId: 'vpc-1',
  TrafficType: 'REJECT',
  FlowLogStatus: 'ACTIVE',
  LogDestinationType: 's3',
  LogDestination: 'arn:aws:s3:::net-logs',
  ...fields,
});

function region(
  name: string,
  flowLogs: FlowLog[] | Observation<{ FlowLogs: FlowLog[] }>,
  vpcs: string[] | Observation<{ Vpcs: Array<{ VpcId: string }> }> = ['vpc-1'],
): FlowLogRegion {
  return {
    region: name,
    vpcs: Array.isArray(vpcs)
      ? ok({ Vpcs: vpcs.map((VpcId) => ({ VpcId })) }, 'ec2:DescribeVpcs', name)
      : vpcs,
    flowLogs: Array.isArray(flowLogs) ? ok({ FlowLogs: flowLogs }, 'ec2:DescribeFlowLogs', name) : flowLogs,
  };
}

function judge(regions: FlowLogRegion[]) {
  return control.evaluate(
    new SnapshotView(snapshot({ regions: regions.map((r) => r.region), flowLogs: { regions } })),
  );
}

describe('EC2.6', () => {
  const cases: Array<{ name: string; flowLogs: FlowLog[]; status: string; text: RegExp }> = [
    {
      name: 'an active flow log of rejected traffic',
      flowLogs: [flowLog()],
      status: 'PASS',
      text: /active flow log \(fl-1, REJECT/,
    },
    {
      name: 'an active flow log of all traffic',
      flowLogs: [flowLog({ TrafficType: 'ALL' })],
      status: 'PASS',
      text: /ALL traffic/,
    },
    { name: 'no flow log', flowLogs: [], status: 'FAIL', text: /vpc-1 in us-east-1 has no flow log/ },
    {
      name: 'a flow log of another VPC only',
      flowLogs: [flowLog({ ResourceId: 'vpc-2' })],
      status: 'FAIL',
      text: /has no flow log/,
    },
    {
      name: 'accepted traffic only',
      flowLogs: [flowLog({ TrafficType: 'ACCEPT' })],
      status: 'FAIL',
      text: /only flow logs of accepted traffic/,
    },
    {
      name: 'a flow log that is not active',
      flowLogs: [flowLog({ FlowLogStatus: 'FAILED' })],
      status: 'FAIL',
      text: /none that is active/,
    },
  ];
  for (const c of cases)
    it(`${c.status} for a VPC with ${c.name}`, () => {
      const [f, ...rest] = judge([region('us-east-1', c.flowLogs)]);
      assert.equal(rest.length, 0);
      assert.equal(f?.status, c.status);
      assert.equal(f?.resource.type, 'AwsEc2Vpc');
      assert.match(plain(f?.message ?? []), c.text);
    });

  it('gives the exact create-flow-logs command, to the bucket the Region already uses', () => {
    const [, f] = judge([region('us-east-1', [flowLog()], ['vpc-1', 'vpc-2'])]);
    assert.equal(f?.resource.name, 'vpc-2');
    assert.deepEqual(f?.remediation?.cli, [
      'aws ec2 create-flow-logs --region us-east-1 --resource-type VPC --resource-ids vpc-2 --traffic-type REJECT --log-destination-type s3 --log-destination arn:aws:s3:::net-logs',
    ]);
    assert.equal(f?.proposal, undefined, 'no fix trailcheck applies this time');
  });

  it('is UNKNOWN per VPC, naming the permission, when the flow logs may not be listed', () => {
    const findings = judge([region('us-east-1', denied('ec2:DescribeFlowLogs'), ['vpc-1', 'vpc-2'])]);
    assert.deepEqual(
      findings.map((f) => `${f.resource.name} ${f.status}`),
      ['vpc-1 UNKNOWN', 'vpc-2 UNKNOWN'],
    );
    assert.deepEqual(findings[0]?.remediation?.permissions, ['ec2:DescribeFlowLogs']);
  });

  it('is UNKNOWN for a Region whose VPCs could not be listed, never PASS', () => {
    const [f, ...rest] = judge([region('eu-west-1', [], denied('ec2:DescribeVpcs', 'eu-west-1'))]);
    assert.equal(rest.length, 0);
    assert.equal(f?.status, 'UNKNOWN');
    assert.deepEqual(f?.remediation?.permissions, ['ec2:DescribeVpcs']);
  });

  it('is UNKNOWN for a Region that is not enabled', () => {
    const off = failed<{ Vpcs: Array<{ VpcId: string }> }>(
      'ec2:DescribeVpcs',
      'region-disabled',
      'AuthFailure',
      'eu-west-1',
    );
    const [f] = judge([region('eu-west-1', [], off)]);
    assert.equal(f?.status, 'UNKNOWN');
    assert.match(plain(f?.remediation?.summary ?? []), /not enabled/);
  });

  it('is UNKNOWN (not collected) for a snapshot taken for other controls', () => {
    const [f, ...rest] = control.evaluate(new SnapshotView(snapshot({})));
    assert.equal(rest.length, 0);
    assert.equal(f?.status, 'UNKNOWN');
  });
});
