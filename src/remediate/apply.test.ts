/**
 * The executor's own rules, with a recording stand-in for the SDK clients (moto settles instantly and
 * cannot show them): a step AWS refuses while a new role settles is tried again; any other failure stops
 * the plan, and the steps done are undone last first, even when one undo fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AwsClientFactory } from '../aws/clients.js';
import { CONTROLS } from '../controls/index.js';
import { everyFixSnapshot } from '../../test/support/plan-snapshots.js';
import { applyPlan, rollBack } from './apply.js';
import type { JournalRecord, NewRecord } from './journal.js';
import { pendingRollback } from './rollback.js';
import { buildPlan } from './plan.js';
import type { Snapshot } from '../snapshot/schema.js';

interface Sent {
  command: string;
  input: Record<string, unknown>;
}

/** A factory whose clients record each command and fail as `fail` says (by command name and count). */
function recordingFactory(fail: (command: string, count: number) => string | undefined) {
  const sent: Sent[] = [];
  const counts = new Map<string, number>();
  const client = {
    send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name.replace(/Command$/, '');
      const count = (counts.get(name) ?? 0) + 1;
      counts.set(name, count);
      sent.push({ command: name, input: command.input });
      const error = fail(name, count);
      if (error) return Promise.reject(Object.assign(new Error(`${error} (test)`), { name: error }));
      if (name === 'CreateKey')
        return Promise.resolve({
          KeyMetadata: { KeyId: 'k-1', Arn: 'arn:aws:kms:eu-west-1:123456789012:key/k-1' },
        });
      return Promise.resolve({});
    },
  };
  const factory = {
    cloudTrail: () => client,
    s3: () => client,
    kms: () => client,
    logs: () => client,
    iam: () => client,
    cloudWatch: () => client,
    sns: () => client,
  } as unknown as AwsClientFactory;
  return { factory, sent };
}

describe('applying a plan', () => {
  const plan = buildPlan(everyFixSnapshot(), CONTROLS);

  it('tries a step again while AWS does not yet see the new role, then goes on', async () => {
    const { factory, sent } = recordingFactory((command, count) =>
      command === 'UpdateTrail' && count <= 2 ? 'InvalidCloudWatchLogsRoleArnException' : undefined,
    );
    const result = await applyPlan(factory, plan, { settleDelayMs: 1 });
    assert.equal(result.ok, true);
    const first = result.steps.find((s) => s.step.call.operation === 'UpdateTrail');
    assert.equal(first?.attempts, 3);
    assert.equal(sent.length, plan.steps.length + 2);
  });

  it('passes a new key’s ARN, as AWS made it, to the steps that use it', async () => {
    const { factory, sent } = recordingFactory(() => undefined);
    await applyPlan(factory, plan);
    const update = sent.find((s) => s.command === 'UpdateTrail' && 'KmsKeyId' in s.input);
    assert.equal(update?.input.KmsKeyId, 'arn:aws:kms:eu-west-1:123456789012:key/k-1');
    assert.equal(sent.find((s) => s.command === 'CreateAlias')?.input.TargetKeyId, update?.input.KmsKeyId);
  });

  it('stops at a refused step and undoes the others last first; a failed undo is reported with its command', async () => {
    const failing = plan.steps.find((s) => s.call.operation === 'PutRolePolicy');
    assert.ok(failing);
    const { factory, sent } = recordingFactory((command) =>
      command === 'PutRolePolicy' ? 'AccessDenied' : command === 'DeleteRole' ? 'DeleteConflict' : undefined,
    );
    const result = await applyPlan(factory, plan, { settleDelayMs: 1 });
    assert.equal(result.ok, false);
    assert.equal(result.steps.find((s) => s.status === 'failed')?.step.number, failing.number);
    assert.ok(
      result.steps.filter((s) => s.step.number > failing.number).every((s) => s.status === 'not run'),
    );
    assert.deepEqual(
      result.rollback.map((u) => u.step.number),
      plan.steps
        .filter((s) => s.number < failing.number)
        .map((s) => s.number)
        .reverse(),
    );
    const role = result.rollback.find((u) => u.step.call.operation === 'CreateRole');
    assert.equal(role?.status, 'failed');
    assert.match(
      role?.commands[0] ?? '',
      /^aws iam delete-role --role-name CloudTrailToCloudWatchLogs-Audit$/,
    );
    // The undos were sent after the failure, newest change first.
    const afterFailure = sent
      .slice(sent.findIndex((s) => s.command === 'PutRolePolicy') + 1)
      .map((s) => s.command);
    assert.equal(afterFailure[0], 'DeleteRole');
    assert.ok(afterFailure.includes('PutBucketPolicy'), 'the old bucket policy is put back');
    assert.ok(!afterFailure.includes('ScheduleKeyDeletion') && !afterFailure.includes('DeleteLogGroup'));
  });
});

