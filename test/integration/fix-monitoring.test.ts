/**
 * The monitoring checks' fix against moto, through the CLI: an account whose trail delivers to a log group
 * with no metric filter gets, with `--alert-topic`, a CIS filter and an alarm per check, after which a scan
 * passes all fifteen; a second `fix --apply` plans nothing; a failure midway undoes every filter and alarm
 * made, leaving the account as it was (snapshots compared).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { CONTROLS } from '../../src/controls/index.js';
import { MONITORING_FIX_CALLS } from '../../src/controls/monitoring-fix.js';
import { plain } from '../../src/core/rich.js';
import { assess } from '../../src/judge/assess.js';
import { motoEnv } from '../support/aws.js';
import { runTrailcheck } from '../support/cli.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { comparable, differences, fixJson } from '../support/fix.js';
import type { FixJson } from '../support/fix.js';
import { collectFromMoto, useMoto } from '../support/moto-suite.js';
import { seedMonitoringChain } from '../support/scenarios/monitoring.js';
import { SEED_TRAIL, seedScenario } from '../support/scenarios/seed.js';

const suite = useMoto();
const MONITORING = CONTROLS.filter((c) => c.fixPermissions?.calls === MONITORING_FIX_CALLS);
const IDS = MONITORING.map((c) => c.id).join(',');
let proxy: FaultProxy | undefined;
after(async () => proxy?.stop());

/** The seed scenario's trail delivering to a log group without filters, and a topic with a confirmed subscription. */
async function bareChain(): Promise<string> {
  await seedScenario(suite.aws);
  // moto lists an e-mail subscription as confirmed at once.
  const { topicArn } = await seedMonitoringChain(suite.aws, { trail: SEED_TRAIL, filters: {} });
  return topicArn;
}

async function statuses(): Promise<Map<string, string>> {
  const snapshot = await collectFromMoto(suite, { controls: MONITORING, regions: ['us-east-1'] });
  const assessment = assess(snapshot, MONITORING);
  return new Map(assessment.findings.map((f) => [f.control, `${f.status} ${plain(f.message)}`]));
}

