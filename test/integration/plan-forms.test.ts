/**
 * The Terraform and CloudFormation forms of plans that use every fix, checked with real parsers: HCL with
 * HashiCorp's own parser (hcl2json, @cdktf/hcl2json), CloudFormation with a YAML parser and cfn-lint
 * (AWS's linter, against the resource specification), both installed by the project's own files. Each
 * checker is also shown a broken document, so one that accepts anything fails here.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parseAllDocuments } from 'yaml';
import { CONTROLS } from '../../src/controls/index.js';
import { assess } from '../../src/judge/assess.js';
import { renderPlanCloudFormation } from '../../src/remediate/cloudformation.js';
import { buildPlan } from '../../src/remediate/plan.js';
import { renderPlanTerraform } from '../../src/remediate/terraform.js';
import { parseSnapshot } from '../../src/snapshot/io.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { packageRoot } from '../../src/util/package-root.js';
import { readFileSync } from 'node:fs';
import { ensureValidators } from '../support/validators-install.js';
import { bareEnv, runTrailcheck } from '../support/cli.js';
import { PlanJsonSchema } from '../../src/remediate/render.js';
import { everyFixSnapshot, noTrailSnapshot } from '../support/plan-snapshots.js';

/**
 * An account failing every fix, whose CloudWatch chain was read (nothing in it): with --alert-email the
 * monitoring checks' fixes put filters and alarms on the log group CloudTrail.5's fix creates, notifying a
 * new topic.
 */
function monitoringFixes(): { snapshot: Snapshot; plan: ReturnType<typeof buildPlan> } {
  const snapshot: Snapshot = { ...everyFixSnapshot(), monitoring: { logGroups: [], alarms: [], topics: [] } };
  const plan = buildPlan(snapshot, CONTROLS, { alertEmail: 'security@example.com' });
  return { snapshot, plan };
}

const CFN_LINT = join(dirname(ensureValidators()), 'cfn-lint');

async function terraformParses(name: string, text: string): Promise<Record<string, unknown>> {
  return (await parseHcl(name, text)) as Record<string, unknown>;
}