describe('an interrupt while applying', () => {
  const plan = buildPlan(everyFixSnapshot(), CONTROLS);
  /** Records as the journal would hold them (without the times). */
  const recorder = () => {
    const records: NewRecord[] = [];
    return { records, journal: { append: (r: NewRecord) => void records.push(r) } };
  };
  const outcomes = (records: NewRecord[]) => records.filter((r) => r.type === 'outcome').length;

  it('stops before the next step, undoes the steps done last first, and records intent, outcome and undo', async () => {
    const { factory, sent } = recordingFactory(() => undefined);
    const { records, journal } = recorder();
    const result = await applyPlan(factory, plan, {
      journal,
      interrupt: { stopRequested: () => outcomes(records) >= 3, rollbackAbandoned: () => false },
    });
    assert.equal(result.ok, false);
    assert.equal(result.interrupted, true);
    assert.deepEqual(
      result.steps.map((s) => s.status),
      plan.steps.map((_, i) => (i < 3 ? 'done' : 'not run')),
    );
    assert.deepEqual(
      result.rollback.map((u) => u.step.number),
      [3, 2, 1],
    );
    assert.equal(sent.filter((s) => !s.command.startsWith('Get')).length >= 3, true);
    assert.deepEqual(
      records.slice(0, 6).map((r) => `${r.type} ${'step' in r ? r.step : ''}`),
      ['intent 1', 'outcome 1', 'intent 2', 'outcome 2', 'intent 3', 'outcome 3'],
    );
    const intent = records[0];
    assert.ok(intent?.type === 'intent');
    assert.deepEqual(intent.undo, plan.steps[0]?.undo);
    assert.equal(records.filter((r) => r.type === 'undo').length, 3);
    assert.deepEqual(records.at(-1), { type: 'end', result: 'interrupted' });
  });

  it('an interrupt during the last step still undoes every step done: it does not count as applied', async () => {
    const { factory } = recordingFactory(() => undefined);
    const { records, journal } = recorder();
    const last = plan.steps.length;
    const result = await applyPlan(factory, plan, {
      journal,
      // Asked for once the last step's intent is recorded, that is while its call is in flight.
      interrupt: {
        stopRequested: () => records.some((r) => r.type === 'intent' && r.step === last),
        rollbackAbandoned: () => false,
      },
    });
    assert.equal(result.ok, false);
    assert.equal(result.interrupted, true);
    assert.ok(result.steps.every((s) => s.status === 'done'));
    assert.deepEqual(
      result.rollback.map((u) => u.step.number),
      plan.steps.map((s) => s.number).reverse(),
    );
    assert.deepEqual(records.at(-1), { type: 'end', result: 'interrupted' });
  });

  it('a third interrupt stops the rollback: the steps left are "not undone" and have no undo record', async () => {
    const { factory } = recordingFactory(() => undefined);
    const { records, journal } = recorder();
    const result = await applyPlan(factory, plan, {
      journal,
      interrupt: {
        stopRequested: () => outcomes(records) >= 4,
        rollbackAbandoned: () => records.filter((r) => r.type === 'undo').length >= 1,
      },
    });
    assert.equal(result.rollback[0]?.status !== 'not undone', true);
    const left = result.rollback.filter((u) => u.status === 'not undone').map((u) => u.step.number);
    assert.ok(left.length > 0);
    const undoneInJournal = records.flatMap((r) => (r.type === 'undo' ? [r.step] : []));
    assert.ok(left.every((n) => !undoneInJournal.includes(n)));
    assert.deepEqual(records.at(-1), { type: 'end', result: 'rollback stopped' });
  });
});