describe('fix for the CloudWatch alarm chain on moto', () => {
  it('--alert-topic: a filter and an alarm per check, then every check passes; a second --apply changes nothing', async () => {
    const topic = await bareChain();
    const before = await statuses();
    assert.equal([...before.values()].filter((s) => s.startsWith('FAIL')).length, MONITORING.length);

    const { result, report } = await fixJson(suite, [
      '--controls',
      IDS,
      '--alert-topic',
      topic,
      '--apply',
      '--yes',
    ]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(report.plan.steps.length, 2 * MONITORING.length);
    assert.ok(report.applied?.every((s) => s.status === 'done'));
    assert.deepEqual(
      report.verdicts?.filter((v) => v.after !== 'PASS'),
      [],
    );

    const after = await statuses();
    for (const [id, status] of after) assert.match(status, /^PASS /, id);

    const again = await fixJson(suite, ['--controls', IDS, '--alert-topic', topic, '--apply', '--yes']);
    assert.equal(again.result.code, 0, again.result.stdout + again.result.stderr);
    assert.deepEqual(again.report.plan.steps, []);
    assert.deepEqual(again.report.writes ?? [], []);
  });

  it('--alert-email: one new topic with the address subscribed; the plan calls the confirmation the user’s step; a second --apply changes nothing', async () => {
    await bareChain();
    const args = ['--controls', IDS, '--alert-email', 'secops@example.com', '--apply', '--yes'];
    const { result, report } = await fixJson(suite, args);
    const ops = report.plan.steps.map((s) => `${s.service}:${s.operation}`);
    assert.equal(ops.filter((o) => o === 'sns:CreateTopic').length, 1, result.stderr);
    assert.equal(ops.filter((o) => o === 'sns:Subscribe').length, 1);
    assert.ok(report.applied?.every((s) => s.status === 'done'));
    // The plan never promised a PASS: each check waits for the address to confirm.
    const waiting = report.plan.actions.filter((a) => a.kind === 'manual');
    assert.equal(waiting.length, MONITORING.length);
    assert.ok(waiting.every((a) => /pending confirmation/.test(a.summary)));
    // moto confirms an e-mail subscription at once, so here the fresh scan passes; the run still exits 1
    // for the steps left to the user.
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const topics = await suite.aws.sns('us-east-1').send(new ListTopicsCommand({}));
    assert.equal(
      (topics.Topics ?? []).filter((t) => t.TopicArn?.endsWith(':trailcheck-cis-alarms')).length,
      1,
    );
    const again = await fixJson(suite, args);
    assert.deepEqual(again.report.plan.steps, []);
  });

  it('without --alert-topic or --alert-email: nothing is applied, and the topic is listed as the user’s step with its commands', async () => {
    await bareChain();
    const { result, report } = await fixJson(suite, ['--controls', IDS]);
    assert.equal(result.code === 0 || result.code === 1, true, result.stderr);
    assert.deepEqual(report.plan.steps, []);
    const manual = report.plan.actions.filter((a) => a.kind === 'manual');
    assert.equal(manual.length, MONITORING.length);
    assert.ok(manual.every((a) => a.cli?.some((c) => c.startsWith('aws sns create-topic'))));
  });

  it('--alert-email, a failure midway: the new topic is deleted too', async () => {
    await bareChain();
    const before = comparable(await collectFromMoto(suite, { controls: MONITORING, regions: ['us-east-1'] }));
    proxy ??= await FaultProxy.start(suite.moto.endpoint);
    let alarms = 0;
    const rule = proxy.addRule({
      match: (request) => request.operation === 'PutMetricAlarm' && ++alarms === 3,
      fault: { kind: 'error', status: 400, code: 'ValidationError', message: 'injected by the test' },
    });
    const env = { ...motoEnv(suite.moto), AWS_ENDPOINT_URL: proxy.endpoint };
    const run = await runTrailcheck(
      [
        'fix',
        '--region',
        'us-east-1',
        '--format',
        'json',
        '--controls',
        IDS,
        '--alert-email',
        'a@example.com',
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
    assert.ok(report.rollback?.some((r) => r.commands.some((c) => c.startsWith('aws sns delete-topic'))));
    const now = comparable(await collectFromMoto(suite, { controls: MONITORING, regions: ['us-east-1'] }));
    assert.deepEqual(differences(before, now), [], 'the account is as it was');
    const topics = await suite.aws.sns('us-east-1').send(new ListTopicsCommand({}));
    assert.deepEqual(
      (topics.Topics ?? []).map((t) => t.TopicArn).filter((a) => a?.endsWith(':trailcheck-cis-alarms')),
      [],
    );
  });

  it('a failure midway (the 8th alarm refused) undoes every filter and alarm made, and the account is as it was', async () => {
    const topic = await bareChain();
    const before = comparable(await collectFromMoto(suite, { controls: MONITORING, regions: ['us-east-1'] }));
    proxy ??= await FaultProxy.start(suite.moto.endpoint);
    let alarms = 0;
    const rule = proxy.addRule({
      match: (request) => request.operation === 'PutMetricAlarm' && ++alarms === 8,
      // A 400 the SDK does not retry.
      fault: { kind: 'error', status: 400, code: 'ValidationError', message: 'injected by the test' },
    });
    const env = { ...motoEnv(suite.moto), AWS_ENDPOINT_URL: proxy.endpoint };
    const run = await runTrailcheck(
      [
        'fix',
        '--region',
        'us-east-1',
        '--format',
        'json',
        '--controls',
        IDS,
        '--alert-topic',
        topic,
        '--apply',
        '--yes',
      ],
      env,
      120_000,
    );
    rule.remove();
    const report = JSON.parse(run.stdout) as FixJson;
    const outcome = JSON.stringify({
      failed: report.applied?.filter((s) => s.status !== 'done'),
      rollback: report.rollback?.map((r) => [r.step, r.status, r.error]),
      state: report.state,
    });
    assert.equal(run.code, 3, `${run.stderr}${outcome}`);
    const failed = report.applied?.find((s) => s.status === 'failed');
    assert.equal(failed?.operation, 'cloudwatch:PutMetricAlarm');
    assert.equal(failed?.step, 16);
    assert.deepEqual(
      report.rollback?.map((r) => [r.step, r.status]),
      Array.from({ length: 15 }, (_, i) => [15 - i, 'removed']),
      outcome,
    );
    assert.deepEqual(report.state?.notReverted, []);
    const now = comparable(await collectFromMoto(suite, { controls: MONITORING, regions: ['us-east-1'] }));
    assert.deepEqual(differences(before, now), [], 'the account is as it was');
    const filters = await suite.aws
      .logs('us-east-1')
      .send(new DescribeMetricFiltersCommand({ logGroupName: `aws-cloudtrail-logs-${SEED_TRAIL}` }));
    assert.deepEqual(filters.metricFilters, []);
    const left = await suite.aws.cloudWatch('us-east-1').send(new DescribeAlarmsCommand({}));
    assert.deepEqual(
      (left.MetricAlarms ?? []).map((a) => a.AlarmName).filter((n) => n?.startsWith('trailcheck-')),
      [],
    );
  });
});
