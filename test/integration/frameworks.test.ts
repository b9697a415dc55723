/** --framework numbering, the controls and explain commands, and the judgement flags, through the CLI. */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsonReportSchema } from '../../src/report/json.js';
import { serializeSnapshot } from '../../src/snapshot/io.js';
import { bareEnv, runTrailcheck } from '../support/cli.js';
import { ok, snapshot, trail } from '../support/snapshot-builder.js';

const oneLineError = (stderr: string, pattern: RegExp) => {
  assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
  assert.match(stderr, pattern);
};

describe('--framework', () => {
  it('cis-3.0: only its controls, in its order and numbering, in Markdown', async () => {
    const result = await runTrailcheck(['demo', '--framework', 'cis-3.0', '--format', 'markdown'], bareEnv());
    assert.equal(result.code, 0, 'demo is not a gate');
    const rows = [...result.stdout.matchAll(/^\| \*\*(CIS [\d.]+ \(\S+\)) – /gm)].map((m) => m[1]);
    assert.deepEqual(rows, [
      'CIS 3.1 (CloudTrail.1)',
      'CIS 3.2 (CloudTrail.4)',
      'CIS 3.3 (Config.1)',
      'CIS 3.4 (CloudTrail.7)',
      'CIS 3.5 (CloudTrail.2)',
      'CIS 3.6 (KMS.4)',
      'CIS 3.7 (EC2.6)',
      'CIS 3.8 (TC.S3ObjectWrites)',
      'CIS 3.9 (TC.S3ObjectReads)',
      // Monitoring: CIS numbers root use third, so CloudWatch.1 is 4.3.
      'CIS 4.1 (CloudWatch.2)',
      'CIS 4.2 (CloudWatch.3)',
      'CIS 4.3 (CloudWatch.1)',
      'CIS 4.4 (CloudWatch.4)',
      'CIS 4.5 (CloudWatch.5)',
      'CIS 4.6 (CloudWatch.6)',
      'CIS 4.7 (CloudWatch.7)',
      'CIS 4.8 (CloudWatch.8)',
      'CIS 4.9 (CloudWatch.9)',
      'CIS 4.10 (CloudWatch.10)',
      'CIS 4.11 (CloudWatch.11)',
      'CIS 4.12 (CloudWatch.12)',
      'CIS 4.13 (CloudWatch.13)',
      'CIS 4.14 (CloudWatch.14)',
      'CIS 4.15 (TC.OrganizationsChanges)',
    ]);
    assert.match(
      result.stdout,
      /Security Assessment Summary – CloudTrail \(CIS AWS Foundations Benchmark v3\.0\.0\)/,
    );
  });

  it('cis-1.2 in JSON names the framework and its controls; accepts "CIS-1.2.0"', async () => {
    const result = await runTrailcheck(['demo', '--framework', 'CIS-1.2.0', '--format', 'json'], bareEnv());
    const report = JsonReportSchema.parse(JSON.parse(result.stdout));
    assert.deepEqual(report.framework, { id: 'cis-1.2', title: 'CIS AWS Foundations Benchmark v1.2.0' });
    assert.deepEqual(
      report.controls.map((c) => c.id),
      [
        'CloudTrail.1',
        'CloudTrail.4',
        'CloudTrail.6',
        'CloudTrail.5',
        'Config.1',
        'CloudTrail.7',
        'CloudTrail.2',
        'KMS.4',
        'EC2.6',
        // v1.2's 3.1–3.14; it has no Organizations item.
        'CloudWatch.2',
        'CloudWatch.3',
        'CloudWatch.1',
        'CloudWatch.4',
        'CloudWatch.5',
        'CloudWatch.6',
        'CloudWatch.7',
        'CloudWatch.8',
        'CloudWatch.9',
        'CloudWatch.10',
        'CloudWatch.11',
        'CloudWatch.12',
        'CloudWatch.13',
        'CloudWatch.14',
      ],
    );
  });

  it('securityhub: the nine CloudTrail controls under their own ids, and S3.22 and S3.23, in the text summary', async () => {
    const result = await runTrailcheck(['demo', '--framework', 'securityhub'], bareEnv());
    assert.match(result.stdout, /against AWS Security Hub CloudTrail and CloudWatch controls/);
    const summary = result.stdout.split('Needs attention:')[0] ?? '';
    assert.equal((summary.match(/^ {2}(PASS|FAIL|UNKNOWN|N\/A) +CloudTrail\.\d+ /gm) ?? []).length, 9);
    // Security Hub files the two S3 data-event checks under S3.22 (writes) and S3.23 (reads).
    assert.match(summary, /^ {2}(PASS|FAIL|UNKNOWN|N\/A) +S3\.22 /m);
    assert.match(summary, /^ {2}(PASS|FAIL|UNKNOWN|N\/A) +S3\.23 /m);
  });

  it('an unknown framework, or a control outside it, is a usage error', async () => {
    const unknown = await runTrailcheck(['demo', '--framework', 'cis-9.9'], bareEnv());
    assert.equal(unknown.code, 2);
    oneLineError(unknown.stderr, /unknown framework 'cis-9\.9'; choose one of: securityhub, cis-1\.2/);
    const outside = await runTrailcheck(
      ['demo', '--framework', 'cis-3.0', '--controls', 'CloudTrail.3'],
      bareEnv(),
    );
    assert.equal(outside.code, 2);
    oneLineError(outside.stderr, /CloudTrail\.3 is not part of CIS AWS Foundations Benchmark v3\.0\.0/);
  });

  it('demo shows the seed report’s four checks by default and every check with --controls all', async () => {
    const seed = JsonReportSchema.parse(
      JSON.parse((await runTrailcheck(['demo', '-f', 'json'], bareEnv())).stdout),
    );
    assert.deepEqual(
      seed.controls.map((c) => c.id),
      ['CloudTrail.1', 'CloudTrail.2', 'CloudTrail.4', 'CloudTrail.7'],
    );
    const all = JsonReportSchema.parse(
      JSON.parse((await runTrailcheck(['demo', '-f', 'json', '--controls', 'all'], bareEnv())).stdout),
    );
    assert.equal(all.controls.length, 35);
  });
});

