/**
 * Issue 15's controls on moto, through the real collector: AWS Config (Config.1), VPC flow logs (EC2.6)
 * and KMS key rotation (KMS.4) pass where set up and fail where not; `fix --apply` turns a key's rotation
 * on and a fresh scan passes; and a scan of CloudTrail controls makes none of their calls.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigServiceClient,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { CreateFlowLogsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateKeyCommand, EnableKeyRotationCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CONTROLS, findControl } from '../../src/controls/index.js';
import type { ControlDefinition } from '../../src/controls/types.js';
import { plain } from '../../src/core/rich.js';
import { assess } from '../../src/judge/assess.js';
import { ACCOUNT, TEST_CREDENTIALS } from '../support/aws.js';
import { fixJson } from '../support/fix.js';
import { collectFromMoto, useMoto } from '../support/moto-suite.js';

const suite = useMoto();
const ISSUE_15 = ['Config.1', 'EC2.6', 'KMS.4'].map((id) => findControl(id) as ControlDefinition);

const client = <T>(Client: new (config: object) => T, region = 'us-east-1'): T =>
  new Client({ region, endpoint: suite.moto.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });

/** us-east-1 is set up (recorder, flow log, one rotating key beside one that does not); eu-west-1 is not. */
async function seed(): Promise<{ rotating: string; still: string; vpc: string }> {
  await suite.aws.s3().send(new CreateBucketCommand({ Bucket: 'audit-logs' }));
  const config = client(ConfigServiceClient);
  await config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: 'default',
        roleARN: `arn:aws:iam::${ACCOUNT}:role/config`,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      },
    }),
  );
  await config.send(
    new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'audit-logs' } }),
  );
  await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));

  const ec2 = client(EC2Client);
  const vpc = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId ?? '';
  await ec2.send(
    new CreateFlowLogsCommand({
      ResourceType: 'VPC',
      ResourceIds: [vpc],
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: 'arn:aws:s3:::audit-logs',
    }),
  );

  const kms = suite.aws.kms();
  const rotating = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await kms.send(new EnableKeyRotationCommand({ KeyId: rotating.split('/').pop() }));
  const still = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  return { rotating, still, vpc };
}

const verdicts = (assessment: ReturnType<typeof assess>, id: string) =>
  assessment.findings
    .filter((f) => f.control === id)
    .map((f) => `${f.resource.region} ${f.resource.name} ${f.status}`)
    .sort();

describe('Config.1, EC2.6 and KMS.4 on moto', () => {
  it('pass where set up, fail where not; fix --apply turns rotation on and a fresh scan passes', async () => {
    const { rotating, still, vpc } = await seed();
    const snapshot = await collectFromMoto(suite, { controls: ISSUE_15 });
    const before = assess(snapshot, ISSUE_15);

    assert.deepEqual(verdicts(before, 'Config.1'), [
      'eu-west-1 eu-west-1 FAIL',
      'us-east-1 global resource types PASS',
      'us-east-1 us-east-1 PASS',
    ]);
    const euConfig = before.findings.find((f) => f.control === 'Config.1' && f.resource.name === 'eu-west-1');
    assert.match(plain(euConfig?.message ?? []), /no configuration recorder/);
    assert.match(euConfig?.remediation?.cli.join('\n') ?? '', /s3BucketName=audit-logs/);

    const flow = verdicts(before, 'EC2.6');
    assert.ok(flow.includes(`us-east-1 ${vpc} PASS`), flow.join('\n'));
    assert.ok(
      flow.some((v) => /^eu-west-1 vpc-\S+ FAIL$/.test(v)),
      flow.join('\n'),
    );

    const idOf = (arn: string) => arn.split('/').pop() ?? '';
    assert.deepEqual(
      verdicts(before, 'KMS.4'),
      [`us-east-1 ${idOf(rotating)} PASS`, `us-east-1 ${idOf(still)} FAIL`].sort(),
    );
    // One listing per Region, not one call per VPC or key.
    const calls = (operation: string) =>
      snapshot.stats.apiCalls.filter((c) => c.operation === operation).reduce((n, c) => n + c.calls, 0);
    assert.equal(calls('ec2:DescribeFlowLogs'), 2);
    assert.equal(calls('ec2:DescribeVpcs'), 2);
    assert.equal(calls('kms:ListKeys'), 2);
    assert.equal(calls('config:DescribeConfigurationRecorders'), 2);

    const fixed = await fixJson(suite, ['--apply', '--yes', '--controls', 'KMS.4']);
    const output = `${fixed.result.stdout}\n${fixed.result.stderr}`;
    assert.equal(fixed.result.code, 0, output);
    assert.deepEqual(
      fixed.report.plan.steps.map((s) => `${s.service}:${s.operation} ${s.region}`),
      ['kms:EnableKeyRotation us-east-1'],
      output,
    );
    assert.ok(
      fixed.report.applied?.every((s) => s.status === 'done'),
      output,
    );

    const after = assess(await collectFromMoto(suite, { controls: ISSUE_15 }), ISSUE_15);
    assert.deepEqual(
      verdicts(after, 'KMS.4'),
      [`us-east-1 ${idOf(rotating)} PASS`, `us-east-1 ${idOf(still)} PASS`].sort(),
    );
  });

  it('makes none of their calls when only CloudTrail controls are chosen', async () => {
    await seed();
    const snapshot = await collectFromMoto(suite, {
      controls: CONTROLS.filter((c) => c.id.startsWith('CloudTrail.')),
    });
    assert.equal(snapshot.config, undefined);
    assert.equal(snapshot.flowLogs, undefined);
    assert.equal(snapshot.keyRotation, undefined);
    const stray = snapshot.stats.apiCalls.filter((c) =>
      /^(config:|ec2:Describe(Vpcs|FlowLogs)|kms:(ListKeys|GetKeyRotationStatus))/.test(c.operation),
    );
    assert.deepEqual(stray, []);
  });
});
