/** CloudTrail.1 against a real AWS API emulator (moto): scenarios seeded through the API, scanned by the real collector. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plain } from '../../core/rich.js';
import { scanActions } from '../scan-policy.js';
import { createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import type { MotoSuite, ScanOptions } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();

async function verdict(s: MotoSuite, options: ScanOptions = {}) {
  const assessment = await scanMoto(s, { controls: [control], ...options });
  const findings = findingsOf(assessment, 'CloudTrail.1');
  assert.equal(findings.length, 1);
  return { ...findings[0]!, text: plain(findings[0]!.message) };
}

async function bucketFor(trail: string, region = 'us-east-1') {
  await createTrailBucket(suite.aws, `${trail.toLowerCase()}-logs`, trail, region);
  return `${trail.toLowerCase()}-logs`;
}

describe('CloudTrail.1 on the emulator', () => {
  it('PASS: a logging multi-Region trail with a basic all-management selector', async () => {
    await createTrail(suite.aws, { name: 'Main', bucket: await bucketFor('Main'), multiRegion: true });
    const v = await verdict(suite);
    assert.equal(v.status, 'PASS');
    assert.match(v.text, /Trail Main is multi-Region/);
  });

  it('PASS: an advanced selector on eventCategory Management alone', async () => {
    await createTrail(suite.aws, {
      name: 'Iac',
      bucket: await bucketFor('Iac'),
      multiRegion: true,
      advancedEventSelectors: [
        { Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      ],
    });
    assert.equal((await verdict(suite)).status, 'PASS');
  });

  it('PASS: a multi-Region trail homed outside the scanned Regions is read in its home Region', async () => {
    await createTrail(suite.aws, {
      name: 'Tokyo',
      bucket: await bucketFor('Tokyo', 'ap-northeast-1'),
      multiRegion: true,
      region: 'ap-northeast-1',
    });
    const assessment = await scanMoto(suite, { controls: [control], regions: ['eu-west-1'] });
    const [finding] = findingsOf(assessment, 'CloudTrail.1');
    assert.equal(finding?.status, 'PASS');
    const status = finding?.evidence.find((e) => e.source === 'cloudtrail:GetTrailStatus');
    assert.equal(status?.region, 'ap-northeast-1', 'status is read in the home Region');
    assert.equal(
      assessment.stats.apiCalls
        .filter((c) => c.operation === 'cloudtrail:GetTrailStatus')
        .reduce((n, c) => n + c.calls, 0),
      1,
      'one status call per trail, however many Regions see it',
    );
  });

  it('PASS: a stopped single-Region trail does not hide a logging multi-Region trail (either name order)', async () => {
    await createTrail(suite.aws, { name: 'aaa-local', bucket: await bucketFor('aaa-local'), logging: false });
    await createTrail(suite.aws, {
      name: 'zzz-global',
      bucket: await bucketFor('zzz-global'),
      multiRegion: true,
    });
    assert.equal((await verdict(suite)).status, 'PASS');
  });

  it('FAIL: no trail at all', async () => {
    const v = await verdict(suite);
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /no CloudTrail trail/);
    assert.match(v.remediation?.cli.join('\n') ?? '', /create-trail/);
  });

  it('FAIL: only a single-Region trail, though it logs', async () => {
    await createTrail(suite.aws, { name: 'Local', bucket: await bucketFor('Local') });
    const v = await verdict(suite);
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /None of the account's trails \(Local\) is multi-Region/);
    assert.match(v.remediation?.cli.join('\n') ?? '', /--name Local --is-multi-region-trail/);
  });

  it('FAIL: the multi-Region trail is not logging', async () => {
    await createTrail(suite.aws, {
      name: 'Stopped',
      bucket: await bucketFor('Stopped'),
      multiRegion: true,
      logging: false,
    });
    const v = await verdict(suite);
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /Stopped is not logging/);
  });

  it('FAIL: an advanced selector limited to read-only events', async () => {
    await createTrail(suite.aws, {
      name: 'Reads',
      bucket: await bucketFor('Reads'),
      multiRegion: true,
      advancedEventSelectors: [
        {
          Name: 'reads',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'readOnly', Equals: ['true'] },
          ],
        },
      ],
    });
    const v = await verdict(suite);
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /read-only management events only/);
  });

  it('FAIL: a read-only and a write-only basic selector do not add up', async () => {
    await createTrail(suite.aws, {
      name: 'Split',
      bucket: await bucketFor('Split'),
      multiRegion: true,
      eventSelectors: [
        { ReadWriteType: 'ReadOnly', IncludeManagementEvents: true },
        { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true },
      ],
    });
    assert.equal((await verdict(suite)).status, 'FAIL');
  });

  it('FAIL: management events from KMS excluded', async () => {
    await createTrail(suite.aws, {
      name: 'NoKms',
      bucket: await bucketFor('NoKms'),
      multiRegion: true,
      eventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: true,
          ExcludeManagementEventSources: ['kms.amazonaws.com'],
        },
      ],
    });
    const v = await verdict(suite);
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /kms\.amazonaws\.com/);
  });

  it('FAIL: an eventName StartsWith narrows an advanced management selector', async () => {
    await createTrail(suite.aws, {
      name: 'Narrow',
      bucket: await bucketFor('Narrow'),
      multiRegion: true,
      advancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'eventName', StartsWith: ['Describe'] },
          ],
        },
      ],
    });
    assert.equal((await verdict(suite)).status, 'FAIL');
  });

  it('UNKNOWN: the scanner may not call cloudtrail:GetTrailStatus', async () => {
    await createTrail(suite.aws, { name: 'Main', bucket: await bucketFor('Main'), multiRegion: true });
    const actions = scanActions([control]).filter((a) => a !== 'cloudtrail:GetTrailStatus');
    const credentials = await restrictedScanner(suite, actions);
    const v = await verdict(suite, { credentials });
    assert.equal(v.status, 'UNKNOWN');
    assert.deepEqual(v.remediation?.permissions, ['cloudtrail:GetTrailStatus']);
  });

  it('UNKNOWN: the scanner may not list trails at all', async () => {
    await createTrail(suite.aws, { name: 'Main', bucket: await bucketFor('Main'), multiRegion: true });
    const actions = scanActions([control]).filter((a) => a !== 'cloudtrail:DescribeTrails');
    const credentials = await restrictedScanner(suite, actions);
    const v = await verdict(suite, { credentials });
    assert.equal(v.status, 'UNKNOWN');
    assert.deepEqual(v.remediation?.permissions, ['cloudtrail:DescribeTrails']);
  });
});
