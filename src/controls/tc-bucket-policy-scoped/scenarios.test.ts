/**
 * TC.BucketPolicyScoped against the emulator. moto does not enforce bucket policies on CloudTrail (it
 * accepts any bucket for a trail), so these scenarios check trailcheck's reading of the policy S3 returns,
 * and that the policy its fix writes is accepted by S3 and judged scoped on the next scan.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { scanActions } from '../scan-policy.js';
import { plain } from '../../core/rich.js';
import { createBucket, createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import {
  cloudTrailStatements,
  createTrailBucketWith,
  createTrailWith,
  putBucketPolicy,
  scannerWithPolicy,
  withMotoQuirks,
} from '../../../test/support/scenarios/more-builders.js';
import type { PolicyStatement } from '../../../test/support/scenarios/more-builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import type { ScanOptions } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();
const BUCKET = 'trail-logs';

async function verdict(options: ScanOptions = {}) {
  const findings = findingsOf(
    await scanMoto(suite, { controls: [control], ...options }),
    'TC.BucketPolicyScoped',
  );
  assert.equal(findings.length, 1);
  const finding = findings[0]!;
  return { ...finding, text: plain(finding.message), fix: finding.remediation?.cli ?? [] };
}

/** Runs the fix's put-bucket-policy through the real API, as a user pasting it would. */
async function applyFix(fix: string[]) {
  assert.equal(fix.length, 1);
  const match =
    /^aws s3api put-bucket-policy --region \S+ --bucket (\S+) --policy '([^']*)' --expected-bucket-owner \d{12}$/.exec(
      fix[0]!,
    );
  assert.ok(match, fix[0]);
  await suite.aws.s3().send(new PutBucketPolicyCommand({ Bucket: match[1], Policy: match[2] }));
}

