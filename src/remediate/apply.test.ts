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
import { applyPlan } from './apply.js';
import { buildPlan } from './plan.js';

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
