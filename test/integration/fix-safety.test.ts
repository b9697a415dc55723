/**
 * What makes `trailcheck fix` safe to run, against moto through the CLI: the seed scenario goes from two of
 * four to four of four; the dry run lists exactly the calls --apply makes (checked against the SDK call
 * log); a step that fails midway leaves the account exactly as it was (full snapshots compared), and the
 * comparison is shown to catch a half-applied plan; without a terminal it refuses to apply unasked.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { CONTROLS, SEED_CONTROL_IDS, findControl } from '../../src/controls/index.js';
import type { ControlDefinition } from '../../src/controls/types.js';
import { applyPlan } from '../../src/remediate/apply.js';
import { fixPolicy } from '../../src/remediate/permissions.js';
import { buildPlan } from '../../src/remediate/plan.js';
import { JsonReportSchema } from '../../src/report/json.js';
import { motoAccess, motoEnv, TEST_CREDENTIALS } from '../support/aws.js';
import { CLI, runTrailcheck } from '../support/cli.js';
import { REGIONS, comparable, differences, fixJson, trailcheckOnMoto } from '../support/fix.js';
import { collectFromMoto, useMoto } from '../support/moto-suite.js';
import { exposedAccount, scannerWithPolicy, withMotoQuirks } from '../support/scenarios/more-builders.js';
import { seedScenario } from '../support/scenarios/seed.js';

const suite = useMoto();
const SEED = SEED_CONTROL_IDS.join(',');

/** Writes moto authorises under its own action names (its S3 action map), besides MOTO_EXTRA_ACTIONS. */
export const MOTO_FIX_EXTRA_ACTIONS = [
  's3:PutPublicAccessBlock',
  's3:DeletePublicAccessBlock',
  's3:HeadBucket',
];

async function seedControls(format: 'json'): Promise<Map<string, string>> {
  const scan = await trailcheckOnMoto(suite, ['scan', ...REGIONS, '--controls', SEED, '--format', format]);
  const report = JsonReportSchema.parse(JSON.parse(scan.stdout));
  return new Map(report.controls.map((c) => [c.id, c.status]));
}

describe('the seed scenario', () => {
  it('fix --apply --yes turns two of four checks into four of four', async () => {
    await seedScenario(suite.aws);
    const before = await seedControls('json');
    assert.deepEqual([...before.values()].filter((s) => s === 'PASS').length, 2);
    assert.deepEqual(
      [...before.entries()].filter(([, s]) => s === 'FAIL').map(([id]) => id),
      ['CloudTrail.4', 'CloudTrail.7'],
    );

    const text = await trailcheckOnMoto(suite, ['fix', ...REGIONS, '--controls', SEED, '--apply', '--yes']);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /CloudTrail\.4 +FAIL +PASS/);
    assert.match(text.stdout, /CloudTrail\.7 +FAIL +PASS/);
    assert.match(text.stdout, /Every planned change was applied, and every check it touched passes now\./);

    const after = await seedControls('json');
    assert.deepEqual([...after.values()], ['PASS', 'PASS', 'PASS', 'PASS']);
    const summary = await trailcheckOnMoto(suite, ['scan', ...REGIONS, '--controls', SEED]);
    assert.equal(summary.code, 0);
    assert.match(summary.stdout, /Four of the four checks passed/);
  });

  it('the dry run lists exactly the calls --apply makes, in order, as the SDK call log records them', async () => {
    await seedScenario(suite.aws);
    const dry = await fixJson(suite, ['--controls', SEED]);
    assert.equal(dry.result.code, 1, 'a dry run with something to fix exits 1');
    assert.deepEqual(dry.report.writes, [], 'the dry run itself changes nothing');
    const planned = dry.report.plan.steps.map((s) => `${s.service}:${s.operation} ${s.region}`);
    assert.deepEqual(planned, [
      'cloudtrail:UpdateTrail us-east-1',
      's3:CreateBucket us-east-1',
      's3:PutPublicAccessBlock us-east-1',
      's3:PutBucketEncryption us-east-1',
      's3:PutBucketPolicy us-east-1',
      's3:PutBucketLogging us-east-1',
    ]);
    const applied = await fixJson(suite, ['--controls', SEED, '--apply', '--yes']);
    assert.equal(applied.result.code, 0, applied.result.stdout);
    assert.deepEqual(applied.report.plan, dry.report.plan, 'the plan applied is the plan shown');
    assert.deepEqual(
      applied.report.writes?.map((w) => `${w.operation} ${w.region}`),
      planned,
    );
    assert.ok(applied.report.writes?.every((w) => !w.failed));
  });
});

