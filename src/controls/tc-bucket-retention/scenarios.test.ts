/**
 * TC.BucketRetention against the emulator. moto implements versioning, Object Lock (with a default
 * retention) and lifecycle rules; it never returns MFADelete, so that wording is tested on a hand-built
 * snapshot only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanActions } from '../scan-policy.js';
import { assess } from '../../judge/assess.js';
import { plain } from '../../core/rich.js';
import { JsonReportSchema } from '../../report/json.js';
import { motoEnv } from '../../../test/support/aws.js';
import { runTrailcheck } from '../../../test/support/cli.js';
import { createBucket, createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import {
  createLockedTrailBucket,
  putLifecycle,
  scannerWithPolicy,
  setVersioning,
  withMotoQuirks,
} from '../../../test/support/scenarios/more-builders.js';
import {
  collectFromMoto,
  findingsOf,
  restrictedScanner,
  scanMoto,
  useMoto,
} from '../../../test/support/moto-suite.js';
import type { ScanOptions } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();
const BUCKET = 'trail-logs';

async function versionedTrail() {
  await createTrailBucket(suite.aws, BUCKET, 'Main');
  await setVersioning(suite.aws, BUCKET, 'Enabled');
  await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
}

async function verdict(options: ScanOptions = {}) {
  const findings = findingsOf(
    await scanMoto(suite, { controls: [control], ...options }),
    'TC.BucketRetention',
  );
  assert.equal(findings.length, 1);
  const finding = findings[0]!;
  return { ...finding, text: plain(finding.message), fix: finding.remediation?.cli ?? [] };
}

describe('TC.BucketRetention on the emulator', () => {
  it('FAIL without versioning; after the fix’s put-bucket-versioning, PASS', async () => {
    await createTrailBucket(suite.aws, BUCKET, 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    const v = await verdict();
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /neither versioning nor Object Lock is on/);
    assert.deepEqual(v.fix, [
      'aws s3api put-bucket-versioning --region us-east-1 --bucket trail-logs --versioning-configuration Status=Enabled --expected-bucket-owner 123456789012',
    ]);
    await setVersioning(suite.aws, BUCKET, 'Enabled');
    const after = await verdict();
    assert.equal(after.status, 'PASS');
    assert.match(after.text, /versioning is on, and no lifecycle rule deletes them before 365 days/);
  });

  it('FAIL when versioning was suspended', async () => {
    await versionedTrail();
    await setVersioning(suite.aws, BUCKET, 'Suspended');
    assert.match((await verdict()).text, /versioning is suspended/);
  });

  it('PASS with Object Lock and a default retention, in days or in years', async () => {
    await createLockedTrailBucket(suite.aws, BUCKET, 'Main', { Mode: 'COMPLIANCE', Days: 400 });
    await createLockedTrailBucket(suite.aws, 'yearly-logs', 'Yearly', { Mode: 'GOVERNANCE', Years: 2 });
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    await createTrail(suite.aws, { name: 'Yearly', bucket: 'yearly-logs' });
    const findings = findingsOf(await scanMoto(suite, { controls: [control] }), 'TC.BucketRetention');
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.status, plain(f.message).replace(/.*protected: /, '')]),
      [
        [
          'trail-logs',
          'PASS',
          'Object Lock keeps each log file 400 days (COMPLIANCE mode), and no lifecycle rule deletes them before 365 days.',
        ],
        [
          'yearly-logs',
          'PASS',
          'Object Lock keeps each log file 730 days (GOVERNANCE mode), and no lifecycle rule deletes them before 365 days.',
        ],
      ],
    );
  });

  it('PASS with Object Lock retention covering the period, even if deleted versions expire after 30 days', async () => {
    await createLockedTrailBucket(suite.aws, BUCKET, 'Main', { Mode: 'COMPLIANCE', Days: 400 });
    await putLifecycle(suite.aws, BUCKET, [
      {
        ID: 'purge',
        Status: 'Enabled',
        Filter: { Prefix: '' },
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      },
    ]);
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    assert.equal((await verdict()).status, 'PASS');
  });

  it('FAIL: Object Lock without a default retention does not stop a 30-day purge of deleted versions', async () => {
    await createLockedTrailBucket(suite.aws, BUCKET, 'Main');
    await putLifecycle(suite.aws, BUCKET, [
      {
        ID: 'purge',
        Status: 'Enabled',
        Filter: { Prefix: 'AWSLogs/' },
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      },
    ]);
    await createTrail(suite.aws, { name: 'Main', bucket: BUCKET, multiRegion: true });
    const v = await verdict();
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /lifecycle rule 'purge' purges deleted or overwritten versions after 30 days/);
  });

  it('FAIL: a lifecycle rule expiring log files after 90 days (new and legacy prefix forms)', async () => {
    await versionedTrail();
    for (const rule of [
      { ID: 'ninety', Status: 'Enabled' as const, Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: 90 } },
      { ID: 'legacy', Status: 'Enabled' as const, Prefix: 'AWSLogs/', Expiration: { Days: 90 } },
    ]) {
      await putLifecycle(suite.aws, BUCKET, [rule]);
      const v = await verdict();
      assert.equal(v.status, 'FAIL', rule.ID);
      assert.match(v.text, new RegExp(`lifecycle rule '${rule.ID}' deletes log files after 90 days`));
      assert.match(
        v.fix.join('\n'),
        /get-bucket-lifecycle-configuration --bucket trail-logs > lifecycle.json/,
      );
    }
  });

  it('PASS: rules that do not reach the logs (another prefix, a tag filter, disabled)', async () => {
    await versionedTrail();
    await putLifecycle(suite.aws, BUCKET, [
      { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
      {
        ID: 'tagged',
        Status: 'Enabled',
        Filter: { Tag: { Key: 'scratch', Value: 'yes' } },
        Expiration: { Days: 1 },
      },
      { ID: 'off', Status: 'Disabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } },
    ]);
    assert.equal((await verdict()).status, 'PASS');
  });

  it('the retention period is a setting: a 400-day rule passes at 365 days and fails at 730', async () => {
    await versionedTrail();
    await putLifecycle(suite.aws, BUCKET, [
      { ID: 'year-ish', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: 400 } },
    ]);
    const snapshot = await collectFromMoto(suite, { controls: [control] });
    assert.equal(findingsOf(assess(snapshot, [control]), 'TC.BucketRetention')[0]?.status, 'PASS');
    const strict = findingsOf(
      assess(snapshot, [control], { minimumRetentionDays: 730 }),
      'TC.BucketRetention',
    )[0];
    assert.equal(strict?.status, 'FAIL');
    const cli = await runTrailcheck(
      [
        'scan',
        '--controls',
        'TC.BucketRetention',
        '--region',
        'us-east-1',
        '--retention-days',
        '730',
        '--format',
        'json',
      ],
      motoEnv(suite.moto),
    );
    assert.equal(cli.code, 1, cli.stderr);
    const [finding] = JsonReportSchema.parse(JSON.parse(cli.stdout)).findings;
    assert.match(finding?.message ?? '', /deletes log files after 400 days/);
  });

  it('UNKNOWN: the scanner may not call s3:GetBucketVersioning and Object Lock is off', async () => {
    await versionedTrail();
    const credentials = await restrictedScanner(
      suite,
      withMotoQuirks(scanActions([control]).filter((a) => a !== 's3:GetBucketVersioning')),
    );
    const v = await verdict({ credentials });
    assert.equal(v.status, 'UNKNOWN');
    assert.deepEqual(v.remediation?.permissions, ['s3:GetBucketVersioning']);
  });

  it('UNKNOWN: versioning on, but the scanner may not read the lifecycle rules', async () => {
    await versionedTrail();
    const credentials = await restrictedScanner(
      suite,
      withMotoQuirks(scanActions([control]).filter((a) => a !== 's3:GetLifecycleConfiguration')),
    );
    const v = await verdict({ credentials });
    assert.equal(v.status, 'UNKNOWN');
    assert.deepEqual(v.remediation?.permissions, ['s3:GetLifecycleConfiguration']);
  });

  it('UNKNOWN, never FAIL or PASS: the log bucket belongs to another account', async () => {
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
  });
});
