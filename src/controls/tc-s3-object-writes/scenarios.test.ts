/** The CIS S3 object-level logging checks against the emulator, basic and advanced selectors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanActions } from '../scan-policy.js';
import { createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import { control as reads } from '../tc-s3-object-reads/control.js';
import { control as writes } from './control.js';

const suite = useMoto();
const both = [writes, reads];

async function statuses(options = {}) {
  const assessment = await scanMoto(suite, { controls: both, ...options });
  return [findingsOf(assessment, writes.id)[0]?.status, findingsOf(assessment, reads.id)[0]?.status];
}

describe('S3 object-level logging on the emulator', () => {
  it('basic WriteOnly selector on arn:aws:s3: writes PASS, reads FAIL', async () => {
    await createTrailBucket(suite.aws, 'main-logs', 'Main');
    await createTrail(suite.aws, {
      name: 'Main',
      bucket: 'main-logs',
      multiRegion: true,
      eventSelectors: [
        { ReadWriteType: 'All', IncludeManagementEvents: true },
        {
          ReadWriteType: 'WriteOnly',
          IncludeManagementEvents: false,
          DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
        },
      ],
    });
    assert.deepEqual(await statuses(), ['PASS', 'FAIL']);
  });

  it('advanced Data selector on AWS::S3::Object: both PASS', async () => {
    await createTrailBucket(suite.aws, 'main-logs', 'Main');
    await createTrail(suite.aws, {
      name: 'Main',
      bucket: 'main-logs',
      multiRegion: true,
      advancedEventSelectors: [
        { Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        {
          Name: 's3',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          ],
        },
      ],
    });
    assert.deepEqual(await statuses(), ['PASS', 'PASS']);
  });

  it('advanced selector on one bucket only: both FAIL', async () => {
    await createTrailBucket(suite.aws, 'main-logs', 'Main');
    await createTrail(suite.aws, {
      name: 'Main',
      bucket: 'main-logs',
      multiRegion: true,
      advancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::payroll/'] },
          ],
        },
      ],
    });
    assert.deepEqual(await statuses(), ['FAIL', 'FAIL']);
  });

  it('S3 data selector on a single-Region trail: both FAIL', async () => {
    await createTrailBucket(suite.aws, 'local-logs', 'Local');
    await createTrail(suite.aws, {
      name: 'Local',
      bucket: 'local-logs',
      eventSelectors: [
        { ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] },
      ],
    });
    assert.deepEqual(await statuses(), ['FAIL', 'FAIL']);
  });

  it('UNKNOWN when the scanner may not read event selectors', async () => {
    await createTrailBucket(suite.aws, 'main-logs', 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: 'main-logs', multiRegion: true });
    const credentials = await restrictedScanner(
      suite,
      scanActions(both).filter((a) => a !== 'cloudtrail:GetEventSelectors'),
    );
    assert.deepEqual(await statuses({ credentials }), ['UNKNOWN', 'UNKNOWN']);
  });
});
