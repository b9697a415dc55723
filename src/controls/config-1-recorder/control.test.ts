import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type {
  ConfigRecorder,
  ConfigRecorderStatus,
  ConfigRegion,
  DeliveryChannel,
  Observation,
} from '../../snapshot/schema.js';
import { denied, failed, ok, snapshot } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';
import { configBucket } from './options.js';
import { buildPlan } from '../../remediate/plan.js';
import { simulateCall } from '../../remediate/simulate.js';
import { undoFor } from '../../remediate/undo.js';
import { renderPlanTerraform } from '../../remediate/terraform.js';
import { renderPlanCloudFormation } from '../../remediate/cloudformation.js';

const RECORDER: ConfigRecorder = {
  name: 'default',
  roleARN: 'arn:aws:iam::123456789012:role/config-role',
  recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
};
const RECORDING: ConfigRecorderStatus = { name: 'default', recording: true, lastStatus: 'SUCCESS' };
const CHANNEL: DeliveryChannel = { name: 'default', s3BucketName: 'config-logs' };

function region(
  name: string,
  parts: {
    recorders?: ConfigRecorder[] | Observation<{ ConfigurationRecorders: ConfigRecorder[] }>;
    statuses?: ConfigRecorderStatus[];
    channels?: DeliveryChannel[];
  } = {},
): ConfigRegion {
  const recorders = parts.recorders ?? [RECORDER];
  return {
    region: name,
    recorders: Array.isArray(recorders)
      ? ok({ ConfigurationRecorders: recorders }, 'config:DescribeConfigurationRecorders', name)
      : recorders,
    statuses: ok(
      { ConfigurationRecordersStatus: parts.statuses ?? [RECORDING] },
      'config:DescribeConfigurationRecorderStatus',
      name,
    ),
    channels: ok({ DeliveryChannels: parts.channels ?? [CHANNEL] }, 'config:DescribeDeliveryChannels', name),
  };
}

function judge(regions: ConfigRegion[]) {
  const findings = control.evaluate(
    new SnapshotView(snapshot({ regions: regions.map((r) => r.region), config: { regions } })),
  );
  const byName = new Map(findings.map((f) => [f.resource.name, f]));
  return { findings, byName, text: (name: string) => plain(byName.get(name)?.message ?? []) };
}

const globalOff = { ...RECORDER, recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } };

