import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { FlowLog, FlowLogRegion, Observation } from '../../snapshot/schema.js';
import { denied, failed, ok, snapshot } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';
import { buildPlan } from '../../remediate/plan.js';
import { simulateCall } from '../../remediate/simulate.js';
import { undoFor } from '../../remediate/undo.js';
import { renderPlanTerraform } from '../../remediate/terraform.js';
import { renderPlanCloudFormation } from '../../remediate/cloudformation.js';
import { apiCall } from '../../fixes/calls.js';
import { flowLogBucket } from './options.js';

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

  describe('the fix (--flow-log-bucket)', () => {
    const twoRegions = () =>
      snapshot({
        regions: ['us-east-1', 'eu-west-1'],
        flowLogs: {
          regions: [
            region('us-east-1', [flowLog()], ['vpc-1', 'vpc-2', 'vpc-3']),
            region('eu-west-1', [], ['vpc-9']),
          ],
        },
      });

    it('without the option: no fix trailcheck applies, the command is the user’s step', () => {
      const plan = buildPlan(twoRegions(), [control]);
      assert.deepEqual(plan.steps, []);
      const manual = plan.actions.filter((a) => a.kind === 'manual');
      assert.equal(manual.length, 3);
      assert.ok(manual.every((a) => a.cli?.[0]?.startsWith('aws ec2 create-flow-logs')));
    });

    it('one CreateFlowLogs per Region for every VPC lacking one; the simulation closes them all', () => {
      const plan = buildPlan(twoRegions(), [control], { flowLogBucket: 'net-logs' });
      assert.deepEqual(
        plan.steps
          .map((s) => `${s.call.operation} ${s.call.region} ${JSON.stringify(s.call.input.ResourceIds)}`)
          .sort(),
        ['CreateFlowLogs eu-west-1 ["vpc-9"]', 'CreateFlowLogs us-east-1 ["vpc-2","vpc-3"]'],
        plan.warnings.join('; '),
      );
      // iam-policy --for fix grants every call the plan makes and every undo.
      const declared = new Set(control.fixPermissions?.calls.map(([service, op]) => `${service}:${op}`));
      for (const step of plan.steps)
        for (const call of [step.call, ...step.undo.calls])
          assert.ok(declared.has(`${call.service}:${call.operation}`), `${call.operation} is not declared`);
      assert.equal(plan.steps.length, 2);
      for (const step of plan.steps) {
        assert.equal(step.call.input.TrafficType, 'REJECT');
        assert.equal(step.call.input.LogDestination, 'arn:aws:s3:::net-logs');
        assert.deepEqual(
          step.undo.calls.map((c) => `${c.operation} ${JSON.stringify(c.input)}`),
          [`DeleteFlowLogs {"FlowLogIds":{"$ref":"${step.call.output ?? ''}.FlowLogIds"}}`],
        );
      }
      assert.deepEqual(
        plan.expected.map((e) => `${e.control} ${e.before}→${e.after}`),
        ['EC2.6 FAIL→PASS'],
      );
      assert.deepEqual(
        plan.actions.filter((a) => a.kind === 'manual'),
        [],
      );
    });

    it('simulates ACTIVE flow logs for the VPCs named, and DeleteFlowLogs takes only those away', () => {
      const before = twoRegions();
      const call = apiCall(
        'ec2',
        'CreateFlowLogs',
        'us-east-1',
        {
          ResourceType: 'VPC',
          ResourceIds: ['vpc-2', 'vpc-3'],
          TrafficType: 'REJECT',
          LogDestinationType: 's3',
          LogDestination: 'arn:aws:s3:::b',
        },
        'newLogs',
      );
      const made = simulateCall(before, call, new Map());
      const ids = (made.output as { FlowLogIds: string[] }).FlowLogIds;
      assert.equal(ids.length, 2);
      const listed = made.snapshot.flowLogs?.regions[0]?.flowLogs;
      assert.ok(listed?.ok);
      assert.deepEqual(
        listed.value.FlowLogs.map((f) => `${f.ResourceId} ${f.FlowLogStatus} ${f.TrafficType}`),
        ['vpc-1 ACTIVE REJECT', 'vpc-2 ACTIVE REJECT', 'vpc-3 ACTIVE REJECT'],
      );
      assert.ok(before.flowLogs?.regions[0]?.flowLogs.ok);
      assert.equal(
        before.flowLogs.regions[0].flowLogs.value.FlowLogs.length,
        1,
        'the snapshot given is unchanged',
      );
      const undo = undoFor(call, before, new Set());
      assert.ok('kind' in undo && undo.kind === 'remove');
      const undone = simulateCall(made.snapshot, undo.calls[0] as never, new Map([['newLogs', made.output]]));
      const left = undone.snapshot.flowLogs?.regions[0]?.flowLogs;
      assert.ok(left?.ok);
      assert.deepEqual(
        left.value.FlowLogs.map((f) => f.FlowLogId),
        ['fl-1'],
      );
      // Without an output name the new ids could not be known: no safe undo, so no plan.
      const { output: _unnamed, ...anonymous } = call;
      assert.ok(!('kind' in undoFor(anonymous, before, new Set())));
    });

    it('is a new aws_flow_log and AWS::EC2::FlowLog per VPC in the declarative forms', () => {
      const snap = twoRegions();
      const plan = buildPlan(snap, [control], { flowLogBucket: 'net-logs' });
      const tf = renderPlanTerraform(plan, snap);
      assert.equal(tf.match(/resource "aws_flow_log"/g)?.length, 3, tf);
      assert.match(tf, /vpc_id\s+= "vpc-9"/);
      assert.match(tf, /provider\s+= aws\.r_eu_west_1/);
      const cfn = renderPlanCloudFormation(plan, snap);
      assert.equal(cfn.match(/Type: AWS::EC2::FlowLog/g)?.length, 3, cfn);
      assert.match(cfn, /LogDestination: arn:aws:s3:::net-logs/);
    });

    it('takes a bucket name, and refuses anything else with one clear line', () => {
      assert.equal(flowLogBucket.parse(' net-logs '), 'net-logs');
      for (const bad of ['arn:aws:s3:::net-logs', 'Net_Logs', 'ab', 'a..b'])
        assert.throws(() => flowLogBucket.parse(bad), /--flow-log-bucket takes the name of an S3 bucket/);
    });
  });
});