/** The CloudTrail statements of older guides: no aws:SourceArn, so any trail of any account may write. */
function unscopedStatements(bucket: string): PolicyStatement[] {
  return [
    {
      Sid: 'AWSCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${bucket}`,
    },
    {
      Sid: 'AWSCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${bucket}/AWSLogs/123456789012/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  ];
}

describe('TC.BucketPolicyScoped on the emulator', () => {
  it('PASS: the CloudTrail bucket policy limited to the trail by aws:SourceArn', async () => {
    await createTrailBucket(suite.aws, BUCKET, 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    const v = await verdict();
    assert.equal(v.status, 'PASS');
    assert.match(v.text, /lets that trail write its logs, and every CloudTrail write grant is limited/);
  });

  it('FAIL: an unscoped CloudTrail grant; the rewritten policy is accepted by S3 and passes', async () => {
    const extra: PolicyStatement = {
      Sid: 'TlsOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    await createBucket(suite.aws, BUCKET);
    await putBucketPolicy(suite.aws, BUCKET, [...unscopedStatements(BUCKET), extra]);
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    const v = await verdict();
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /statement 'AWSCloudTrailWrite' lets any trail of any account write here/);
    await applyFix(v.fix);
    const after = await verdict();
    assert.equal(after.status, 'PASS', after.text);
    const policy = after.evidence.find((e) => e.source === 's3:GetBucketPolicy')?.facts?.Policy as string;
    assert.deepEqual(
      (JSON.parse(policy) as { Statement: PolicyStatement[] }).Statement.at(-1),
      extra,
      'untouched',
    );
  });

  it('FAIL: a grant shared with AWS Config; after the fix CloudTrail is scoped and Config’s grant is unchanged', async () => {
    const shared: PolicyStatement = {
      Sid: 'LogDelivery',
      Effect: 'Allow',
      Principal: { Service: ['cloudtrail.amazonaws.com', 'config.amazonaws.com'] },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/123456789012/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    };
    await createBucket(suite.aws, BUCKET);
    await putBucketPolicy(suite.aws, BUCKET, [unscopedStatements(BUCKET)[0]!, shared]);
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    const v = await verdict();
    assert.equal(v.status, 'FAIL');
    await applyFix(v.fix);
    const after = await verdict();
    assert.equal(after.status, 'PASS', after.text);
    const policy = after.evidence.find((e) => e.source === 's3:GetBucketPolicy')?.facts?.Policy as string;
    const statements = (JSON.parse(policy) as { Statement: PolicyStatement[] }).Statement;
    assert.deepEqual(
      statements.find((st) => st.Sid === 'LogDelivery'),
      { ...shared, Principal: { Service: 'config.amazonaws.com' } },
    );
  });

  it('FAIL: a bucket with no policy; the fix’s policy lets the trail write and passes', async () => {
    await createBucket(suite.aws, BUCKET);
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    const v = await verdict();
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /has no bucket policy, so CloudTrail is not allowed to write log files into it/);
    await applyFix(v.fix);
    assert.equal((await verdict()).status, 'PASS');
  });

  it('FAIL: a trail with a key prefix the policy does not cover; the fix grants the prefixed path', async () => {
    await createTrailBucket(suite.aws, BUCKET, 'Main');
    await createTrailWith(suite.aws, {
      name: 'Main',
      bucket: BUCKET,
      multiRegion: true,
      s3KeyPrefix: 'audit',
    });
    const v = await verdict();
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /does not let trail Main write log files/);
    assert.match(v.fix[0]!, /trail-logs\/audit\/AWSLogs\/123456789012\/\*/);
    await applyFix(v.fix);
    assert.equal((await verdict()).status, 'PASS');
  });

  it('FAIL: a bucket shared by two trails whose policy lets only one write; fixed, both pass', async () => {
    await createTrailBucket(suite.aws, BUCKET, 'One');
    await createTrail(suite.aws, { name: 'One', bucket: BUCKET, multiRegion: true });
    await createTrail(suite.aws, { name: 'Two', bucket: BUCKET, region: 'eu-west-1' });
    const v = await verdict();
    assert.equal(v.status, 'FAIL');
    assert.match(
      v.text,
      /\(the log bucket of trail Two and One\): it does not let trail Two write log files/,
    );
    await applyFix(v.fix);
    const after = await verdict();
    assert.equal(after.status, 'PASS');
    assert.match(after.text, /lets those trails write their logs/);
  });

  it('FAIL: a data-perimeter Deny on aws:PrincipalOrgID refuses CloudTrail, which belongs to no organization', async () => {
    await createTrailBucketWith(suite.aws, BUCKET, 'Main', [
      {
        Sid: 'DenyOutsideOrg',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
        Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      },
    ]);
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    const v = await verdict();
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /statement 'DenyOutsideOrg' denies trail Main its writes/);
    assert.deepEqual(v.fix, [], 'no policy is rewritten blind: the console steps say how to narrow the Deny');
    assert.match(v.remediation!.console.join(' '), /aws:PrincipalIsAWSService/);
  });

  it('PASS: uploads by the organization’s principals to "*" are not a CloudTrail grant', async () => {
    await createTrailBucketWith(suite.aws, BUCKET, 'Main', [
      {
        Sid: 'OrgUploads',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/uploads/*`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      },
    ]);
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    assert.equal((await verdict()).status, 'PASS');
  });

  it('UNKNOWN: a grant with a condition trailcheck cannot evaluate', async () => {
    const [acl, write] = cloudTrailStatements(BUCKET, 'Main');
    await createBucket(suite.aws, BUCKET);
    await putBucketPolicy(suite.aws, BUCKET, [
      acl!,
      {
        ...write!,
        Condition: { ...write!.Condition, DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
      },
    ]);
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    const v = await verdict();
    assert.equal(v.status, 'UNKNOWN');
    assert.match(v.text, /conditions trailcheck cannot evaluate for trail Main/);
  });

  it('UNKNOWN: the scanner may not call s3:GetBucketPolicy', async () => {
    await createTrailBucket(suite.aws, BUCKET, 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    const credentials = await restrictedScanner(
      suite,
      withMotoQuirks(scanActions([control]).filter((a) => a !== 's3:GetBucketPolicy')),
    );
    const v = await verdict({ credentials });
    assert.equal(v.status, 'UNKNOWN');
    assert.deepEqual(v.remediation?.permissions, ['s3:GetBucketPolicy']);
    assert.match(v.text, /another account/);
  });

  it('UNKNOWN, never FAIL or PASS: the log bucket belongs to another account (its policy cannot be read)', async () => {
    await createTrailBucket(suite.aws, 'own-logs', 'Main');
    await createBucket(suite.aws, 'central-archive');
    await createTrail(suite.aws, { name: 'Main', bucket: 'central-archive', multiRegion: true });
    const credentials = await scannerWithPolicy(suite, [
      { Effect: 'Allow', Action: scanActions([control]).filter((a) => !a.startsWith('s3:')), Resource: '*' },
      { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::own-logs', 'arn:aws:s3:::own-logs/*'] },
    ]);
    const v = await verdict({ credentials });
    assert.equal(v.status, 'UNKNOWN');
    assert.equal(v.resource.name, 'central-archive');
    assert.match(
      v.text,
      /If the bucket belongs to another account \(a central log archive\), assess it there/,
    );
  });

  it('no trails: no finding', async () => {
    await createTrailBucket(suite.aws, BUCKET, 'Main');
    assert.deepEqual(findingsOf(await scanMoto(suite, { controls: [control] }), 'TC.BucketPolicyScoped'), []);
  });
});