describe('Config.1', () => {
  it('passes each Region recording every type with a channel, and the account once global types are recorded somewhere', () => {
    const { findings, byName } = judge([
      region('us-east-1'),
      region('eu-west-1', { recorders: [globalOff] }),
    ]);
    assert.deepEqual(
      findings.map((f) => `${f.resource.name} ${f.status}`),
      ['us-east-1 PASS', 'eu-west-1 PASS', 'global resource types PASS'],
    );
    assert.match(plain(byName.get('global resource types')?.message ?? []), /recorded in us-east-1/);
  });

  const failing: Array<{ name: string; region: ConfigRegion; text: RegExp; cli: RegExp }> = [
    {
      name: 'no recorder',
      region: region('eu-west-1', { recorders: [], statuses: [], channels: [] }),
      text: /no configuration recorder/,
      cli: /put-configuration-recorder --region eu-west-1 --configuration-recorder name=default,roleARN=arn:aws:iam::123456789012:role\/aws-service-role\/config.amazonaws.com\/AWSServiceRoleForConfig --recording-group allSupported=true,includeGlobalResourceTypes=false[\s\S]*put-delivery-channel --region eu-west-1 --delivery-channel name=default,s3BucketName=config-logs[\s\S]*start-configuration-recorder --region eu-west-1 --configuration-recorder-name default/,
    },
    {
      name: 'a recorder that is stopped',
      region: region('eu-west-1', { statuses: [{ name: 'default', recording: false }] }),
      text: /recorder default is not recording/,
      cli: /start-configuration-recorder --region eu-west-1 --configuration-recorder-name default/,
    },
    {
      name: 'a recorder of some types only',
      region: region('eu-west-1', {
        recorders: [
          { name: 'default', recordingGroup: { allSupported: false, resourceTypes: ['AWS::S3::Bucket'] } },
        ],
      }),
      text: /records only some resource types/,
      cli: /allSupported=true/,
    },
    {
      name: 'no delivery channel',
      region: region('eu-west-1', { channels: [] }),
      text: /no delivery channel/,
      cli: /put-delivery-channel --region eu-west-1 --delivery-channel name=default,s3BucketName=config-logs/,
    },
  ];
  for (const c of failing)
    it(`fails a Region with ${c.name}, giving the exact commands with the real names`, () => {
      const { byName, text } = judge([region('us-east-1'), c.region]);
      const f = byName.get('eu-west-1');
      assert.equal(f?.status, 'FAIL');
      assert.match(text('eu-west-1'), c.text);
      assert.match(f?.remediation?.cli.join('\n') ?? '', c.cli);
      assert.equal(f?.proposal, undefined, 'no fix trailcheck applies this time');
      assert.equal(byName.get('global resource types')?.status, 'PASS');
    });

  it('fails the account when no Region records global resource types, naming that', () => {
    const { byName, text } = judge([
      region('us-east-1', { recorders: [globalOff] }),
      region('eu-west-1', { recorders: [globalOff] }),
    ]);
    assert.equal(byName.get('us-east-1')?.status, 'PASS');
    const f = byName.get('global resource types');
    assert.equal(f?.status, 'FAIL');
    assert.match(text('global resource types'), /No Region records global resource types/);
    assert.match(f?.remediation?.cli[0] ?? '', /--region us-east-1 .*includeGlobalResourceTypes=true/);
  });

  it('is UNKNOWN, naming the permission, when AWS Config may not be read; and the account then cannot be told', () => {
    const { byName } = judge([
      region('us-east-1', { recorders: [globalOff] }),
      region('eu-west-1', { recorders: denied('config:DescribeConfigurationRecorders', 'eu-west-1') }),
    ]);
    const f = byName.get('eu-west-1');
    assert.equal(f?.status, 'UNKNOWN');
    assert.deepEqual(f?.remediation?.permissions, ['config:DescribeConfigurationRecorders']);
    assert.equal(byName.get('global resource types')?.status, 'UNKNOWN');
  });

  it('is UNKNOWN for a Region that is not enabled, never PASS', () => {
    const off = failed<{ ConfigurationRecorders: ConfigRecorder[] }>(
      'config:DescribeConfigurationRecorders',
      'region-disabled',
      'UnrecognizedClientException',
      'eu-west-1',
    );
    const { byName } = judge([region('us-east-1'), region('eu-west-1', { recorders: off })]);
    assert.equal(byName.get('eu-west-1')?.status, 'UNKNOWN');
    assert.match(plain(byName.get('eu-west-1')?.remediation?.summary ?? []), /not enabled/);
  });

  it('is UNKNOWN (not collected) for a snapshot taken for other controls', () => {
    const [f, ...rest] = control.evaluate(new SnapshotView(snapshot({})));
    assert.equal(rest.length, 0);
    assert.equal(f?.status, 'UNKNOWN');
  });

  describe('the fix (--config-bucket)', () => {
    const account = (...regions: ConfigRegion[]) =>
      snapshot({ regions: regions.map((r) => r.region), config: { regions } });
    const steps = (plan: ReturnType<typeof buildPlan>) =>
      plan.steps.map(
        (s) =>
          `${s.call.region} ${s.call.operation} → ${s.undo.calls.map((c) => c.operation).join(',') || s.undo.kind}`,
      );

    it('without the option: nothing applied, the commands are the user’s step', () => {
      const plan = buildPlan(account(region('us-east-1', { recorders: [], statuses: [], channels: [] })), [
        control,
      ]);
      assert.deepEqual(plan.steps, []);
      assert.ok(
        plan.actions.every(
          (a) => a.kind === 'manual' && a.cli?.some((c) => c.includes('put-configuration-recorder')),
        ),
      );
    });

    it('sets up a Region with nothing: recorder (global types in the control Region only), channel, start; undo removes them', () => {
      const empty = { recorders: [], statuses: [], channels: [] };
      const snap = account(region('us-east-1', empty), region('eu-west-1', empty));
      const plan = buildPlan(snap, [control], { configBucket: 'cfg-history' });
      assert.deepEqual(
        steps(plan).sort(),
        [
          'eu-west-1 PutConfigurationRecorder → DeleteConfigurationRecorder',
          'eu-west-1 PutDeliveryChannel → DeleteDeliveryChannel',
          'eu-west-1 StartConfigurationRecorder → StopConfigurationRecorder',
          'us-east-1 PutConfigurationRecorder → DeleteConfigurationRecorder',
          'us-east-1 PutDeliveryChannel → DeleteDeliveryChannel',
          'us-east-1 StartConfigurationRecorder → StopConfigurationRecorder',
        ],
        plan.warnings.join('; '),
      );
      // iam-policy --for fix grants every call the plan makes and every undo.
      const declared = new Set(control.fixPermissions?.calls.map(([service, op]) => `${service}:${op}`));
      for (const step of plan.steps)
        for (const call of [step.call, ...step.undo.calls])
          assert.ok(declared.has(`${call.service}:${call.operation}`), `${call.operation} is not declared`);
      const globals = plan.steps
        .filter((s) => s.call.operation === 'PutConfigurationRecorder')
        .map((s) => `${s.call.region} ${JSON.stringify(s.call.input.ConfigurationRecorder)}`)
        .sort();
      assert.match(globals[0] ?? '', /^eu-west-1 .*"includeGlobalResourceTypes":false/);
      assert.match(globals[1] ?? '', /^us-east-1 .*"includeGlobalResourceTypes":true/);
      assert.match(globals[1] ?? '', /AWSServiceRoleForConfig/);
      assert.deepEqual(
        plan.expected.map((e) => `${e.control} ${e.before}→${e.after}`),
        ['Config.1 FAIL→PASS'],
      );
      assert.match(
        renderPlanTerraform(plan, snap),
        /# AWS Config in eu-west-1: the plan sets up its recorder/,
      );
      assert.match(
        renderPlanCloudFormation(plan, snap),
        /# AWS Config in us-east-1: the plan sets up its recorder/,
      );
    });

    it('a recorder that exists but is not recording: only StartConfigurationRecorder, undone by Stop', () => {
      const snap = account(region('us-east-1', { statuses: [{ name: 'default', recording: false }] }));
      const plan = buildPlan(snap, [control], { configBucket: 'cfg-history' });
      assert.deepEqual(steps(plan), ['us-east-1 StartConfigurationRecorder → StopConfigurationRecorder']);
    });

    it('a recorder of some types only: put back word for word on undo, never deleted', () => {
      const some = {
        ...RECORDER,
        recordingGroup: { allSupported: false, resourceTypes: ['AWS::S3::Bucket'] },
      };
      const snap = account(region('us-east-1', { recorders: [some] }));
      const plan = buildPlan(snap, [control], { configBucket: 'cfg-history' });
      assert.deepEqual(steps(plan), ['us-east-1 PutConfigurationRecorder → PutConfigurationRecorder']);
      assert.deepEqual(plan.steps[0]?.undo.calls[0]?.input, { ConfigurationRecorder: some });
    });

    it('simulates each operation on the Region’s record, and undoes nothing that was so already', () => {
      const before = account(region('us-east-1', { recorders: [], statuses: [], channels: [] }));
      const put = {
        service: 'config',
        operation: 'PutConfigurationRecorder',
        region: 'us-east-1',
        input: {
          ConfigurationRecorder: {
            name: 'default',
            roleARN: 'r',
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
          },
        },
      } as const;
      const start = {
        service: 'config',
        operation: 'StartConfigurationRecorder',
        region: 'us-east-1',
        input: { ConfigurationRecorderName: 'default' },
      } as const;
      const one = simulateCall(before, put, new Map()).snapshot;
      const two = simulateCall(one, start, new Map()).snapshot;
      const record = two.config?.regions[0];
      assert.ok(record?.recorders.ok && record.statuses.ok);
      assert.equal(record.recorders.value.ConfigurationRecorders[0]?.recordingGroup?.allSupported, true);
      assert.equal(record.statuses.value.ConfigurationRecordersStatus[0]?.recording, true);
      assert.equal(
        before.config?.regions[0]?.recorders.ok &&
          before.config.regions[0].recorders.value.ConfigurationRecorders.length,
        0,
      );
      const recording = account(region('us-east-1'));
      const undo = undoFor(start, recording, new Set());
      assert.ok('kind' in undo && undo.kind === 'none');
      const unread = account({
        ...region('us-east-1'),
        recorders: denied('config:DescribeConfigurationRecorders'),
      });
      assert.ok(!('kind' in undoFor(put, unread, new Set())), 'no undo without the before-state');
    });

    it('takes a bucket name, and refuses anything else with one clear line', () => {
      assert.equal(configBucket.parse('cfg-history'), 'cfg-history');
      assert.throws(() => configBucket.parse('s3://cfg'), /--config-bucket takes the name of an S3 bucket/);
    });
  });
});
