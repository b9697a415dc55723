/**
 * `trailcheck iam-policy` against moto's IAM enforcement: a scan with exactly the scan policy reads
 * everything (no access-denied anywhere in its snapshot), and without any one of its actions something
 * is denied (naming that permission); a fix with exactly the fix policy applies and re-checks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanActions } from '../../src/controls/scan-policy.js';
import { CONTROLS, SEED_CONTROL_IDS } from '../../src/controls/index.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { fixJson, trailcheckOnMoto } from '../support/fix.js';
import { collectFromMoto, restrictedScanner, useMoto } from '../support/moto-suite.js';
import { createTrail, createTrailBucket } from '../support/scenarios/builders.js';
import {
  MOTO_EXTRA_ACTIONS,
  MOTO_FIX_EXTRA_ACTIONS,
  scannerWithPolicy,
  withMotoQuirks,
} from '../support/scenarios/more-builders.js';
import { seedMonitoringChain } from '../support/scenarios/monitoring.js';
import { SEED_TRAIL, seedScenario } from '../support/scenarios/seed.js';

const suite = useMoto();

/** Every failed call a snapshot records, as `operation kind permission`. */
function failures(snapshot: Snapshot): Array<{ operation: string; kind: string; permission?: string }> {
  const found: Array<{ operation: string; kind: string; permission?: string }> = [];
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (record.ok === false && typeof record.failure === 'object' && record.failure !== null) {
      const f = record.failure as { operation: string; kind: string; permission?: string };
      found.push({
        operation: f.operation,
        kind: f.kind,
        ...(f.permission ? { permission: f.permission } : {}),
      });
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(snapshot);
  return found;
}

/**
 * Actions a scan needs on AWS whose removal moto does not notice: moto authorises the call under another
 * name (its S3 action map, MOTO_EXTRA_ACTIONS), or never gets the call (no CloudTrail Lake store exists).
 */
const NOT_CHECKED_BY_MOTO: Readonly<Record<string, string>> = {
  'cloudtrail:GetEventDataStore': 'only called for an event data store, and moto has no CloudTrail Lake',
  's3:GetAccountPublicAccessBlock': 'moto authorises it as s3:GetPublicAccessBlock',
  's3:GetBucketPublicAccessBlock': 'moto authorises it as s3:GetPublicAccessBlock',
  's3:GetBucketPolicyStatus': 'moto authorises it as s3:ListBucket',
  's3:GetBucketObjectLockConfiguration': 'moto authorises it as s3:ListBucket',
  'cloudwatch:DescribeAlarms': 'moto authorises it as monitoring:DescribeAlarms, its signing name',
};

describe('iam-policy --for scan', () => {
  it('prints exactly the scan actions of the chosen controls as a policy document', async () => {
    const result = await trailcheckOnMoto(suite, ['iam-policy', '--for', 'scan']);
    assert.equal(result.code, 0);
    const policy = JSON.parse(result.stdout) as { Statement: Array<{ Action: string[]; Resource: string }> };
    assert.deepEqual(policy.Statement[0]?.Action, scanActions(CONTROLS));
    const seed = JSON.parse(
      (await trailcheckOnMoto(suite, ['iam-policy', '--for', 'scan', '--controls', 'CloudTrail.4'])).stdout,
    ) as { Statement: Array<{ Action: string[] }> };
    assert.deepEqual(seed.Statement[0]?.Action, ['cloudtrail:DescribeTrails', 'ec2:DescribeRegions']);
  });

  it('a scan with exactly that policy reads everything; without any one action, that read is denied', async () => {
    await seedScenario(suite.aws);
    // A whole CloudWatch chain, so the Monitoring checks' reads (filters, alarms, topics) are made too.
    await seedMonitoringChain(suite.aws, {
      trail: SEED_TRAIL,
      filters: { root: '{ $.userIdentity.type = "Root" }' },
    });
    const actions = scanActions(CONTROLS);
    const everything = await restrictedScanner(suite, withMotoQuirks(actions));
    const full = failures(await collectFromMoto(suite, { credentials: everything }));
    assert.deepEqual(
      full.filter((f) => f.kind === 'access-denied'),
      [],
      'the scan policy lets every read through',
    );
    const unnoticed: string[] = [];
    for (const action of actions) {
      await suite.moto.stopEnforcingIam();
      const credentials = await scannerWithPolicy(
        suite,
        [{ Effect: 'Allow', Action: withMotoQuirks(actions.filter((a) => a !== action)), Resource: '*' }],
        `scanner-without-${action.replace(/[^A-Za-z0-9]/g, '-')}`,
      );
      const denied = failures(await collectFromMoto(suite, { credentials })).filter(
        (f) => f.kind === 'access-denied',
      );
      if (action === 'ec2:DescribeRegions' || action === 'cloudtrail:DescribeTrails') {
        // Region discovery and trail listing are recorded as failures too (the scan goes on with less).
        assert.ok(
          denied.some((f) => f.permission === action),
          `${action} removed: its call is denied`,
        );
        continue;
      }
      if (denied.length === 0) unnoticed.push(action);
      else
        assert.ok(
          denied.every((f) => f.permission === action),
          `${action} removed: ${JSON.stringify(denied)}`,
        );
    }
    assert.deepEqual(unnoticed.sort(), Object.keys(NOT_CHECKED_BY_MOTO).sort());
  });
});

describe('iam-policy --for fix', () => {
  it('adds the name checks, each fix’s writes and undos, and PassRole only for the CloudWatch Logs role', async () => {
    const result = await trailcheckOnMoto(suite, [
      'iam-policy',
      '--for',
      'fix',
      '--controls',
      'CloudTrail.4,CloudTrail.5',
    ]);
    assert.equal(result.code, 0);
    const policy = JSON.parse(result.stdout) as {
      Statement: Array<{ Sid: string; Action: string[]; Resource: string; Condition?: unknown }>;
    };
    const bySid = new Map(policy.Statement.map((s) => [s.Sid, s]));
    assert.deepEqual(bySid.get('TrailcheckFix')?.Action, [
      'cloudtrail:UpdateTrail',
      'iam:CreateRole',
      'iam:DeleteRole',
      'iam:DeleteRolePolicy',
      'iam:PutRolePolicy',
      'logs:CreateLogGroup',
    ]);
    assert.deepEqual(bySid.get('TrailcheckPassCloudWatchLogsRole'), {
      Sid: 'TrailcheckPassCloudWatchLogsRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: 'arn:aws:iam::*:role/CloudTrailToCloudWatchLogs-*',
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudtrail.amazonaws.com' } },
    });
    assert.ok(bySid.get('TrailcheckRead')?.Action.includes('iam:GetRole'));
  });

  it('a fix with exactly that policy applies every fix of the seed account and more, and checks again', async () => {
    await seedScenario(suite.aws);
    await createTrailBucket(suite.aws, 'stopped-logs', 'Stopped');
    await createTrail(suite.aws, { name: 'Stopped', bucket: 'stopped-logs', logging: false });
    const controls = [
      ...SEED_CONTROL_IDS,
      'CloudTrail.5',
      'CloudTrail.6',
      'TC.DeliveryHealth',
      'TC.BucketRetention',
    ];
    const printed = await trailcheckOnMoto(suite, [
      'iam-policy',
      '--for',
      'fix',
      '--controls',
      controls.join(','),
    ]);
    const policy = JSON.parse(printed.stdout) as { Statement: Array<{ Action: string[] }> };
    const fixer = await scannerWithPolicy(suite, [
      {
        Effect: 'Allow',
        // moto checks neither resources outside S3 nor conditions: the actions are what it can test.
        Action: [
          ...policy.Statement.flatMap((s) => s.Action),
          ...MOTO_EXTRA_ACTIONS,
          ...MOTO_FIX_EXTRA_ACTIONS,
        ],
        Resource: '*',
      },
    ]);
    const { result, report } = await fixJson(
      suite,
      ['--apply', '--yes', '--controls', controls.join(',')],
      fixer,
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok((report.applied?.length ?? 0) >= 8, 'several fixes were applied');
    assert.deepEqual(
      report.verdicts?.filter((v) => v.after !== 'PASS'),
      [],
    );
  });
});
