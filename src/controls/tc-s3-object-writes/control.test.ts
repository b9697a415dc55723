import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { EventSelectors, Snapshot } from '../../snapshot/schema.js';
import { denied, ok, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { control as reads } from '../tc-s3-object-reads/control.js';
import { control as writes } from './control.js';

const selectors = (value: EventSelectors) => ok(value, 'cloudtrail:GetEventSelectors');
const basicS3 = (rw: string, values = ['arn:aws:s3']) =>
  selectors({
    EventSelectors: [
      { ReadWriteType: 'All', IncludeManagementEvents: true },
      {
        ReadWriteType: rw,
        IncludeManagementEvents: false,
        DataResources: [{ Type: 'AWS::S3::Object', Values: values }],
      },
    ],
  });

function verdict(control: typeof writes, snap: Snapshot) {
  const findings = control.evaluate(new SnapshotView(snap));
  assert.equal(findings.length, 1, 'one finding for the account');
  const f = findings[0]!;
  return { ...f, text: plain(f.message), fix: f.remediation?.cli.join('\n') ?? '' };
}

describe('CIS S3 object-level logging (TC.S3ObjectWrites and TC.S3ObjectReads)', () => {
  it('a logging multi-Region trail with a WriteOnly S3 selector passes writes and fails reads', () => {
    const snap = snapshot({ trails: [trail({ Name: 'Main', selectors: basicS3('WriteOnly') })] });
    assert.equal(verdict(writes, snap).status, 'PASS');
    const read = verdict(reads, snap);
    assert.equal(read.status, 'FAIL');
    assert.match(read.text, /ReadWriteType WriteOnly leaves out reads/);
  });

  it('the selector must cover every bucket, not one', () => {
    const v = verdict(
      writes,
      snapshot({ trails: [trail({ Name: 'Main', selectors: basicS3('All', ['arn:aws:s3:::logs/']) })] }),
    );
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /covers only arn:aws:s3:::logs\/, not every bucket/);
  });

  it('a stopped trail records nothing, whatever its selectors', () => {
    const v = verdict(
      writes,
      snapshot({
        trails: [
          trail({
            Name: 'Main',
            selectors: basicS3('All'),
            status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus'),
          }),
        ],
      }),
    );
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /is not logging/);
  });

  it('a single-Region trail does not count (the Config rule wants multi-Region)', () => {
    const v = verdict(
      writes,
      snapshot({ trails: [trail({ Name: 'Local', IsMultiRegionTrail: false, selectors: basicS3('All') })] }),
    );
    assert.equal(v.status, 'FAIL');
    assert.match(v.fix, /update-trail --region us-east-1 --name Local --is-multi-region-trail/);
  });

  it('an advanced read-only S3 selector passes reads and fails writes', () => {
    const adv = selectors({
      AdvancedEventSelectors: [
        { Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        {
          Name: 's3 reads',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'readOnly', Equals: ['true'] },
          ],
        },
      ],
    });
    const snap = snapshot({ trails: [trail({ Name: 'Main', selectors: adv })] });
    assert.equal(verdict(reads, snap).status, 'PASS');
    const write = verdict(writes, snap);
    assert.equal(write.status, 'FAIL');
    const json = /--advanced-event-selectors '(.*)'$/m.exec(write.fix)?.[1] ?? '';
    const proposed = JSON.parse(json) as Array<{
      Name: string;
      FieldSelectors: Array<{ Field: string; Equals: string[] }>;
    }>;
    assert.deepEqual(
      proposed.map((s) => s.Name),
      ['mgmt', 's3 reads', 'All S3 object writes'],
      'existing selectors are kept, and only writes are added since reads are covered',
    );
    assert.deepEqual(proposed[2]?.FieldSelectors.find((f) => f.Field === 'readOnly')?.Equals, ['false']);
  });

  it('when neither reads nor writes are recorded, each check proposes its own access only, and says so', () => {
    const snap = snapshot({ trails: [trail({ Name: 'Main' })] });
    const write = verdict(writes, snap);
    const read = verdict(reads, snap);
    assert.match(
      write.fix,
      /\{"ReadWriteType":"All","IncludeManagementEvents":true\},\{"ReadWriteType":"WriteOnly","IncludeManagementEvents":false,"DataResources":\[\{"Type":"AWS::S3::Object","Values":\["arn:aws:s3"\]\}\]\}\]/,
      'the management selector is kept, and only writes are added',
    );
    assert.match(read.fix, /"ReadWriteType":"ReadOnly","IncludeManagementEvents":false/);
    assert.doesNotMatch(read.fix, /WriteOnly|"ReadWriteType":"All","IncludeManagementEvents":false/);
    assert.match(
      plain(write.remediation?.summary ?? []),
      /every S3 object write in every bucket on Main \(writes only, not reads\)/,
    );
    assert.match(
      plain(read.remediation?.summary ?? []),
      /every S3 object read in every bucket on Main \(reads only, not writes\)/,
    );
  });

  it('counts an organization trail that records S3 writes', () => {
    const v = verdict(
      writes,
      snapshot({ trails: [trail({ Name: 'org', owner: '999999999999', selectors: basicS3('All') })] }),
    );
    assert.equal(v.status, 'PASS');
    assert.match(v.text, /organization trail owned by account 999999999999/);
  });

  it('is UNKNOWN, not PASS, when the selectors of the only multi-Region trail cannot be read', () => {
    const v = verdict(
      writes,
      snapshot({ trails: [trail({ Name: 'Main', selectors: denied('cloudtrail:GetEventSelectors') })] }),
    );
    assert.equal(v.status, 'UNKNOWN');
    assert.deepEqual(v.remediation?.permissions, ['cloudtrail:GetEventSelectors']);
  });

  it('fails with no trail at all', () => {
    const v = verdict(reads, snapshot({ trails: [] }));
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /No multi-Region trail exists/);
  });
});
