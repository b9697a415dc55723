/**
 * The planner on hand-built snapshots: what it merges, how it orders, that every undo restores the state
 * before its step, and what it leaves to the user and why.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS, findControl } from '../controls/index.js';
import type { ControlDefinition } from '../controls/types.js';
import { SnapshotView } from '../evaluate/view.js';
import type { Snapshot } from '../snapshot/schema.js';
import { everyFixSnapshot, noTrailSnapshot } from '../../test/support/plan-snapshots.js';
import { denied, snapshot, trail } from '../../test/support/snapshot-builder.js';
import { operationName, text } from '../fixes/calls.js';
import { buildPlan } from './plan.js';
import type { Plan } from './plan.js';
import { simulateCall, simulateCalls } from './simulate.js';
import { NoUndo, undoFor } from './undo.js';

const ops = (plan: Plan) => plan.steps.map((s) => `${s.number} ${operationName(s.call)}`);
const controls = (ids: string[]) => ids.map((id) => findControl(id) as ControlDefinition);

describe('the plan for a trail that fails every fix', () => {
  const snap = everyFixSnapshot();
  const plan = buildPlan(snap, CONTROLS);

  it('has no inconsistency, and every fixable control passes on the simulated account', () => {
    assert.deepEqual(plan.warnings, []);
    const after = new Map(plan.expected.map((e) => [e.control, e.after]));
    for (const id of [
      'CloudTrail.1',
      'CloudTrail.2',
      'CloudTrail.3',
      'CloudTrail.4',
      'CloudTrail.5',
      'CloudTrail.6',
      'CloudTrail.7',
      'TC.S3ObjectWrites',
      'TC.S3ObjectReads',
      'TC.DeliveryHealth',
      'TC.KmsKeyUsable',
      'TC.BucketPolicyScoped',
      'TC.BucketRetention',
      'TC.AccessLogTarget',
    ])
      assert.equal(after.get(id), 'PASS', id);
    // Tags need values only the user knows; Insights cost money per event; the CIS Monitoring alarms need
    // the address to alert (trailcheck proposes no fix for them yet): left to the user.
    const monitoring = [
      ...Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`),
      'TC.OrganizationsChanges',
    ];
    assert.deepEqual(
      plan.actions.filter((a) => a.kind === 'manual').map((a) => [a.controls[0], a.reason]),
      ['CloudTrail.9', ...monitoring, 'TC.Insights'].map((id) => [
        id,
        'it needs a decision or a value only you can give',
      ]),
    );
  });

  it('keeps the free management-event change and the charged S3 data-event change in steps of their own', () => {
    const puts = plan.steps.filter((s) => s.call.operation === 'PutEventSelectors');
    const management = puts.find((s) => s.actions.some((a) => a.startsWith('CloudTrail.1:')));
    const data = puts.find((s) => s.actions.some((a) => a.startsWith('TC.S3Object')));
    assert.ok(management && data, 'one step for each change');
    assert.notEqual(management.number, data.number);
    assert.deepEqual(management.actions, ['CloudTrail.1:123456789012'], 'the step serves CloudTrail.1 alone');
    assert.deepEqual(management.call.input.EventSelectors, [
      { ReadWriteType: 'All', IncludeManagementEvents: true },
    ]);
    // The data-event step comes after, keeps the management events, and adds S3 data events.
    assert.ok(data.number > management.number);
    const selectors = data.call.input.EventSelectors as Array<Record<string, unknown>>;
    assert.deepEqual(selectors[0], { ReadWriteType: 'All', IncludeManagementEvents: true });
    assert.ok(selectors.slice(1).every((s) => s.IncludeManagementEvents === false && s.DataResources));
  });

  it('merges the public-statement removal and the scoping of the CloudTrail grant into one bucket policy', () => {
    const puts = plan.steps.filter(
      (s) => s.call.operation === 'PutBucketPolicy' && s.call.input.Bucket === 'audit-logs',
    );
    assert.equal(puts.length, 1);
    const policy = JSON.parse(text(puts[0]?.call.input.Policy)) as {
      Statement: Array<Record<string, unknown>>;
    };
    assert.ok(!policy.Statement.some((s) => s.Sid === 'PublicRead'), 'the public statement is gone');
    const write = policy.Statement.find((s) => s.Action === 's3:PutObject');
    assert.deepEqual(write?.Condition, {
      StringEquals: {
        's3:x-amz-acl': 'bucket-owner-full-control',
        'aws:SourceArn': ['arn:aws:cloudtrail:us-east-1:123456789012:trail/Audit'],
      },
    });
    // Undone word for word: the policy as it was.
    assert.equal(
      puts[0]?.undo.calls[0]?.input.Policy,
      everyFixSnapshot().s3.buckets[0]?.policy?.ok
        ? (everyFixSnapshot().s3.buckets[0]!.policy as { value: { Policy: string } }).value.Policy
        : '',
    );
  });

  it('orders by need, then severity: the critical bucket fix first, a key before the trail uses it, a bucket before logging into it', () => {
    const list = ops(plan);
    assert.equal(plan.actions[0]?.controls[0], 'CloudTrail.6');
    const index = (op: string) => plan.steps.findIndex((s) => operationName(s.call) === op);
    const last = (op: string) => plan.steps.map((s) => operationName(s.call)).lastIndexOf(op);
    assert.ok(index('s3:PutBucketPolicy') < index('s3:PutPublicAccessBlock'), list.join('\n'));
    const kms = plan.steps.find((s) => s.call.operation === 'UpdateTrail' && 'KmsKeyId' in s.call.input);
    assert.ok((kms?.number ?? 0) > index('kms:CreateKey') + 1);
    assert.ok(last('s3:PutBucketLogging') > index('s3:CreateBucket'));
    const severities = plan.actions.filter((a) => a.kind === 'apply').map((a) => a.severity);
    assert.deepEqual(severities[0], 'critical');
  });

  it('undoes every step exactly, from the state just before it (a simulated round trip)', () => {
    let state: Snapshot = snap;
    const outputs = new Map<string, unknown>();
    for (const step of plan.steps) {
      const before = state;
      const result = simulateCall(state, step.call, outputs);
      if (step.call.output) outputs.set(step.call.output, result.output);
      state = result.snapshot;
      if (step.undo.kind !== 'revert' || !step.undo.exact) continue;
      const reverted = simulateCalls(state, step.undo.calls, new Map(outputs)).snapshot;
      const strip = (s: Snapshot) => {
        const copy = structuredClone(s);
        for (const t of copy.cloudtrail.trails)
          if (t.status?.ok) t.status.value = { IsLogging: t.status.value.IsLogging };
        for (const b of copy.s3.buckets) delete b.policyStatus;
        return copy;
      };
      assert.deepEqual(strip(reverted), strip(before), `step ${step.number} ${operationName(step.call)}`);
    }
  });

  it('keeps the new KMS key and log group on rollback and says how to remove them by hand', () => {
    const kept = plan.steps.filter((s) => s.undo.kind === 'keep').map((s) => operationName(s.call));
    assert.deepEqual(kept.sort(), ['kms:CreateKey', 'logs:CreateLogGroup']);
    const key = plan.steps.find((s) => s.call.operation === 'CreateKey');
    assert.equal(key?.undo.manual?.[0]?.operation, 'ScheduleKeyDeletion');
  });
});

describe('the plan for an account with no trail', () => {
  const plan = buildPlan(noTrailSnapshot(), CONTROLS);

  it('creates the trail first, then fixes the new trail and bucket in later actions that depend on it', () => {
    assert.deepEqual(plan.warnings, []);
    const create = plan.actions[0];
    assert.ok(create?.controls.includes('CloudTrail.1'));
    assert.deepEqual(ops(plan).slice(0, 6), [
      '1 s3:CreateBucket',
      '2 s3:PutPublicAccessBlock',
      '3 s3:PutBucketPolicy',
      '4 cloudtrail:CreateTrail',
      '5 cloudtrail:PutEventSelectors',
      '6 cloudtrail:StartLogging',
    ]);
    const later = plan.actions.slice(1).filter((a) => a.kind === 'apply');
    assert.ok(later.length >= 4, 'encryption, CloudWatch Logs, access logging, versioning of the new trail');
    for (const action of later) assert.ok(action.dependsOn.includes(create?.id ?? ''), action.id);
    const after = new Map(plan.expected.map((e) => [e.control, e.after]));
    assert.equal(after.get('CloudTrail.1'), 'PASS');
    assert.equal(after.get('CloudTrail.2'), 'PASS');
    assert.equal(after.get('CloudTrail.7'), 'PASS');
  });

  it('the new trail’s undo deletes it and the new bucket, nothing else', () => {
    const removes = plan.steps
      .filter((s) => s.undo.kind === 'remove')
      .map((s) => operationName(s.undo.calls[0]!));
    assert.ok(removes.includes('cloudtrail:DeleteTrail'));
    assert.ok(removes.includes('s3:DeleteBucket'));
    assert.ok(
      plan.steps.every((s) =>
        s.undo.calls.every(
          (c) => !['DeleteKey', 'ScheduleKeyDeletion', 'DeleteLogGroup'].includes(c.operation),
        ),
      ),
    );
  });
});

describe('what the planner leaves to the user', () => {
  it('a fix whose before-state was not read gets no undo, so it is not applied: the selectors were denied', () => {
    const snap = snapshot({
      trails: [
        trail({
          Name: 'Local',
          IsMultiRegionTrail: false,
          selectors: denied('cloudtrail:GetEventSelectors'),
        }),
      ],
    });
    const plan = buildPlan(snap, controls(['CloudTrail.1']));
    const [action] = plan.actions;
    assert.equal(action?.kind, 'manual');
    assert.equal(action?.reason, 'it has no safe undo: the event selectors of trail Local were not read');
    assert.deepEqual(plan.steps, []);
  });

  it('an UNKNOWN finding becomes a step to grant permissions, with no API call', () => {
    const snap = snapshot({ trails: [trail({ Name: 'Main', status: denied('cloudtrail:GetTrailStatus') })] });
    const plan = buildPlan(snap, controls(['TC.DeliveryHealth']));
    assert.deepEqual(
      plan.actions.map((a) => [a.kind, a.permissions, a.steps]),
      [['manual', ['cloudtrail:GetTrailStatus'], []]],
    );
  });

  it('undoFor refuses a change whose before-state is unknown', () => {
    const snap = snapshot({ trails: [trail({ Name: 'Main', status: null })] });
    const undo = undoFor(
      { service: 'cloudtrail', operation: 'StartLogging', region: 'us-east-1', input: { Name: 'Main' } },
      snap,
      new Set(),
    );
    assert.ok(undo instanceof NoUndo);
    assert.match(undo.reason, /whether trail Main is logging was not read/);
  });

  it('a trail that is logging already is not started again, and starting one that was stopped is undone by stopping it', () => {
    const running = snapshot({ trails: [trail({ Name: 'Main' })] });
    const undo = undoFor(
      { service: 'cloudtrail', operation: 'StartLogging', region: 'us-east-1', input: { Name: 'Main' } },
      running,
      new Set(),
    );
    assert.ok(!(undo instanceof NoUndo) && undo.kind === 'none');
    const view = new SnapshotView(running);
    assert.ok(view.trails.length === 1);
  });
});

describe('findings accepted with --ignore', () => {
  const snap = everyFixSnapshot();
  const mark = { reason: 'logged by the log archive', expires: '2099-12-31', source: 'ignore.yaml, entry 1' };
  const accepted = (f: { control: string; status: string }) =>
    f.control === 'CloudTrail.7' && f.status !== 'PASS' ? mark : undefined;
  const selected = controls(['CloudTrail.4', 'CloudTrail.7']);
  const plain = buildPlan(snap, selected);
  const plan = buildPlan(snap, selected, { remediation: { accepted } });

  it('are neither fixed nor left to the user, but listed apart with the entry that accepts them', () => {
    // Without the file, CloudTrail.7 is planned (a log bucket, then logging into it).
    assert.ok(plain.steps.some((s) => s.call.operation === 'PutBucketLogging'));
    assert.deepEqual(plain.accepted, []);
    assert.ok(!plan.steps.some((s) => s.call.operation === 'PutBucketLogging'));
    assert.ok(!plan.steps.some((s) => s.call.operation === 'CreateBucket'));
    assert.ok(!plan.actions.some((a) => a.controls.includes('CloudTrail.7')));
    assert.deepEqual(
      plan.accepted.map((a) => [a.control, a.status, a.reason, a.source]),
      [['CloudTrail.7', 'FAIL', mark.reason, mark.source]],
    );
  });

  it('leave the other findings planned as before', () => {
    assert.deepEqual(
      plan.steps.map((s) => operationName(s.call)),
      ['cloudtrail:UpdateTrail'],
    );
    assert.deepEqual(
      plan.expected.map((e) => [e.control, e.after]),
      [
        ['CloudTrail.4', 'PASS'],
        ['CloudTrail.7', 'FAIL'],
      ],
    );
  });
});