/**
 * A public trail bucket and a trail without validation, CloudWatch Logs or access logging: the plan makes
 * policy, ACL and Block Public Access changes, a trail update, a log group, a role with its policy, another
 * trail update, a new bucket with its settings, and finally access logging, which the fixer may not do.
 */
const ROLLBACK_CONTROLS = ['CloudTrail.4', 'CloudTrail.5', 'CloudTrail.6', 'CloudTrail.7'];

const controlsOf = (ids: readonly string[]) => ids.map((id) => findControl(id) as ControlDefinition);

/** A fixer allowed exactly what iam-policy --for fix says, minus one action. */
async function fixerWithout(missing: string) {
  const policy = fixPolicy(controlsOf(ROLLBACK_CONTROLS));
  const actions = withMotoQuirks([
    ...policy.Statement.flatMap((s) => s.Action),
    ...MOTO_FIX_EXTRA_ACTIONS,
  ]).filter((a) => a !== missing);
  return scannerWithPolicy(suite, [{ Effect: 'Allow', Action: actions, Resource: '*' }]);
}

describe('a step that fails midway', () => {
  it('in the middle (iam:PutRolePolicy denied): undoes what was done, runs nothing after, leaves the account as it was', async () => {
    await exposedAccount(suite.aws);
    const beforeSnapshot = await collectFromMoto(suite, { controls: CONTROLS });
    const before = comparable(beforeSnapshot);
    const fixer = await fixerWithout('iam:PutRolePolicy');
    const { result, report } = await fixJson(
      suite,
      ['--controls', ROLLBACK_CONTROLS.join(','), '--apply', '--yes'],
      fixer,
    );
    assert.equal(result.code, 3, result.stdout + result.stderr);
    const failed = report.applied?.find((s) => s.status === 'failed');
    assert.equal(failed?.operation, 'iam:PutRolePolicy');
    const total = report.plan.steps.length;
    assert.ok((failed?.step ?? 0) > 2 && (failed?.step ?? total) < total - 2, 'it failed midway');
    assert.deepEqual(
      report.state?.neverRun,
      report.plan.steps.filter((s) => s.number >= (failed?.step ?? 0)).map((s) => s.number),
    );
    assert.deepEqual(report.state?.notReverted, []);
    await suite.moto.stopEnforcingIam();
    const after = comparable(await collectFromMoto(suite, { controls: CONTROLS }), beforeSnapshot);
    assert.deepEqual(differences(before, after), [], 'the account is as it was');
    await assert.rejects(
      suite.aws.iam().send(new GetRoleCommand({ RoleName: 'CloudTrailToCloudWatchLogs-Audit' })),
      { name: 'NoSuchEntityException' },
    );
  });

  it('at the last step: undoes every step before it, in reverse, and leaves the account exactly as it was', async () => {
    await exposedAccount(suite.aws);
    const beforeSnapshot = await collectFromMoto(suite, { controls: CONTROLS });
    const before = comparable(beforeSnapshot);
    const fixer = await fixerWithout('s3:PutBucketLogging');

    const { result, report } = await fixJson(
      suite,
      ['--controls', ROLLBACK_CONTROLS.join(','), '--apply', '--yes'],
      fixer,
    );
    assert.equal(result.code, 3, result.stdout + result.stderr);
    const steps = report.plan.steps;
    const failed = report.applied?.find((s) => s.status === 'failed');
    assert.equal(failed?.operation, 's3:PutBucketLogging');
    assert.equal(failed?.step, steps.length, 'the last step failed: everything else had been done');
    assert.ok(steps.length >= 10, `a long plan (${steps.length} steps)`);
    assert.deepEqual(
      report.rollback?.map((r) => r.step),
      steps
        .slice(0, -1)
        .map((s) => s.number)
        .reverse(),
      'undone last first',
    );
    assert.deepEqual(report.state?.notReverted, []);
    assert.deepEqual(report.state?.neverRun, [steps.length]);
    assert.deepEqual(
      report.state?.kept.map((k) => k.note),
      [
        'keep log group aws-cloudtrail-logs-Audit: events may already have been delivered to it (delete it by hand if it stays empty)',
      ],
    );

    // The text form says what the account looks like now.
    await suite.moto.stopEnforcingIam();
    const after = comparable(await collectFromMoto(suite, { controls: CONTROLS }), beforeSnapshot);
    assert.deepEqual(differences(before, after), [], 'the account is as it was');
    // What the snapshot does not hold: the new bucket and the role are gone, the log group kept on purpose.
    await assert.rejects(suite.aws.s3().send(new HeadBucketCommand({ Bucket: 'audit-logs-access-logs' })));
    await assert.rejects(
      suite.aws.iam().send(new GetRoleCommand({ RoleName: 'CloudTrailToCloudWatchLogs-Audit' })),
      {
        name: 'NoSuchEntityException',
      },
    );
    const logs = new CloudWatchLogsClient({
      region: 'us-east-1',
      endpoint: suite.moto.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    const groups = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: 'aws-cloudtrail-logs-Audit' }),
    );
    assert.equal(groups.logGroups?.length, 1);
    logs.destroy();
  });

  it('the text report says which steps were put back, what was kept and what never ran', async () => {
    await exposedAccount(suite.aws);
    const fixer = await fixerWithout('s3:PutBucketLogging');
    const result = await trailcheckOnMoto(
      suite,
      ['fix', ...REGIONS, '--controls', ROLLBACK_CONTROLS.join(','), '--apply', '--yes'],
      fixer,
    );
    assert.equal(result.code, 3);
    assert.match(result.stdout, /Step \d+ failed, so the \d+ steps before it were undone, last first:/);
    assert.match(
      result.stdout,
      /The account now:\n {2}- Changed and put back \(or removed again\): step 1, 2, /,
    );
    assert.match(
      result.stdout,
      /Created and kept on purpose: step \d+: keep log group aws-cloudtrail-logs-Audit/,
    );
    assert.match(
      result.stdout,
      /to remove it: \$ aws logs delete-log-group --region us-east-1 --log-group-name aws-cloudtrail-logs-Audit/,
    );
    assert.match(result.stdout, /Never run: step \d+ \(step \d+ failed and changed nothing\)/);
    assert.match(
      result.stdout,
      /s3:PutBucketLogging \(us-east-1\): FAILED – s3:PutBucketLogging in us-east-1 was denied/,
    );
  });

  it('the comparison catches a half-applied plan: without the rollback, the same failure leaves changes behind', async () => {
    await exposedAccount(suite.aws);
    const controls = controlsOf(ROLLBACK_CONTROLS);
    const snapshot = await collectFromMoto(suite, { controls: CONTROLS });
    const before = comparable(snapshot);
    const plan = buildPlan(snapshot, controls);
    const fixer = await fixerWithout('s3:PutBucketLogging');
    const factory = new AwsClientFactory(motoAccess(suite.moto, fixer));
    try {
      const result = await applyPlan(factory, plan, { noRollback: true });
      assert.equal(result.ok, false);
      assert.equal(result.rollback.length, 0);
    } finally {
      factory.destroy();
    }
    await suite.moto.stopEnforcingIam();
    const changed = differences(before, comparable(await collectFromMoto(suite, { controls: CONTROLS })));
    const text = changed.join('\n');
    assert.match(text, /LogFileValidationEnabled: false → true/);
    assert.match(text, /CloudWatchLogsLogGroupArn/);
    assert.match(text, /publicAccessBlock/);
    // The new access-log bucket is not trail evidence; it is left behind all the same.
    await suite.aws.s3().send(new HeadBucketCommand({ Bucket: 'audit-logs-access-logs' }));
  });
});

