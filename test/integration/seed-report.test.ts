/**
 * The acceptance test: the seed scenario on the emulator, scanned by the real CLI through
 * AWS_ENDPOINT_URL, gives the seed report: 2 of 4 passed, MooncloudCisTest and its bucket named.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsonReportSchema } from '../../src/report/json.js';
import { parseSnapshot } from '../../src/snapshot/io.js';
import { motoEnv } from '../support/aws.js';
import { runTrailcheck } from '../support/cli.js';
import { useMoto } from '../support/moto-suite.js';
import { SEED_BUCKET, SEED_TRAIL, seedScenario } from '../support/scenarios/seed.js';

const suite = useMoto();

const count = (text: string, needle: string) => text.split(needle).length - 1;
const SEED_CONTROLS = ['--controls', 'CloudTrail.1,CloudTrail.2,CloudTrail.4,CloudTrail.7'];

describe('trailcheck scan on the seed scenario', () => {
  it('writes the seed-style Markdown report: 2 of 4 passed, with the real names', async () => {
    await seedScenario(suite.aws);
    const result = await runTrailcheck(
      ['scan', ...SEED_CONTROLS, '--format', 'markdown'],
      motoEnv(suite.moto),
    );
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stderr, '');
    const md = result.stdout;
    assert.match(md, /\*\*Security Assessment Summary – CloudTrail\*\*/);
    assert.equal(count(md, '✅ Passed'), 2);
    assert.equal(count(md, '❌ Failed'), 2);
    assert.match(md, /\| \*\*CloudTrail\.1 – Multi-Region trail\*\* \| ✅ Passed \|/);
    assert.match(md, /\| \*\*CloudTrail\.2 – SSE-KMS encryption\*\* \| ✅ Passed \|/);
    assert.match(md, /\| \*\*CloudTrail\.4 – Log file validation\*\* \| ❌ Failed \|/);
    assert.match(md, /\| \*\*CloudTrail\.7 – Access logging on the log bucket\*\* \| ❌ Failed \|/);
    assert.match(md, /### Why does this matter\?/);
    assert.match(md, /### Quick action plan/);
    assert.match(md, /Enable “Log file integrity validation” on `MooncloudCisTest`/);
    assert.match(md, /Create a new S3 bucket \(e\.g\. `mooncloud-cftrail-access-logs`\)/);
    assert.match(md, /### Bottom line/);
    assert.match(md, /“The probe executed successfully!”/);
    assert.match(md, /\*\*Two of the four checks passed\*\*/);
    assert.match(md, /\*\*Two checks need attention\*\*/);
    assert.ok(count(md, `\`${SEED_TRAIL}\``) >= 4, 'the trail is named throughout');
    assert.ok(count(md, `\`${SEED_BUCKET}\``) >= 2, 'the bucket is named');
  });

  it('writes the JSON contract, valid against its schema, and exits 1', async (t) => {
    await seedScenario(suite.aws);
    const started = performance.now();
    const result = await runTrailcheck(['scan', ...SEED_CONTROLS, '--format', 'json'], motoEnv(suite.moto));
    const wall = performance.now() - started;
    assert.equal(result.code, 1, result.stderr);
    const report = JsonReportSchema.parse(JSON.parse(result.stdout));
    assert.equal(report.integer_result, 1);
    assert.equal(report.pretty_result, 'The probe executed successfully!');
    assert.equal(report.account, '123456789012');
    assert.deepEqual(report.summary, { PASS: 2, FAIL: 2, UNKNOWN: 0, total: 4, suppressed: 0 });
    assert.equal(report.regions.length, 20, 'every enabled Region of the aws partition');
    const byControl = Object.fromEntries(report.findings.map((f) => [f.control, f]));
    assert.equal(byControl['CloudTrail.1']?.resource.id, '123456789012');
    assert.equal(
      byControl['CloudTrail.2']?.resource.id,
      'arn:aws:cloudtrail:us-east-1:123456789012:trail/MooncloudCisTest',
    );
    assert.equal(byControl['CloudTrail.7']?.resource.id, 'arn:aws:s3:::mooncloud-cftrail');
    assert.equal(byControl['CloudTrail.4']?.status, 'FAIL');
    assert.deepEqual(byControl['CloudTrail.4']?.evidence[0]?.facts?.LogFileValidationEnabled, false);
    for (const finding of report.findings) {
      assert.ok(finding.evidence.length > 0, `${finding.control} carries evidence`);
      assert.equal(finding.remediation === null, finding.status === 'PASS');
    }
    const calls = report.stats?.apiCalls ?? 0;
    t.diagnostic(
      `seed scan against moto: ${calls} API calls, collection ${report.stats?.durationMs} ms, CLI wall ${Math.round(wall)} ms`,
    );
    assert.ok(
      calls <= 20 + 8,
      `API calls stay minimal: 20 Regions listed once each plus a handful (got ${calls})`,
    );
  });

  it('collect then scan --snapshot gives the same verdicts as a live scan', async () => {
    await seedScenario(suite.aws);
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-'));
    const file = join(dir, 'snap.json');
    const collected = await runTrailcheck(
      ['collect', '--region', 'us-east-1,eu-west-1', '--output', file],
      motoEnv(suite.moto),
    );
    assert.equal(collected.code, 0, collected.stderr);
    assert.match(collected.stderr, /wrote the snapshot of account 123456789012/);
    const replay = await runTrailcheck(['scan', '--snapshot', file, '--format', 'json'], {});
    const live = await runTrailcheck(
      ['scan', '--region', 'us-east-1,eu-west-1', '--format', 'json'],
      motoEnv(suite.moto),
    );
    const verdicts = (out: string) =>
      JsonReportSchema.parse(JSON.parse(out)).findings.map((f) => [f.control, f.resource.id, f.status]);
    assert.deepEqual(verdicts(replay.stdout), verdicts(live.stdout));
    assert.deepEqual(parseSnapshot(await readFile(file, 'utf8'), file).scope.regions, [
      'eu-west-1',
      'us-east-1',
    ]);
  });

  it('--controls, --region and --output narrow the run and write the file', async () => {
    await seedScenario(suite.aws);
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-'));
    const file = join(dir, 'report.md');
    const result = await runTrailcheck(
      ['scan', '--controls', 'cloudtrail.4', '--region', 'eu-west-1', '--output', file],
      motoEnv(suite.moto),
    );
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /wrote the markdown report \(the check did not pass\) to .*report\.md/);
    const md = await readFile(file, 'utf8');
    assert.match(md, /CloudTrail\.4/);
    assert.doesNotMatch(md, /CloudTrail\.7/);
    assert.match(md, /Account `123456789012` · eu-west-1 scanned/);
  });

  it('the default terminal summary names what failed and how to fix it', async () => {
    await seedScenario(suite.aws);
    const result = await runTrailcheck(['scan', ...SEED_CONTROLS], motoEnv(suite.moto));
    assert.equal(result.code, 1);
    assert.match(result.stdout, /FAIL +CloudTrail\.4/);
    assert.match(
      result.stdout,
      /\$ aws cloudtrail update-trail --region us-east-1 --name MooncloudCisTest --enable-log-file-validation/,
    );
    assert.match(result.stdout, /Two of the four checks passed \(2 passed, 2 failed\)\.\n$/);
  });

  it('exits 0 once every check passes', async () => {
    await seedScenario(suite.aws);
    const result = await runTrailcheck(
      ['scan', '--controls', 'CloudTrail.1,CloudTrail.2'],
      motoEnv(suite.moto),
    );
    assert.equal(result.code, 0, result.stdout);
  });
});