describe('trailcheck controls and explain', () => {
  it('lists every control with severity and CIS numbering', async () => {
    const result = await runTrailcheck(['controls'], bareEnv());
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^35 controls/);
    assert.match(result.stdout, /Config\.1 +medium +the account +2\.5 +3\.5 +3\.3 +3\.3 +3\.3 /);
    assert.match(result.stdout, /CloudWatch\.1 +low +the account +3\.3 +4\.3 +4\.3 +4\.3 +4\.3 /);
    assert.match(result.stdout, /TC\.OrganizationsChanges +low +the account +– +4\.15 +4\.15 +4\.15 +4\.15 /);
    assert.match(result.stdout, /CloudTrail\.7 +low +each trail bucket +2\.6 +3\.6 +3\.4 +3\.4 +3\.4 /);
    assert.match(result.stdout, /TC\.S3ObjectReads +medium +the account +– +3\.11 +3\.9 +3\.9 +3\.9 /);
  });

  it('lists a framework’s controls as JSON, with permissions', async () => {
    const result = await runTrailcheck(['controls', '--framework', 'cis-5.0', '--format', 'json'], bareEnv());
    const list = JSON.parse(result.stdout) as Array<{
      id: string;
      permissions: string[];
      frameworks: Array<{ framework: string; id: string }>;
    }>;
    assert.deepEqual(
      list.map((c) => c.id),
      [
        'CloudTrail.1',
        'CloudTrail.4',
        'Config.1',
        'CloudTrail.7',
        'CloudTrail.2',
        'KMS.4',
        'EC2.6',
        'TC.S3ObjectWrites',
        'TC.S3ObjectReads',
        'CloudWatch.2',
        'CloudWatch.3',
        'CloudWatch.1',
        'CloudWatch.4',
        'CloudWatch.5',
        'CloudWatch.6',
        'CloudWatch.7',
        'CloudWatch.8',
        'CloudWatch.9',
        'CloudWatch.10',
        'CloudWatch.11',
        'CloudWatch.12',
        'CloudWatch.13',
        'CloudWatch.14',
        'TC.OrganizationsChanges',
      ],
    );
    assert.ok(list[3]?.permissions.includes('s3:GetBucketLogging'));
    assert.ok(list[11]?.permissions.includes('sns:ListSubscriptionsByTopic'));
    assert.ok(list[2]?.permissions.includes('config:DescribeConfigurationRecorders'));
    assert.ok(list[0]?.frameworks.some((f) => f.framework === 'cis-5.0' && f.id === '3.1'));
  });

  it('explains a control in plain language', async () => {
    const result = await runTrailcheck(['explain', 'cloudtrail.4'], bareEnv());
    assert.equal(result.code, 0);
    for (const heading of [
      'What it checks',
      'What it does',
      'Why it matters',
      'How to fix it',
      'Permissions trailcheck needs for it',
    ]) {
      assert.match(result.stdout, new RegExp(`^${heading}$`, 'm'));
    }
    assert.match(result.stdout, /^CloudTrail\.4 – Log file validation$/m);
    assert.match(result.stdout, /Security Hub: CloudTrail\.4 · CIS: v1\.2 2\.2, v1\.4 3\.2/);
  });

  it('explain and controls reject bad input with one line', async () => {
    for (const [args, pattern] of [
      [['explain'], /takes one control id/],
      [['explain', 'CloudTrail.99'], /unknown control 'CloudTrail\.99'/],
      [['controls', '--format', 'xml'], /unknown format 'xml' for controls/],
    ] as const) {
      const result = await runTrailcheck([...args], bareEnv());
      assert.equal(result.code, 2);
      oneLineError(result.stderr, pattern);
    }
  });
});