describe('asking before it changes anything', () => {
  it('refuses --apply without --yes when there is no terminal to ask, before any AWS call', async () => {
    await seedScenario(suite.aws);
    const result = await trailcheckOnMoto(suite, ['fix', ...REGIONS, '--apply']);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1);
    assert.match(
      result.stderr,
      /^trailcheck: --apply asks for confirmation on a terminal; without one, give --yes/,
    );
    assert.equal(result.stdout, '');
    const after = await fixJson(suite, ['--controls', SEED]);
    assert.equal(after.report.plan.steps.length, 6, 'nothing was changed');
  });

  it('refuses --apply with --snapshot, and --yes without --apply', async () => {
    for (const args of [
      ['fix', '--apply', '--yes', '--snapshot', 'demo/mooncloud-cis-test.snapshot.json'],
      ['fix', '--yes'],
    ]) {
      const result = await runTrailcheck(args, motoEnv(suite.moto));
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^trailcheck: /);
    }
  });

  it('on a terminal, an answer other than yes changes nothing', async () => {
    await seedScenario(suite.aws);
    const env = { ...motoEnv(suite.moto), TERM: 'dumb' };
    const command = [process.execPath, CLI, 'fix', ...REGIONS, '--controls', SEED, '--apply']
      .map((w) => `'${w.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let text = '';
      let answered = false;
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (!answered && text.includes('Type yes to go on')) {
          answered = true;
          child.stdin.write('no\n');
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no answer in time:\n${text}`));
      }, 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, text });
      });
    });
    assert.match(output.text, /Apply these 6 changes to account 123456789012\? Type yes to go on:/);
    assert.match(output.text, /Nothing was changed \(not confirmed\)\./);
    assert.equal(output.code, 1);
    const after = await fixJson(suite, ['--controls', SEED]);
    assert.equal(after.report.plan.steps.length, 6, 'nothing was changed');
  });
});
