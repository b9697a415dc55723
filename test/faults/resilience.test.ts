/**
 * Retries, the per-Region time limit and Region discovery under faults, in process and through the CLI: a
 * transient fault costs nothing, a Region that does not answer is cut off with the reason while the rest
 * is assessed, and a scan never hangs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect } from '../../src/collect/index.js';
import { CONTROLS } from '../../src/controls/index.js';
import { assess } from '../../src/judge/assess.js';
import type { Assessment } from '../../src/judge/assess.js';
import { JsonReportSchema } from '../../src/report/json.js';
import { plain } from '../../src/core/rich.js';
import type { AwsAccessOptions } from '../../src/aws/clients.js';
import { motoEnv } from '../support/aws.js';
import { runTrailcheck } from '../support/cli.js';
import { useFaultProxy } from '../support/fault-suite.js';
import { COMPLIANT_LAKE, compliantScenario } from '../support/scenarios/compliant.js';
import { lakeRules } from '../support/scenarios/lake.js';

const suite = useFaultProxy();
const REGIONS = ['us-east-1', 'eu-west-1'];

async function scan(access: AwsAccessOptions, regions: string[] | null = REGIONS) {
  const snapshot = await collect({ access, regions, controls: CONTROLS });
  return { snapshot, assessment: assess(snapshot, CONTROLS) };
}

/** CloudTrail Lake, which moto lacks, answered by the proxy as in the compliant scenario. */
function answerLake(): void {
  for (const rule of lakeRules(COMPLIANT_LAKE, REGIONS)) suite.proxy.addRule(rule);
}

const statuses = (assessment: Assessment) => assessment.results.map((r) => `${r.control.id} ${r.status}`);
const ALL_PASS = CONTROLS.map((c) => `${c.id} PASS`);

/** The CLI, through the proxy. */
function proxyEnv(): NodeJS.ProcessEnv {
  return { ...motoEnv(suite.moto), AWS_ENDPOINT_URL: suite.proxy.endpoint };
}

describe('retries', () => {
  for (const retryMode of ['standard', 'adaptive'] as const) {
    it(`${retryMode} retries get through faults that stop before the attempts run out`, async () => {
      await compliantScenario(suite.aws);
      // Adaptive mode also slows its own sending after a throttle: one is enough to show it recovers.
      const throttles = retryMode === 'standard' ? 2 : 1;
      suite.proxy.addRule({
        operation: 'DescribeTrails',
        region: 'eu-west-1',
        fault: { kind: 'throttle' },
        times: throttles,
      });
      suite.proxy.addRule({ operation: 'GetBucketLogging', fault: { kind: 'error', status: 500 }, times: 1 });
      suite.proxy.addRule({ operation: 'GetTrailStatus', fault: { kind: 'reset' }, times: 1 });
      answerLake();
      const { snapshot, assessment } = await scan({ ...suite.access, maxAttempts: 3, retryMode });
      assert.deepEqual(statuses(assessment), ALL_PASS);
      const listing = snapshot.stats.apiCalls.find(
        (c) => c.operation === 'cloudtrail:DescribeTrails' && c.region === 'eu-west-1',
      );
      assert.deepEqual(listing && [listing.calls, listing.attempts, listing.failures], [1, throttles + 1, 0]);
    });
  }

  it('the CLI honours AWS_RETRY_MODE and AWS_MAX_ATTEMPTS, and refuses values it cannot use', async () => {
    await compliantScenario(suite.aws);
    const rule = suite.proxy.addRule({
      operation: 'GetTrailStatus',
      region: 'us-east-1',
      fault: { kind: 'error', status: 500 },
      times: 4,
    });
    const env = { ...proxyEnv(), AWS_RETRY_MODE: 'adaptive', AWS_MAX_ATTEMPTS: '5' };
    const result = await runTrailcheck(['scan', '--region', 'us-east-1', '--format', 'json'], env);
    const report = JsonReportSchema.parse(JSON.parse(result.stdout));
    assert.equal(rule.hits, 4);
    const status = report.stats?.byOperation.find(
      (c) => c.operation === 'cloudtrail:GetTrailStatus' && c.region === 'us-east-1',
    );
    assert.deepEqual(status && [status.attempts, status.failures], [5, 0]);
    for (const [name, value] of [
      ['AWS_MAX_ATTEMPTS', '0'],
      ['AWS_RETRY_MODE', 'legacy'],
    ] as const) {
      const refused = await runTrailcheck(['scan'], { ...proxyEnv(), [name]: value });
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, new RegExp(`^trailcheck: ${name} must be`));
    }
  });

  it('attempts are bounded: a fault that never stops costs exactly maxAttempts tries', async () => {
    await compliantScenario(suite.aws);
    const rule = suite.proxy.addRule({
      operation: 'GetEventSelectors',
      region: 'us-east-1',
      fault: { kind: 'error', status: 503 },
    });
    const { snapshot } = await scan({ ...suite.access, maxAttempts: 3 });
    assert.equal(rule.hits, 3);
    const counted = snapshot.stats.apiCalls.find(
      (c) => c.operation === 'cloudtrail:GetEventSelectors' && c.region === 'us-east-1',
    );
    assert.deepEqual(counted && [counted.attempts, counted.failures], [3, 1]);
  });
});