describe('an interrupt while a step waits for IAM to settle', () => {
  it('does not wait out the retries: the step counts as failed, the run as interrupted', async () => {
    const plan = buildPlan(everyFixSnapshot(), CONTROLS);
    const { factory, sent } = recordingFactory((command) =>
      command === 'UpdateTrail' ? 'InvalidCloudWatchLogsRoleArnException' : undefined,
    );
    const started = Date.now();
    const result = await applyPlan(factory, plan, {
      settleDelayMs: 60_000,
      interrupt: {
        stopRequested: () => sent.some((s) => s.command === 'UpdateTrail'),
        rollbackAbandoned: () => false,
      },
    });
    assert.ok(Date.now() - started < 5_000, 'it stopped within the first wait');
    assert.equal(result.interrupted, true);
    assert.equal(result.steps.find((s) => s.status === 'failed')?.attempts, 1);
    assert.equal(sent.filter((s) => s.command === 'UpdateTrail').length, 1);
  });
});

describe('rolling back from a journal', () => {
  const plan = buildPlan(everyFixSnapshot(), CONTROLS);

  it('undoes the done and possibly-done steps, tolerates what is not there, and a second pass finds nothing', async () => {
    // A run killed while the alias step was in flight: its intent is written, its outcome never was.
    const alias = plan.steps.find((s) => s.call.operation === 'CreateAlias');
    assert.ok(alias);
    const { factory: applier } = recordingFactory(() => undefined);
    const records: JournalRecord[] = [
      { type: 'start', version: 1, tool: 't', account: '123456789012', at: 'x', steps: plan.steps.length },
    ];
    const journal = {
      append: (r: NewRecord) => void records.push({ ...r, at: 'x' }),
    };
    await applyPlan(applier, plan, {
      journal,
      interrupt: {
        // Stop once the alias step was announced; then drop its outcome, as SIGKILL would.
        stopRequested: () => records.some((r) => r.type === 'intent' && r.step === alias.number),
        rollbackAbandoned: () => true,
      },
    });
    const cut = records.findIndex((r) => r.type === 'outcome' && r.step === alias.number);
    records.splice(cut);
    const pending = pendingRollback(records);
    assert.deepEqual([...pending.possiblyDone], [alias.number]);
    assert.equal(pending.steps.at(-1)?.number, alias.number);

    const { factory, sent } = recordingFactory((command) =>
      command === 'DeleteAlias' ? 'NotFoundException' : undefined,
    );
    const undos = await rollBack(factory, pending.steps, pending.outputs, { journal, tolerateAbsent: true });
    assert.equal(undos[0]?.step.number, alias.number);
    assert.equal(undos[0]?.status, 'nothing to undo', 'an alias that was never made is fine');
    assert.ok(undos.every((u) => u.status !== 'failed'));
    assert.ok(sent.some((s) => s.command === 'DeleteAlias'));
    assert.equal(pendingRollback(records).steps.length, 0, 'a second rollback undoes nothing');
  });
});

describe('rolling back the monitoring fixes from a journal', () => {
  it('a filter, alarm or subscription that is not there any more counts as undone, in each service’s own words', async () => {
    const snap: Snapshot = { ...everyFixSnapshot(), monitoring: { logGroups: [], alarms: [], topics: [] } };
    const plan = buildPlan(snap, CONTROLS, {
      alertEmail: 'sec@example.com',
      // The topic exists already (a name probe found it), so the subscription is undone by Unsubscribe.
      remediation: { existing: { topics: ['us-east-1:trailcheck-cis-alarms'] } },
    });
    // The first filter and alarm, and the subscription, in plan order.
    const steps = ['Subscribe', 'PutMetricFilter', 'PutMetricAlarm']
      .flatMap((operation) => plan.steps.find((s) => s.call.operation === operation) ?? [])
      .sort((a, b) => a.number - b.number);
    assert.equal(steps.length, 3);
    const outputs = new Map([
      ['alertSubscription', { SubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:t:1' }],
    ]);
    const absent: Record<string, string> = {
      DeleteMetricFilter: 'ResourceNotFoundException',
      DeleteAlarms: 'ResourceNotFound',
      Unsubscribe: 'NotFound',
    };
    const { factory, sent } = recordingFactory((command) => absent[command]);
    const undos = await rollBack(factory, steps, outputs, { tolerateAbsent: true });
    assert.deepEqual(
      undos.map((u) => [u.step.number, u.status]),
      [...steps].reverse().map((step) => [step.number, 'nothing to undo']),
    );
    assert.deepEqual(sent.map((s) => s.command).sort(), [
      'DeleteAlarms',
      'DeleteMetricFilter',
      'Unsubscribe',
    ]);
    assert.deepEqual(sent.find((s) => s.command === 'Unsubscribe')?.input, {
      SubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:t:1',
    });
  });
});