describe('trailcheck scan on the seed scenario, every control', () => {
  it('gives the verdict each control should give, and says why the emulator could not answer for Lake', async () => {
    await seedScenario(suite.aws);
    const result = await runTrailcheck(
      ['scan', '--region', 'us-east-1,eu-west-1', '--format', 'json'],
      motoEnv(suite.moto),
    );
    assert.equal(result.code, 1, result.stderr);
    const report = JsonReportSchema.parse(JSON.parse(result.stdout));
    const statusOf = Object.fromEntries(report.controls.map((c) => [c.id, c.status]));
    assert.deepEqual(statusOf, {
      'CloudTrail.1': 'PASS',
      'CloudTrail.2': 'PASS',
      'CloudTrail.3': 'PASS',
      'CloudTrail.4': 'FAIL',
      'CloudTrail.5': 'FAIL',
      'CloudTrail.6': 'PASS',
      'CloudTrail.7': 'FAIL',
      'CloudTrail.9': 'FAIL',
      // moto does not implement CloudTrail Lake: an honest UNKNOWN, never a PASS.
      'CloudTrail.10': 'UNKNOWN',
      // The seed trail sends nothing to CloudWatch Logs (CloudTrail.5), so no alarm watches anything.
      'CloudWatch.1': 'FAIL',
      'CloudWatch.2': 'FAIL',
      'CloudWatch.3': 'FAIL',
      'CloudWatch.4': 'FAIL',
      'CloudWatch.5': 'FAIL',
      'CloudWatch.6': 'FAIL',
      'CloudWatch.7': 'FAIL',
      'CloudWatch.8': 'FAIL',
      'CloudWatch.9': 'FAIL',
      // The seed account records nothing with AWS Config, logs no VPC and has a key that does not rotate.
      'Config.1': 'FAIL',
      'EC2.6': 'FAIL',
      'KMS.4': 'FAIL',
      'CloudWatch.10': 'FAIL',
      'CloudWatch.11': 'FAIL',
      'CloudWatch.12': 'FAIL',
      'CloudWatch.13': 'FAIL',
      'CloudWatch.14': 'FAIL',
      'TC.S3ObjectWrites': 'FAIL',
      'TC.S3ObjectReads': 'FAIL',
      'TC.OrganizationsChanges': 'FAIL',
      'TC.DeliveryHealth': 'PASS',
      'TC.KmsKeyUsable': 'PASS',
      'TC.BucketPolicyScoped': 'PASS',
      'TC.BucketRetention': 'FAIL',
      'TC.AccessLogTarget': 'NOT_APPLICABLE',
      'TC.Insights': 'FAIL',
    });
    const lake = report.findings.find((f) => f.control === 'CloudTrail.10');
    assert.match(lake?.message ?? '', /could not be listed in all 2 scanned Regions/);
    assert.equal(
      report.findings.filter((f) => f.control === 'CloudTrail.3').length,
      2,
      'one CloudTrail.3 finding per Region',
    );
  });
});
