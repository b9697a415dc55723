/**
 * The monitoring checks' fix, on hand-built snapshots: what it calls for each way of naming whom to
 * alert, that the planner closes the checks with it (or says truthfully that a subscription waits for a
 * person), that a second plan on the account it leaves calls nothing, and that every call has its undo.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS, findControl } from './index.js';
import type { ControlDefinition } from './types.js';
import { SnapshotView } from '../evaluate/view.js';
import type { AssessOptions } from '../evaluate/view.js';
import { plain } from '../core/rich.js';
import { operationName, text } from '../fixes/calls.js';
import type { ApiCall } from '../fixes/calls.js';
import type { Snapshot } from '../snapshot/schema.js';
import { buildPlan } from '../remediate/plan.js';
import type { Plan } from '../remediate/plan.js';
import { simulateCalls } from '../remediate/simulate.js';
import { NoUndo, undoFor } from '../remediate/undo.js';
import { renderPlanTerraform } from '../remediate/terraform.js';
import { renderPlanCloudFormation } from '../remediate/cloudformation.js';
import { iamActionOf } from '../fixes/calls.js';
import { fixPolicy } from '../remediate/permissions.js';
import {
  LOG_GROUP,
  LOG_GROUP_ARN,
  REGION,
  chainSnapshot,
  confirmed,
} from '../../test/support/monitoring-fixtures.js';
import { ACCOUNT_ID, ok, trail } from '../../test/support/snapshot-builder.js';
import { MONITORING_FIX_CALLS } from './monitoring-fix.js';

const MONITORING = CONTROLS.filter((c) => c.fixPermissions?.calls === MONITORING_FIX_CALLS);
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:security-alerts`;
const NEW_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:trailcheck-cis-alarms`;

/** A logging multi-Region trail delivering to a log group without filters; no alarm; optionally a topic. */
function bareChain(topic?: { arn: string; subscriptions: ReturnType<typeof confirmed> }): Snapshot {
  const snap = chainSnapshot({ pattern: '{ $.x = 1 }', alarm: null });
  const monitoring = snap.monitoring!;
  monitoring.logGroups[0] = {
    ...monitoring.logGroups[0]!,
    metricFilters: ok({ MetricFilters: [] }, 'logs:DescribeMetricFilters'),
  };
  if (topic)
    monitoring.topics.push({ TopicArn: topic.arn, Region: REGION, subscriptions: topic.subscriptions });
  return snap;
}

const ops = (calls: readonly ApiCall[]) => calls.map(operationName);
const judge = (snap: Snapshot, options: AssessOptions, control: ControlDefinition) =>
  control.evaluate(new SnapshotView(snap, options))[0]!;
const applyPlan = (snap: Snapshot, plan: Plan) =>
  simulateCalls(
    snap,
    plan.steps.map((s) => s.call),
  ).snapshot;