describe('judgement flags', () => {
  async function tagSnapshot() {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-'));
    const file = join(dir, 'tags.json');
    const tags = ok(
      {
        TagsList: [
          { Key: 'Team', Value: 'security' },
          { Key: 'aws:cloudformation:stack-name', Value: 's' },
        ],
      },
      'cloudtrail:ListTags',
    );
    await writeFile(file, serializeSnapshot(snapshot({ trails: [trail({ Name: 'Main', tags })] })));
    return file;
  }

  it('--required-tags makes CloudTrail.9 demand those keys', async () => {
    const file = await tagSnapshot();
    const any = await runTrailcheck(
      ['scan', '--snapshot', file, '--controls', 'CloudTrail.9', '-f', 'json'],
      bareEnv(),
    );
    assert.equal(JsonReportSchema.parse(JSON.parse(any.stdout)).findings[0]?.status, 'PASS');
    const owner = await runTrailcheck(
      [
        'scan',
        '--snapshot',
        file,
        '--controls',
        'CloudTrail.9',
        '--required-tags',
        'Team,Owner',
        '-f',
        'json',
      ],
      bareEnv(),
    );
    const finding = JsonReportSchema.parse(JSON.parse(owner.stdout)).findings[0];
    assert.equal(finding?.status, 'FAIL');
    assert.match(finding?.message ?? '', /lacks the required tag Owner/);
  });

  it('numbers that make no sense are usage errors', async () => {
    for (const [flag, value] of [
      ['--retention-days', '0'],
      ['--retention-days', 'year'],
      ['--max-delivery-age', '1.5'],
    ]) {
      const result = await runTrailcheck(['demo', flag!, value!], bareEnv());
      assert.equal(result.code, 2, `${flag} ${value}`);
      oneLineError(result.stderr, new RegExp(`${flag} takes a whole number`));
    }
    const dashed = await runTrailcheck(['demo', '--max-delivery-age', '-3'], bareEnv());
    assert.equal(dashed.code, 2);
    // A negative number is read as the flag's value and refused as such, not as a missing value.
    oneLineError(dashed.stderr, /--max-delivery-age takes a whole number from 1 to 8760, not '-3'\./);
  });
});
