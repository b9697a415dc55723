/**
 * EC2.6's fix against moto, through the CLI: with `--flow-log-bucket`, one CreateFlowLogs per Region gives
 * every VPC without a flow log one, a fresh scan passes, and a second `fix --apply` changes nothing; a
 * failure in the second Region deletes the flow logs made in the first, leaving the account as it was.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { findControl } from '../../src/controls/index.js';
import type { ControlDefinition } from '../../src/controls/types.js';
import { assess } from '../../src/judge/assess.js';
import { TEST_CREDENTIALS, motoEnv } from '../support/aws.js';
import { runTrailcheck } from '../support/cli.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { comparable, differences, fixJson } from '../support/fix.js';
import type { FixJson } from '../support/fix.js';
import { collectFromMoto, useMoto } from '../support/moto-suite.js';

const suite = useMoto();
const EC2_6 = [findControl('EC2.6') as ControlDefinition];
const BUCKET = 'net-flow-logs';
let proxy: FaultProxy | undefined;
after(async () => proxy?.stop());

const scan = async () => collectFromMoto(suite, { controls: EC2_6 });
const statuses = (snapshot: Awaited<ReturnType<typeof scan>>) =>
  assess(snapshot, EC2_6)
    .findings.filter((f) => f.control === 'EC2.6')
    .map((f) => `${f.resource.region} ${f.status}`)
    .sort();

async function flowLogCount(region: string): Promise<number> {
  const ec2 = new EC2Client({
    region,
    endpoint: suite.moto.endpoint,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  return (await ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs?.length ?? 0;
}

describe('fix for VPC flow logs (EC2.6) on moto', () => {
  it('--flow-log-bucket: one call per Region, then every VPC passes; a second --apply changes nothing', async () => {
    await suite.aws.s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
    assert.ok(statuses(await scan()).every((s) => s.endsWith(' FAIL')));

    const args = ['--controls', 'EC2.6', '--flow-log-bucket', BUCKET, '--apply', '--yes'];
    const { result, report } = await fixJson(suite, args);
    const output = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.code, 0, output);
    assert.deepEqual(
      report.plan.steps.map((s) => `${s.service}:${s.operation} ${s.region}`).sort(),
      ['ec2:CreateFlowLogs eu-west-1', 'ec2:CreateFlowLogs us-east-1'],
      output,
    );
    assert.ok(
      report.applied?.every((s) => s.status === 'done'),
      output,
    );
    assert.deepEqual(
      report.verdicts?.filter((v) => v.after !== 'PASS'),
      [],
    );
    const now = statuses(await scan());
    assert.ok(now.length >= 2 && now.every((s) => s.endsWith(' PASS')), now.join('\n'));

    const again = await fixJson(suite, args);
    assert.equal(again.result.code, 0, again.result.stdout + again.result.stderr);
    assert.deepEqual(again.report.plan.steps, []);
    assert.deepEqual(again.report.writes ?? [], []);
  });

  it('without --flow-log-bucket: nothing is applied, each VPC is the user’s step with its command', async () => {
    const { result, report } = await fixJson(suite, ['--controls', 'EC2.6']);
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
    assert.deepEqual(report.plan.steps, []);
    const manual = report.plan.actions.filter((a) => a.kind === 'manual');
    assert.ok(manual.length >= 2);
    assert.ok(manual.every((a) => a.cli?.some((c) => c.startsWith('aws ec2 create-flow-logs'))));
  });

  it('a failure in the second Region: the flow logs made in the first are deleted', async () => {
    await suite.aws.s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
    const before = comparable(await scan());
    proxy ??= await FaultProxy.start(suite.moto.endpoint);
    let creates = 0;
    const rule = proxy.addRule({
      match: (request) => request.operation === 'CreateFlowLogs' && ++creates === 2,
      fault: { kind: 'error', status: 400, code: 'InvalidParameter', message: 'injected by the test' },
    });
    const env = { ...motoEnv(suite.moto), AWS_ENDPOINT_URL: proxy.endpoint };
    const run = await runTrailcheck(
      [
        'fix',
        '--region',
        'us-east-1,eu-west-1',
        '--format',
        'json',
        '--controls',
        'EC2.6',
        '--flow-log-bucket',
        BUCKET,
        '--apply',
        '--yes',
      ],
      env,
      120_000,
    );
    rule.remove();
    const report = JSON.parse(run.stdout) as FixJson;
    assert.equal(run.code, 3, run.stderr);
    assert.deepEqual(report.state?.notReverted, []);
    assert.ok(
      report.rollback?.some((r) => r.commands.some((c) => c.startsWith('aws ec2 delete-flow-logs'))),
      run.stdout,
    );
    assert.deepEqual(differences(before, comparable(await scan())), [], 'the account is as it was');
    assert.equal((await flowLogCount('us-east-1')) + (await flowLogCount('eu-west-1')), 0);
  });
});
