/** CloudTrail.3 against the emulator: one finding per scanned Region. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanActions } from '../scan-policy.js';
import { plain } from '../../core/rich.js';
import { createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { createTrailWith } from '../../../test/support/scenarios/more-builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import type { ScanOptions } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();

/** Region → [status, message] for a scan of us-east-1 and eu-west-1 (or the Regions given). */
async function verdicts(options: ScanOptions = {}) {
  const findings = findingsOf(await scanMoto(suite, { controls: [control], ...options }), 'CloudTrail.3');
  return new Map(findings.map((f) => [f.resource.name, { ...f, text: plain(f.message) }]));
}

async function bucketFor(trail: string, region = 'us-east-1') {
  const name = `${trail.toLowerCase()}-logs`;
  await createTrailBucket(suite.aws, name, trail, region);
  return name;
}

describe('CloudTrail.3 on the emulator', () => {
  it('PASS in every scanned Region for one logging multi-Region trail', async () => {
    await createTrail(suite.aws, { name: 'Main', bucket: await bucketFor('Main'), multiRegion: true });
    const v = await verdicts();
    assert.deepEqual([...v.keys()].sort(), ['eu-west-1', 'us-east-1']);
    for (const finding of v.values()) assert.equal(finding.status, 'PASS');
    assert.equal(v.get('eu-west-1')?.text, 'Multi-Region trail Main is logging, so eu-west-1 is covered.');
  });

  it('PASS at home, FAIL elsewhere for a single-Region trail', async () => {
    await createTrail(suite.aws, {
      name: 'Irish',
      bucket: await bucketFor('Irish', 'eu-west-1'),
      region: 'eu-west-1',
    });
    const v = await verdicts();
    assert.equal(v.get('eu-west-1')?.status, 'PASS');
    assert.equal(v.get('us-east-1')?.status, 'FAIL');
    assert.equal(v.get('us-east-1')?.text, 'No trail covers us-east-1: API activity there is not recorded.');
    assert.deepEqual(v.get('us-east-1')?.remediation?.cli, [
      'aws cloudtrail update-trail --region eu-west-1 --name Irish --is-multi-region-trail',
    ]);
  });

  it('PASS: a stopped single-Region trail does not hide a logging multi-Region trail (either name order)', async () => {
    await createTrail(suite.aws, { name: 'aaa-local', bucket: await bucketFor('aaa-local'), logging: false });
    await createTrail(suite.aws, {
      name: 'zzz-global',
      bucket: await bucketFor('zzz-global'),
      multiRegion: true,
    });
    await createTrail(suite.aws, {
      name: 'aaa-global',
      bucket: await bucketFor('aaa-global'),
      multiRegion: true,
      logging: false,
    });
    const v = await verdicts();
    assert.equal(v.get('us-east-1')?.status, 'PASS');
    assert.match(v.get('us-east-1')!.text, /zzz-global/);
  });

  it('PASS: a multi-Region trail homed outside the scanned Regions, its status read in its home Region', async () => {
    await createTrail(suite.aws, {
      name: 'Tokyo',
      bucket: await bucketFor('Tokyo', 'ap-northeast-1'),
      region: 'ap-northeast-1',
      multiRegion: true,
    });
    const v = await verdicts({ regions: ['eu-west-1'] });
    const finding = v.get('eu-west-1')!;
    assert.equal(finding.status, 'PASS');
    const status = finding.evidence.find((e) => e.source === 'cloudtrail:GetTrailStatus');
    assert.equal(status?.region, 'ap-northeast-1');
  });

  it('PASS: an organization trail counts like any other logging multi-Region trail', async () => {
    await createTrailWith(suite.aws, {
      name: 'OrgTrail',
      bucket: await bucketFor('OrgTrail'),
      multiRegion: true,
      organization: true,
    });
    const v = await verdicts();
    for (const finding of v.values()) assert.equal(finding.status, 'PASS');
    assert.equal(v.get('us-east-1')?.evidence[0]?.facts?.IsOrganizationTrail, true);
  });

  it('FAIL in every Region when the only multi-Region trail is stopped; the fix starts it', async () => {
    await createTrail(suite.aws, {
      name: 'Stopped',
      bucket: await bucketFor('Stopped'),
      multiRegion: true,
      logging: false,
    });
    const v = await verdicts();
    for (const [region, finding] of v) {
      assert.equal(finding.status, 'FAIL');
      assert.equal(finding.text, `No trail is logging in ${region}: Stopped covers it but is stopped.`);
      assert.deepEqual(finding.remediation?.cli, [
        'aws cloudtrail start-logging --region us-east-1 --name Stopped',
      ]);
    }
  });

  it('FAIL in every Region with no trail at all', async () => {
    const v = await verdicts();
    assert.deepEqual(
      [...v.values()].map((f) => f.status),
      ['FAIL', 'FAIL'],
    );
    assert.match(plain(v.get('us-east-1')!.remediation!.summary), /Create a multi-Region trail/);
  });

  it('UNKNOWN in every Region when the scanner may not call cloudtrail:GetTrailStatus', async () => {
    await createTrail(suite.aws, { name: 'Main', bucket: await bucketFor('Main'), multiRegion: true });
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 'cloudtrail:GetTrailStatus'),
    );
    const v = await verdicts({ credentials });
    for (const finding of v.values()) {
      assert.equal(finding.status, 'UNKNOWN');
      assert.deepEqual(finding.remediation?.permissions, ['cloudtrail:GetTrailStatus']);
      assert.match(finding.text, /Whether trail Main logs in/);
    }
  });

  it('UNKNOWN in every Region when the scanner may not list trails', async () => {
    await createTrail(suite.aws, { name: 'Main', bucket: await bucketFor('Main'), multiRegion: true });
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 'cloudtrail:DescribeTrails'),
    );
    const v = await verdicts({ credentials });
    for (const finding of v.values()) {
      assert.equal(finding.status, 'UNKNOWN');
      assert.deepEqual(finding.remediation?.permissions, ['cloudtrail:DescribeTrails']);
      assert.match(finding.text, /could not be listed/);
    }
  });
});
