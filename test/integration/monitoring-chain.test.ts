/**
 * The CIS Monitoring checks on moto, through the real collector: trail → log group → metric filter →
 * alarm → SNS topic. Every CIS pattern as printed passes; respelled patterns pass; an incomplete one
 * fails naming the event it misses; a topic nobody confirmed fails; a topic trailcheck may not read is
 * UNKNOWN with the permission – and the chain costs one call per link, not one per control.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS } from '../../src/controls/index.js';
import { scanActions } from '../../src/controls/scan-policy.js';
import { plain } from '../../src/core/rich.js';
import { findFramework } from '../../src/controls/frameworks.js';
import { assess } from '../../src/judge/assess.js';
import { collectFromMoto, findingsOf, restrictedScanner, useMoto } from '../support/moto-suite.js';
import { withMotoQuirks } from '../support/scenarios/more-builders.js';
import { printedCisFilters, seedMonitoringChain } from '../support/scenarios/monitoring.js';
import { SEED_TRAIL, seedScenario } from '../support/scenarios/seed.js';

const suite = useMoto();
const MONITORING = CONTROLS.filter(
  (c) => c.id.startsWith('CloudWatch.') || c.id === 'TC.OrganizationsChanges',
);

const PRINTED = printedCisFilters();

async function scan(credentials?: { accessKeyId: string; secretAccessKey: string }) {
  const snapshot = await collectFromMoto(suite, {
    controls: MONITORING,
    regions: ['us-east-1'],
    ...(credentials ? { credentials } : {}),
  });
  return { snapshot, assessment: assess(snapshot, MONITORING) };
}

describe('CIS Monitoring on moto, per benchmark version', () => {
  it('v5.0’s printed patterns pass all fifteen under --framework cis-5.0; by default (v1.2.0, Security Hub’s) CloudWatch.2 fails: v5.0 leaves out HeadBucket and log delivery', async () => {
    await seedScenario(suite.aws);
    await seedMonitoringChain(suite.aws, { trail: SEED_TRAIL, filters: printedCisFilters('cis-5.0') });
    const { snapshot, assessment } = await scan();
    const v5 = assess(snapshot, MONITORING, { framework: findFramework('cis-5.0') });
    for (const control of MONITORING) {
      const finding = only(v5, control.id);
      assert.equal(finding.status, 'PASS', `${control.id}: ${plain(finding.message)}`);
      assert.ok(plain(finding.message).includes('CIS v5.0.0'), control.id);
      const byDefault = only(assessment, control.id);
      const narrower = control.id === 'CloudWatch.2';
      assert.equal(
        byDefault.status,
        narrower ? 'FAIL' : 'PASS',
        `${control.id}: ${plain(byDefault.message)}`,
      );
      if (narrower)
        assert.match(plain(byDefault.message), /every event CIS v1\.2\.0 lists: filter CloudWatch-2 misses/);
    }
  });
});

function only(assessment: ReturnType<typeof assess>, id: string) {
  const [finding, ...rest] = findingsOf(assessment, id);
  assert.equal(rest.length, 0);
  assert.ok(finding, `${id} has a finding`);
  return finding;
}

describe('CIS Monitoring on moto', () => {
  it('passes all fifteen checks on their printed patterns, with one call per link of the chain', async () => {
    await seedScenario(suite.aws);
    await seedMonitoringChain(suite.aws, { trail: SEED_TRAIL, filters: PRINTED });
    const { snapshot, assessment } = await scan();
    for (const control of MONITORING) {
      const finding = only(assessment, control.id);
      assert.equal(finding.status, 'PASS', `${control.id}: ${plain(finding.message)}`);
    }
    const calls = (operation: string) =>
      snapshot.stats.apiCalls.filter((c) => c.operation === operation).reduce((n, c) => n + c.calls, 0);
    assert.equal(calls('logs:DescribeMetricFilters'), 1);
    assert.equal(calls('cloudwatch:DescribeAlarms'), 1);
    assert.equal(calls('sns:ListSubscriptionsByTopic'), 1);
  });

  it('passes respelled patterns: spacing, order of terms, quoting and extra OR terms', async () => {
    await seedScenario(suite.aws);
    await seedMonitoringChain(suite.aws, {
      trail: SEED_TRAIL,
      filters: {
        root: '{$.eventType!="AwsServiceEvent"&&$.userIdentity.invokedBy NOT EXISTS&&$.userIdentity.type=Root}',
        trail:
          '{ ($.eventName = "StopLogging") || ($.eventName = "DeleteTrail") || ($.eventName = "PutEventSelectors") || ($.eventName = "UpdateTrail") || ($.eventName = "CreateTrail") || ($.eventName = "StartLogging") }',
        iam: `{ ${[
          'DetachGroupPolicy',
          'AttachGroupPolicy',
          'DetachUserPolicy',
          'AttachUserPolicy',
          'DetachRolePolicy',
          'AttachRolePolicy',
          'DeletePolicyVersion',
          'CreatePolicyVersion',
          'DeletePolicy',
          'CreatePolicy',
          'PutUserPolicy',
          'PutRolePolicy',
          'PutGroupPolicy',
          'DeleteUserPolicy',
          'DeleteRolePolicy',
          'DeleteGroupPolicy',
          'CreateUser',
        ]
          .map((e) => `$.eventName = "${e}"`)
          .join(' || ')} }`,
      },
    });
    const { assessment } = await scan();
    for (const id of ['CloudWatch.1', 'CloudWatch.4', 'CloudWatch.5'])
      assert.equal(only(assessment, id).status, 'PASS', plain(only(assessment, id).message));
    assert.equal(only(assessment, 'CloudWatch.2').status, 'FAIL');
  });

  it('fails an incomplete pattern, naming the event it misses', async () => {
    await seedScenario(suite.aws);
    await seedMonitoringChain(suite.aws, {
      trail: SEED_TRAIL,
      filters: {
        trail:
          '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }',
      },
    });
    const finding = only((await scan()).assessment, 'CloudWatch.5');
    assert.equal(finding.status, 'FAIL');
    assert.match(plain(finding.message), /filter trail misses eventName=StopLogging/);
  });

  it('fails when the alarm’s topic has no confirmed subscription', async () => {
    await seedScenario(suite.aws);
    const { topicArn } = await seedMonitoringChain(suite.aws, {
      trail: SEED_TRAIL,
      filters: { root: PRINTED['CloudWatch-1'] as string },
      subscribe: false,
    });
    const finding = only((await scan()).assessment, 'CloudWatch.1');
    assert.equal(finding.status, 'FAIL');
    assert.equal(
      plain(finding.message),
      `Nobody is alerted to use of the root user: alarm root-alarm notifies SNS topic ${topicArn}, which has no subscription.`,
    );
  });

  it('is UNKNOWN, naming the permission, when the topic may not be read', async () => {
    await seedScenario(suite.aws);
    await seedMonitoringChain(suite.aws, {
      trail: SEED_TRAIL,
      filters: { root: PRINTED['CloudWatch-1'] as string },
    });
    const allowed = scanActions(MONITORING).filter((a) => a !== 'sns:ListSubscriptionsByTopic');
    const credentials = await restrictedScanner(suite, withMotoQuirks(allowed));
    const result = await scan(credentials);
    const finding = only(result.assessment, 'CloudWatch.1');
    assert.equal(finding.status, 'UNKNOWN', plain(finding.message));
    assert.deepEqual(finding.remediation?.permissions, ['sns:ListSubscriptionsByTopic']);
  });

  it('reads none of the chain when no monitoring check is chosen', async () => {
    await seedScenario(suite.aws);
    await seedMonitoringChain(suite.aws, { trail: SEED_TRAIL, filters: PRINTED });
    const snapshot = await collectFromMoto(suite, {
      controls: CONTROLS.filter((c) => c.id === 'CloudTrail.5'),
      regions: ['us-east-1'],
    });
    assert.equal(snapshot.monitoring, undefined);
    assert.ok(!snapshot.stats.apiCalls.some((c) => /^(logs|cloudwatch|sns):/.test(c.operation)));
  });
});