describe('monitoring fix: what it calls', () => {
  const cw1 = findControl('CloudWatch.1') as ControlDefinition;
  const cases: Array<{ name: string; snap: Snapshot; options: AssessOptions; calls: string[] | undefined }> =
    [
      {
        name: 'neither option: none (the topic is the user’s)',
        snap: bareChain(),
        options: {},
        calls: undefined,
      },
      {
        name: '--alert-topic: a filter and an alarm notifying that topic',
        snap: bareChain({ arn: TOPIC, subscriptions: confirmed() }),
        options: { alertTopic: TOPIC },
        calls: ['logs:PutMetricFilter', 'cloudwatch:PutMetricAlarm'],
      },
      {
        name: '--alert-topic of another Region: none (alarms notify topics of their own Region only)',
        snap: bareChain(),
        options: { alertTopic: `arn:aws:sns:eu-west-1:${ACCOUNT_ID}:alerts` },
        calls: undefined,
      },
      {
        name: '--alert-email: a new topic, the address subscribed, a filter and an alarm',
        snap: bareChain(),
        options: { alertEmail: 'sec@example.com' },
        calls: ['sns:CreateTopic', 'sns:Subscribe', 'logs:PutMetricFilter', 'cloudwatch:PutMetricAlarm'],
      },
      {
        name: '--alert-email with the topic there and subscribed already: no second topic or subscription',
        snap: bareChain({ arn: NEW_TOPIC, subscriptions: confirmed(`${NEW_TOPIC}:abc`) }),
        options: { alertEmail: 'sec@example.com' },
        calls: ['logs:PutMetricFilter', 'cloudwatch:PutMetricAlarm'],
      },
      {
        name: '--alert-email with a topic that a probe found (not in the evidence): subscribe only',
        snap: bareChain(),
        options: {
          alertEmail: 'sec@example.com',
          remediation: { existing: { topics: [`${REGION}:trailcheck-cis-alarms`] } },
        },
        calls: ['sns:Subscribe', 'logs:PutMetricFilter', 'cloudwatch:PutMetricAlarm'],
      },
    ];
  for (const c of cases)
    it(c.name, () => {
      const finding = judge(c.snap, c.options, cw1);
      assert.equal(finding.status, 'FAIL');
      assert.deepEqual(finding.proposal ? ops(finding.proposal.calls) : undefined, c.calls);
      if (!finding.proposal) {
        assert.ok(finding.remediation?.cli.some((l) => l.startsWith('aws sns create-topic')));
        assert.match(plain(finding.remediation!.summary), /--alert-email ADDRESS or --alert-topic ARN/);
      }
    });

  it('puts the judged CIS pattern on the trail’s log group, and a Sum ≥ 1 alarm over 300 s on its metric', () => {
    const finding = judge(bareChain({ arn: TOPIC, subscriptions: confirmed() }), { alertTopic: TOPIC }, cw1);
    const [filter, alarm] = finding.proposal!.calls;
    assert.equal(filter?.input.logGroupName, LOG_GROUP);
    assert.equal(filter?.input.filterName, 'trailcheck-CloudWatch-1');
    assert.match(text(filter?.input.filterPattern), /userIdentity\.type\s*=\s*"?Root/);
    assert.deepEqual(filter?.input.metricTransformations, [
      { metricName: 'trailcheck-CloudWatch-1', metricNamespace: 'CISBenchmark', metricValue: '1' },
    ]);
    assert.deepEqual(
      [alarm?.input.Statistic, alarm?.input.Period, alarm?.input.Threshold, alarm?.input.AlarmActions],
      ['Sum', 300, 1, [TOPIC]],
    );
    assert.match(finding.proposal!.notes?.join(' ') ?? '', /Charged per alarm per month/);
    assert.match(finding.remediation!.cli.join('\n'), /aws logs put-metric-filter --region us-east-1/);
    assert.match(finding.remediation!.cli.join('\n'), /aws cloudwatch put-metric-alarm --region us-east-1/);
  });
});

describe('monitoring fix: the plan', () => {
  it('--alert-topic: every monitoring check passes on the simulation, and a second plan calls nothing', () => {
    const snap = bareChain({ arn: TOPIC, subscriptions: confirmed() });
    const options = { alertTopic: TOPIC };
    const plan = buildPlan(snap, MONITORING, options);
    assert.deepEqual(plan.warnings, []);
    assert.deepEqual(
      plan.expected.filter((e) => e.after !== 'PASS'),
      [],
    );
    assert.equal(plan.steps.length, 2 * MONITORING.length);
    assert.deepEqual(
      plan.actions.filter((a) => a.kind === 'manual'),
      [],
    );
    const again = buildPlan(applyPlan(snap, plan), MONITORING, options);
    assert.deepEqual(again.steps, []);
    assert.deepEqual(again.actions, []);
  });

  it('--alert-email: one topic and one subscription for all; the checks stay FAIL until the address confirms, and the plan says so', () => {
    const snap = bareChain();
    const options = { alertEmail: 'sec@example.com' };
    const plan = buildPlan(snap, MONITORING, options);
    assert.deepEqual(plan.warnings, []);
    const calls = plan.steps.map((s) => operationName(s.call));
    assert.equal(calls.filter((c) => c === 'sns:CreateTopic').length, 1);
    assert.equal(calls.filter((c) => c === 'sns:Subscribe').length, 1);
    assert.equal(calls.filter((c) => c === 'logs:PutMetricFilter').length, MONITORING.length);
    // Never a promised PASS: the alarms alert nobody until the subscription is confirmed.
    assert.deepEqual(
      plan.expected.filter((e) => e.after === 'PASS'),
      [],
    );
    const applied = plan.actions.filter((a) => a.kind === 'apply');
    assert.equal(applied.length, MONITORING.length);
    assert.match(applied[0]!.notes.join(' '), /pending confirmation/);
    const manual = plan.actions.filter((a) => a.kind === 'manual');
    assert.equal(manual.length, MONITORING.length);
    for (const m of manual) {
      assert.match(plain(m.summary), /sec@example\.com .*pending confirmation/);
      assert.equal(m.reason, 'the plan makes its calls, but only a person can take this last step');
    }
    // Applied, the account needs nothing more from trailcheck: a second run calls nothing.
    const again = buildPlan(applyPlan(snap, plan), MONITORING, options);
    assert.deepEqual(again.steps, []);
  });

  it('a trail without a log group: CloudTrail.5’s fix first, then the filters on its new group', () => {
    const snap = bareChain({ arn: TOPIC, subscriptions: confirmed() });
    snap.cloudtrail.trails = [trail({ Name: 'Main' })];
    snap.monitoring!.logGroups = [];
    const selected = [findControl('CloudTrail.5') as ControlDefinition, ...MONITORING];
    const plan = buildPlan(snap, selected, { alertTopic: TOPIC });
    assert.deepEqual(plan.warnings, []);
    assert.deepEqual(
      plan.expected.filter((e) => e.after !== 'PASS'),
      [],
    );
    const first = plan.actions[0]!;
    assert.deepEqual(first.controls, ['CloudTrail.5']);
    const filters = plan.steps.filter((s) => s.call.operation === 'PutMetricFilter');
    assert.ok(filters.every((s) => s.call.input.logGroupName === 'aws-cloudtrail-logs-Main'));
    for (const action of plan.actions.slice(1)) assert.ok(action.dependsOn.includes(first.id), action.id);
  });

  it('renders the new calls as Terraform and CloudFormation', () => {
    const snap = bareChain();
    const plan = buildPlan(snap, MONITORING.slice(0, 1), { alertEmail: 'sec@example.com' });
    const hcl = renderPlanTerraform(plan, snap);
    for (const r of [
      'resource "aws_sns_topic" "trailcheck_cis_alarms"',
      'resource "aws_sns_topic_subscription"',
      'topic_arn = aws_sns_topic.trailcheck_cis_alarms.arn',
      'resource "aws_cloudwatch_log_metric_filter" "trailcheck_cloudwatch_1"',
      `log_group_name = "${LOG_GROUP}"`,
      'resource "aws_cloudwatch_metric_alarm"',
      'alarm_actions = [\n    aws_sns_topic.trailcheck_cis_alarms.arn,\n  ]',
      'statistic = "Sum"',
      'period = 300',
    ])
      assert.ok(hcl.includes(r), `${r} in\n${hcl}`);
    const yaml = renderPlanCloudFormation(plan, snap);
    for (const r of [
      'Type: AWS::SNS::Topic',
      'Type: AWS::SNS::Subscription',
      'Type: AWS::Logs::MetricFilter',
      'Type: AWS::CloudWatch::Alarm',
      'Ref: TrailcheckCisAlarms',
      `LogGroupName: ${LOG_GROUP}`,
    ])
      assert.ok(yaml.includes(r), `${r} in\n${yaml}`);
  });

  it('iam-policy --for fix grants the new calls and their undos', () => {
    const actions = fixPolicy(MONITORING).Statement.flatMap((s) => s.Action);
    for (const [service, operation] of MONITORING_FIX_CALLS)
      assert.ok(actions.includes(iamActionOf({ service, operation })), `${service}:${operation}`);
  });
});

describe('monitoring fix: the undo of each call', () => {
  const snap = bareChain({ arn: TOPIC, subscriptions: confirmed() });
  const call = (
    service: ApiCall['service'],
    operation: string,
    input: ApiCall['input'],
    output?: string,
  ): ApiCall => ({
    service,
    operation,
    region: REGION,
    input,
    ...(output ? { output } : {}),
  });
  const filter = (name: string) =>
    call('logs', 'PutMetricFilter', {
      logGroupName: LOG_GROUP,
      filterName: name,
      filterPattern: '{ $.x = 1 }',
      metricTransformations: [{ metricName: 'm', metricNamespace: 'n', metricValue: '1' }],
    });
  const withFilter = structuredClone(snap);
  withFilter.monitoring!.logGroups[0]!.metricFilters = ok(
    { MetricFilters: [{ filterName: 'taken', filterPattern: '{ $.y = 2 }', metricTransformations: [] }] },
    'logs:DescribeMetricFilters',
  );
  const withAlarm = structuredClone(snap);
  withAlarm.monitoring!.alarms = [
    { region: REGION, result: ok({ MetricAlarms: [{ AlarmName: 'taken' }] }, 'cloudwatch:DescribeAlarms') },
  ];
  const cases: Array<{
    name: string;
    call: ApiCall;
    before: Snapshot;
    created?: string[];
    undo: string[] | string;
  }> = [
    { name: 'a new filter is deleted', call: filter('new'), before: snap, undo: ['logs:DeleteMetricFilter'] },
    {
      name: 'a filter of that name exists: no undo (its metric value is not read), so it is never planned',
      call: filter('taken'),
      before: withFilter,
      undo: 'metric value',
    },
    {
      name: 'a filter on a group this run created is deleted (the group is kept)',
      call: filter('taken'),
      before: withFilter,
      created: [`loggroup:${REGION}:${LOG_GROUP}`],
      undo: ['logs:DeleteMetricFilter'],
    },
    {
      name: 'a new alarm is deleted',
      call: call('cloudwatch', 'PutMetricAlarm', { AlarmName: 'new' }),
      before: snap,
      undo: ['cloudwatch:DeleteAlarms'],
    },
    {
      name: 'an alarm of that name exists: no undo',
      call: call('cloudwatch', 'PutMetricAlarm', { AlarmName: 'taken' }),
      before: withAlarm,
      undo: 'exists already',
    },
    {
      name: 'a topic this run created is deleted',
      call: call('sns', 'CreateTopic', { Name: 'trailcheck-cis-alarms' }),
      before: snap,
      undo: ['sns:DeleteTopic'],
    },
    {
      name: 'a subscription to a new topic goes with the topic',
      call: call('sns', 'Subscribe', { TopicArn: NEW_TOPIC, Protocol: 'email', Endpoint: 'a@b.c' }, 'sub'),
      before: snap,
      created: [`topic:${REGION}:trailcheck-cis-alarms`],
      undo: [],
    },
    {
      name: 'a subscription to an existing topic is removed by the ARN Subscribe returned',
      call: call('sns', 'Subscribe', { TopicArn: TOPIC, Protocol: 'email', Endpoint: 'a@b.c' }, 'sub'),
      before: snap,
      undo: ['sns:Unsubscribe'],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const undo = undoFor(c.call, c.before, new Set(c.created ?? []));
      if (typeof c.undo === 'string') {
        assert.ok(undo instanceof NoUndo);
        assert.match(undo.reason, new RegExp(c.undo));
      } else {
        assert.ok(!(undo instanceof NoUndo), undo instanceof NoUndo ? undo.reason : '');
        assert.deepEqual(ops(undo.calls), c.undo);
      }
    });

  it('each undo puts the simulated chain back as it was', () => {
    const options = { alertEmail: 'sec@example.com' };
    const plan = buildPlan(snap, MONITORING.slice(0, 2), options);
    let state = snap;
    const outputs = new Map<string, unknown>();
    state = simulateCalls(
      state,
      plan.steps.map((s) => s.call),
      outputs,
    ).snapshot;
    const undos = [...plan.steps].reverse().flatMap((s) => s.undo.calls);
    state = simulateCalls(state, undos, outputs).snapshot;
    assert.deepEqual(state.monitoring, snap.monitoring);
    assert.equal(LOG_GROUP_ARN.endsWith(':*'), true);
  });
});