describe('the time limit per Region', () => {
  it('a Region that never answers is cut off with the reason; the other Region is assessed', async () => {
    await compliantScenario(suite.aws);
    suite.proxy.addRule({ region: 'eu-west-1', fault: { kind: 'hang' } });
    // A socket timeout far beyond the Region's limit: only the limit can end the wait.
    const { snapshot, assessment } = await scan({
      ...suite.access,
      requestTimeoutMs: 60_000,
      regionTimeoutMs: 1_500,
    });
    const listing = snapshot.cloudtrail.discovery.find((d) => d.region === 'eu-west-1')?.result;
    assert.equal(listing?.ok, false);
    assert.equal(!listing.ok && listing.failure.code, 'DeadlineExceeded');
    assert.match(
      !listing.ok ? listing.failure.message : '',
      /time limit for Region eu-west-1 \(1\.5 s, --timeout\)/,
    );

    const byControl = new Map(assessment.results.map((r) => [r.control.id, r]));
    assert.equal(
      byControl.get('CloudTrail.1')?.status,
      'PASS',
      'the multi-Region trail homed in us-east-1 still counts',
    );
    for (const id of ['CloudTrail.2', 'CloudTrail.4', 'CloudTrail.7']) {
      const result = byControl.get(id);
      assert.equal(result?.status, 'UNKNOWN', id);
      const unknown = result.findings.find((f) => f.status === 'UNKNOWN');
      assert.match(plain(unknown!.message), /eu-west-1 .*the time limit for Region eu-west-1/);
      assert.ok(
        result.findings.some((f) => f.status === 'PASS' && f.resource.region === 'us-east-1'),
        id,
      );
    }
  });

  it('throttling without end, with an hour-long Retry-After, still ends at the limit', async () => {
    await compliantScenario(suite.aws);
    suite.proxy.addRule({ region: 'eu-west-1', fault: { kind: 'throttle', retryAfterSeconds: 3600 } });
    const { assessment } = await scan({ ...suite.access, maxAttempts: 10, regionTimeoutMs: 1_500 });
    assert.equal(assessment.results.find((r) => r.control.id === 'CloudTrail.4')?.status, 'UNKNOWN');
    assert.equal(assessment.results.find((r) => r.control.id === 'CloudTrail.1')?.status, 'PASS');
  });

  it('scan --timeout through the CLI: exit 1, the cut-off Region UNKNOWN in the JSON, the rest assessed', async () => {
    await compliantScenario(suite.aws);
    suite.proxy.addRule({ region: 'eu-west-1', fault: { kind: 'hang' } });
    const result = await runTrailcheck(
      ['scan', '--region', 'us-east-1,eu-west-1', '--timeout', '2', '--format', 'json'],
      proxyEnv(),
    );
    assert.equal(result.code, 1, result.stderr);
    const report = JsonReportSchema.parse(JSON.parse(result.stdout));
    const cutOff = report.findings.filter((f) =>
      f.evidence.some((e) => e.error?.code === 'DeadlineExceeded'),
    );
    assert.ok(cutOff.length >= 3, 'the per-trail controls name the Region that ran out of time');
    assert.ok(report.findings.some((f) => f.status === 'PASS' && f.resource.region === 'us-east-1'));
  });

  it('a scan where nothing answers ends at the limit with one line and exit 3', async () => {
    suite.proxy.addRule({ fault: { kind: 'hang' } });
    const result = await runTrailcheck(['scan', '--timeout', '1'], proxyEnv());
    assert.equal(result.code, 3);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /^trailcheck: cannot reach AWS STS in us-east-1 \(DeadlineExceeded\)/);
  });

  it('collect takes --timeout too, and both refuse a value that is not a number of seconds', async () => {
    for (const [command, value] of [
      ['collect', '0'],
      ['scan', 'soon'],
      ['collect', '99999'],
    ] as const) {
      const result = await runTrailcheck([command, '--timeout', value], proxyEnv());
      assert.equal(result.code, 2, `${command} --timeout ${value}`);
      assert.match(result.stderr, /^trailcheck: --timeout needs a number of seconds from 1 to 3600/);
    }
  });
});

describe('Region discovery under faults', () => {
  it('without --region, a failed DescribeRegions leaves per-trail controls UNKNOWN, naming the permission', async () => {
    await compliantScenario(suite.aws);
    suite.proxy.addRule({
      operation: 'DescribeRegions',
      fault: { kind: 'error', status: 403, code: 'UnauthorizedOperation' },
    });
    const { snapshot, assessment } = await scan(suite.access, null);
    assert.deepEqual(snapshot.scope.regions, ['us-east-1']);
    assert.match(assessment.notes.join('\n'), /only us-east-1 was scanned/);
    const log = assessment.results.find((r) => r.control.id === 'CloudTrail.4');
    assert.equal(log?.status, 'UNKNOWN');
    assert.ok(log.findings.some((f) => f.remediation?.permissions?.includes('ec2:DescribeRegions')));
  });
});
