/**
 * Config.1's fix against moto, through the CLI: with `--config-bucket`, every scanned Region gets a
 * recorder of every resource type (global ones in the control Region), a delivery channel and recording
 * started; a fresh scan passes, and a second `fix --apply` changes nothing. A failure midway stops and
 * deletes what the run made, leaving the account as it was.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { findControl } from '../../src/controls/index.js';
import type { ControlDefinition } from '../../src/controls/types.js';
import { assess } from '../../src/judge/assess.js';
import { motoEnv } from '../support/aws.js';
import { runTrailcheck } from '../support/cli.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { comparable, differences, fixJson } from '../support/fix.js';
import type { FixJson } from '../support/fix.js';
import { collectFromMoto, useMoto } from '../support/moto-suite.js';

const suite = useMoto();
const CONFIG_1 = [findControl('Config.1') as ControlDefinition];
const BUCKET = 'config-history';
let proxy: FaultProxy | undefined;
after(async () => proxy?.stop());

const scan = async () => collectFromMoto(suite, { controls: CONFIG_1 });
const statuses = (snapshot: Awaited<ReturnType<typeof scan>>) =>
  assess(snapshot, CONFIG_1)
    .findings.filter((f) => f.control === 'Config.1')
    .map((f) => `${f.resource.name} ${f.status}`)
    .sort();

describe('fix for AWS Config (Config.1) on moto', () => {
  it('--config-bucket: recorder, channel and recording in each Region, then it passes; a second --apply changes nothing', async () => {
    await suite.aws.s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
    assert.deepEqual(statuses(await scan()), [
      'eu-west-1 FAIL',
      'global resource types FAIL',
      'us-east-1 FAIL',
    ]);
    const args = ['--controls', 'Config.1', '--config-bucket', BUCKET, '--apply', '--yes'];
    const { result, report } = await fixJson(suite, args);
    const output = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.code, 0, output);
    assert.equal(report.plan.steps.length, 6, output);
    assert.ok(
      report.applied?.every((s) => s.status === 'done'),
      output,
    );
    assert.deepEqual(statuses(await scan()), [
      'eu-west-1 PASS',
      'global resource types PASS',
      'us-east-1 PASS',
    ]);

    const again = await fixJson(suite, args);
    assert.equal(again.result.code, 0, again.result.stdout + again.result.stderr);
    assert.deepEqual(again.report.plan.steps, []);
    assert.deepEqual(again.report.writes ?? [], []);
  });

  it('a failure midway: what the run made is stopped and deleted', async () => {
    await suite.aws.s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
    const before = comparable(await scan());
    proxy ??= await FaultProxy.start(suite.moto.endpoint);
    let starts = 0;
    const rule = proxy.addRule({
      match: (request) => request.operation === 'StartConfigurationRecorder' && ++starts === 2,
      fault: {
        kind: 'error',
        status: 400,
        code: 'InvalidParameterValueException',
        message: 'injected by the test',
      },
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
        'Config.1',
        '--config-bucket',
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
    assert.deepEqual(differences(before, comparable(await scan())), [], 'the account is as it was');
  });
});