/** cfn-lint over every template of a multi-Region document; returns its findings (errors and warnings). */
async function cfnLint(
  text: string,
): Promise<Array<{ Rule: { Id: string }; Message: string; Level: string }>> {
  const documents = parseAllDocuments(text);
  const dir = await mkdtemp(join(tmpdir(), 'trailcheck-cfn-'));
  const files: string[] = [];
  for (const [index, doc] of documents.entries()) {
    assert.deepEqual(doc.errors, [], `template ${index + 1} is valid YAML`);
    const file = join(dir, `template-${index + 1}.yaml`);
    await writeFile(file, doc.toString());
    files.push(file);
  }
  let out: string;
  try {
    out = execFileSync(CFN_LINT, ['--format', 'json', ...files], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    // cfn-lint exits non-zero when it finds something; anything but its JSON report is a failure to run.
    const e = error as { stdout?: string; stderr?: string; status?: number };
    out = e.stdout ?? '';
    if (!out.trim().startsWith('['))
      throw new Error(`cfn-lint did not run (exit ${e.status}): ${e.stderr ?? ''}`, { cause: error });
  }
  return JSON.parse(out) as Array<{ Rule: { Id: string }; Message: string; Level: string }>;
}

const demo = (): Snapshot =>
  parseSnapshot(readFileSync(join(packageRoot(), 'demo/mooncloud-cis-test.snapshot.json'), 'utf8'), 'demo');

const SCENARIOS: Array<[string, () => Snapshot]> = [
  ['the seed account', demo],
  ['an account whose trail fails every fix, its bucket in another Region', everyFixSnapshot],
  ['an account with no trail', noTrailSnapshot],
];

describe('the Terraform form', () => {
  for (const [name, make] of SCENARIOS) {
    it(`${name}: the whole plan and each finding’s snippet parse as HCL`, async () => {
      const snapshot = make();
      const plan = buildPlan(snapshot, CONTROLS);
      assert.ok(plan.steps.length > 0);
      const hcl = renderPlanTerraform(plan, snapshot);
      const parsed = await terraformParses('plan.tf', hcl);
      assert.ok(parsed.resource, 'it declares resources');
      for (const finding of assess(snapshot, CONTROLS).findings) {
        if (finding.remediation?.terraform)
          await terraformParses(`${finding.control}.tf`, finding.remediation.terraform);
      }
    });
  }

  it('imports what exists and creates what is new, with the references between them', async () => {
    const snapshot = everyFixSnapshot();
    const parsed = await terraformParses(
      'plan.tf',
      renderPlanTerraform(buildPlan(snapshot, CONTROLS), snapshot),
    );
    const resources = parsed.resource as Record<string, Record<string, Array<Record<string, unknown>>>>;
    assert.deepEqual(Object.keys(resources).sort(), [
      'aws_cloudtrail',
      'aws_cloudwatch_log_group',
      'aws_iam_role',
      'aws_iam_role_policy',
      'aws_kms_alias',
      'aws_kms_key',
      'aws_s3_bucket',
      'aws_s3_bucket_acl',
      'aws_s3_bucket_logging',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
    ]);
    const imports = parsed.import as Array<{ to: string; id: string }>;
    assert.ok(imports.some((i) => i.to === '${aws_cloudtrail.audit}' && i.id.endsWith(':trail/Audit')));
    const trail = resources.aws_cloudtrail?.audit?.[0] ?? {};
    assert.equal(trail.kms_key_id, '${aws_kms_key.cloudtrail_audit.arn}');
    assert.equal(trail.cloud_watch_logs_role_arn, '${aws_iam_role.cloudtrailtocloudwatchlogs_audit.arn}');
    assert.equal(trail.enable_log_file_validation, true);
  });

  it('the monitoring fixes: filters on the new log group, alarms notifying the new topic, its subscription', async () => {
    const { snapshot, plan } = monitoringFixes();
    assert.ok(plan.steps.some((s) => s.call.operation === 'PutMetricAlarm'));
    const parsed = await terraformParses('plan.tf', renderPlanTerraform(plan, snapshot));
    const resources = parsed.resource as Record<string, Record<string, Array<Record<string, unknown>>>>;
    const filters = Object.values(resources.aws_cloudwatch_log_metric_filter ?? {}).map((r) => r[0] ?? {});
    const alarms = Object.values(resources.aws_cloudwatch_metric_alarm ?? {}).map((r) => r[0] ?? {});
    assert.equal(filters.length, 15);
    assert.equal(alarms.length, 15);
    assert.ok(
      filters.every((f) => f.log_group_name === '${aws_cloudwatch_log_group.aws_cloudtrail_logs_audit.name}'),
    );
    assert.ok(
      alarms.every(
        (a) => JSON.stringify(a.alarm_actions) === '["${aws_sns_topic.trailcheck_cis_alarms.arn}"]',
      ),
    );
    assert.deepEqual(Object.keys(resources.aws_sns_topic_subscription ?? {}).length, 1);
  });

  it('refuses a broken document (the checker is not a rubber stamp)', async () => {
    await assert.rejects(terraformParses('broken.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "x\n}\n'));
  });
});

describe('the CloudFormation form', () => {
  it('the monitoring fixes: every Region’s template passes cfn-lint', async () => {
    const { snapshot, plan } = monitoringFixes();
    const yaml = renderPlanCloudFormation(plan, snapshot);
    for (const type of [
      'AWS::Logs::MetricFilter',
      'AWS::CloudWatch::Alarm',
      'AWS::SNS::Topic',
      'AWS::SNS::Subscription',
    ])
      assert.ok(yaml.includes(`Type: ${type}`), type);
    const findings = await cfnLint(yaml);
    assert.deepEqual(
      findings.map((f) => `${f.Level} ${f.Rule.Id}: ${f.Message}`),
      [],
    );
  });

  for (const [name, make] of SCENARIOS) {
    it(`${name}: every Region’s template passes cfn-lint`, async () => {
      const snapshot = make();
      const findings = await cfnLint(renderPlanCloudFormation(buildPlan(snapshot, CONTROLS), snapshot));
      assert.deepEqual(
        findings.map((f) => `${f.Level} ${f.Rule.Id}: ${f.Message}`),
        [],
      );
    });
  }

  it('one template per Region, the new key in the bucket’s Region, the trail where it lives', () => {
    const snapshot = everyFixSnapshot();
    const documents = parseAllDocuments(
      renderPlanCloudFormation(buildPlan(snapshot, CONTROLS), snapshot),
    ).map((d) => d.toJS() as { Description: string; Resources: Record<string, { Type: string }> });
    const types = documents.map((d) => [
      d.Description.replace(/.*\(/, '').replace(')', ''),
      Object.values(d.Resources)
        .map((r) => r.Type)
        .sort(),
    ]);
    assert.deepEqual(types, [
      ['us-east-1', ['AWS::CloudTrail::Trail', 'AWS::IAM::Role', 'AWS::Logs::LogGroup']],
      [
        'eu-west-1',
        [
          'AWS::KMS::Alias',
          'AWS::KMS::Key',
          'AWS::S3::Bucket',
          'AWS::S3::Bucket',
          'AWS::S3::BucketPolicy',
          'AWS::S3::BucketPolicy',
        ],
      ],
    ]);
  });

  it('cfn-lint refuses a broken template (the checker is not a rubber stamp)', async () => {
    const findings = await cfnLint(
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      TrailName: x\n',
    );
    assert.ok(
      findings.some((f) => f.Level === 'Error'),
      JSON.stringify(findings),
    );
  });
});

describe('trailcheck plan on the command line', () => {
  it('prints the plan as a bash script that parses, as Markdown, and as JSON matching PlanJsonSchema', async () => {
    const base = [
      'plan',
      '--snapshot',
      'demo/mooncloud-cis-test.snapshot.json',
      '--controls',
      'CloudTrail.4,CloudTrail.7',
    ];
    const cli = await runTrailcheck([...base, '--format', 'cli'], bareEnv());
    assert.equal(cli.code, 0, 'a plan with steps is a success: plan -o fix.tf && terraform plan goes on');
    assert.match(cli.stdout, /^#!\/usr\/bin\/env bash\n/);
    assert.match(
      cli.stdout,
      /\naws cloudtrail update-trail --region us-east-1 --name MooncloudCisTest --enable-log-file-validation\n/,
    );
    // bash itself checks the script's syntax (-n: read, do not run).
    execFileSync('bash', ['-n'], { input: cli.stdout });
    assert.throws(() =>
      execFileSync('bash', ['-n'], { input: `${cli.stdout}\naws s3api x '\n`, stdio: 'pipe' }),
    );
    const markdown = await runTrailcheck([...base, '--format', 'markdown'], bareEnv());
    assert.match(markdown.stdout, /^\*\*Action plan – account `123456789012`\*\*/);
    assert.match(markdown.stdout, /### 1\. Enable “Log file integrity validation” on `MooncloudCisTest`\./);
    assert.match(markdown.stdout, /### 2\. Create a new S3 bucket/);
    const json = await runTrailcheck([...base, '--format', 'json'], bareEnv());
    const plan = PlanJsonSchema.parse(JSON.parse(json.stdout));
    assert.deepEqual(
      plan.steps.map((s) => s.operation),
      [
        'UpdateTrail',
        'CreateBucket',
        'PutPublicAccessBlock',
        'PutBucketEncryption',
        'PutBucketPolicy',
        'PutBucketLogging',
      ],
    );
    assert.deepEqual(plan.expected, [
      { control: 'CloudTrail.4', before: 'FAIL', after: 'PASS' },
      { control: 'CloudTrail.7', before: 'FAIL', after: 'PASS' },
    ]);
  });

  it('leaves the findings --ignore accepts alone, in plan and fix, and says when an entry expired', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-plan-ignore-'));
    const ignore = join(dir, 'ignore.yaml');
    await writeFile(
      ignore,
      [
        'suppressions:',
        '  - control: CloudTrail.7',
        '    resource: mooncloud-cftrail',
        '    reason: access is logged by the log archive',
        '    expires: 2099-12-31',
        '  - control: CloudTrail.4',
        '    resource: MooncloudCisTest',
        '    reason: an old exception',
        '    expires: 2020-01-01',
      ].join('\n'),
    );
    const base = [
      '--snapshot',
      'demo/mooncloud-cis-test.snapshot.json',
      '--controls',
      'CloudTrail.4,CloudTrail.7',
      '--ignore',
      ignore,
    ];
    const json = await runTrailcheck(['plan', ...base, '--format', 'json'], bareEnv());
    const plan = PlanJsonSchema.parse(JSON.parse(json.stdout));
    // The expired entry no longer applies: CloudTrail.4 is planned, and stderr says why in one line.
    assert.deepEqual(
      plan.steps.map((s) => s.operation),
      ['UpdateTrail'],
    );
    assert.deepEqual(
      plan.accepted.map((a) => [a.control, a.resourceName, a.reason]),
      [['CloudTrail.7', 'mooncloud-cftrail', 'access is logged by the log archive']],
    );
    assert.match(json.stderr, /entry 2 \(CloudTrail\.4 on MooncloudCisTest\) expired on 2020-01-01/);
    const markdown = await runTrailcheck(['plan', ...base, '--format', 'markdown'], bareEnv());
    assert.match(markdown.stdout, /### Accepted, left as they are/);
    assert.match(
      markdown.stdout,
      /\| CloudTrail\.7 \| `mooncloud-cftrail` \| FAIL \| access is logged by the log archive \|/,
    );
    // With only the accepted finding selected, the dry run has nothing to do and does not fail the run.
    const onlyAccepted = await runTrailcheck(
      [
        'fix',
        '--snapshot',
        'demo/mooncloud-cis-test.snapshot.json',
        '--controls',
        'CloudTrail.7',
        '--ignore',
        ignore,
      ],
      bareEnv(),
    );
    assert.equal(onlyAccepted.code, 0, onlyAccepted.stderr);
    assert.match(onlyAccepted.stdout, /Nothing for trailcheck to change\./);
    assert.match(
      onlyAccepted.stdout,
      /Accepted with --ignore \(left as they are\):\n {2}- CloudTrail\.7 mooncloud-cftrail \(FAIL\)/,
    );
    // Without the file the same dry run plans the fix and exits 1.
    const without = await runTrailcheck(
      ['fix', '--snapshot', 'demo/mooncloud-cis-test.snapshot.json', '--controls', 'CloudTrail.7'],
      bareEnv(),
    );
    assert.equal(without.code, 1);
    assert.match(without.stdout, /PutBucketLogging/);
    const missing = await runTrailcheck(
      ['plan', ...base.slice(0, 4), '--ignore', join(dir, 'nope.yaml')],
      bareEnv(),
    );
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trimEnd().split('\n').length, 1);
  });

  it('says in one line what is wrong with a flag', async () => {
    for (const [args, pattern] of [
      [['plan', '--format', 'yaml'], /unknown plan format 'yaml'/],
      [['fix', '--kms-key', 'alias/mine', '--snapshot', 'x.json'], /--kms-key takes a KMS key ARN/],
      [['iam-policy'], /iam-policy needs --for scan, --for fix or --for org/],
    ] as const) {
      const result = await runTrailcheck([...args], bareEnv());
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stderr.trimEnd().split('\n').length, 1);
      assert.match(result.stderr, pattern);
    }
  });
});
