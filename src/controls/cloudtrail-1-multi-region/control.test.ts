import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { Snapshot } from '../../snapshot/schema.js';
import { denied, failed, ok, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';

function verdict(snap: Snapshot) {
  const findings = control.evaluate(new SnapshotView(snap));
  assert.equal(findings.length, 1, 'CloudTrail.1 gives exactly one finding per account');
  const finding = findings[0]!;
  assert.equal(finding.resource.type, 'AwsAccount');
  assert.equal(finding.resource.id, '123456789012');
  assert.ok(finding.evidence.length > 0, 'every verdict carries evidence');
  return { ...finding, text: plain(finding.message), fix: finding.remediation?.cli.join('\n') ?? '' };
}

const readOnlyAdvanced = ok(
  {
    AdvancedEventSelectors: [
      {
        Name: 'reads',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'readOnly', Equals: ['true'] },
        ],
      },
      {
        Name: 's3 data',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        ],
      },
    ],
  },
  'cloudtrail:GetEventSelectors',
);

describe('CloudTrail.1 multi-Region trail with read and write management events', () => {
  it('passes on a multi-Region trail that logs all management events', () => {
    const v = verdict(snapshot({ trails: [trail({ Name: 'Main' })] }));
    assert.equal(v.status, 'PASS');
    assert.match(
      v.text,
      /Trail Main is multi-Region, is logging, and records all read and write management events/,
    );
    assert.equal(v.remediation, null);
  });

  it('fails with zero trails, and the fix creates and starts a trail', () => {
    const v = verdict(snapshot({ trails: [] }));
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /no CloudTrail trail/);
    assert.match(v.fix, /create-trail .*--is-multi-region-trail/);
    assert.match(v.fix, /start-logging/);
    assert.match(v.fix, /put-bucket-policy/);
  });

  it('fails when no trail is multi-Region, naming them, and the fix converts the best one', () => {
    const v = verdict(
      snapshot({
        trails: [
          trail({ Name: 'east', IsMultiRegionTrail: false }),
          trail({ Name: 'west', IsMultiRegionTrail: false, HomeRegion: 'eu-west-1' }),
        ],
      }),
    );
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /None of the account's trails \(east and west\) is multi-Region/);
    assert.match(v.fix, /update-trail --region us-east-1 --name east --is-multi-region-trail/);
    assert.doesNotMatch(v.fix, /start-logging/, 'east is already logging');
  });

  it('fails when the multi-Region trail is not logging; the fix starts it', () => {
    const v = verdict(
      snapshot({
        trails: [trail({ Name: 'Main', status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus') })],
      }),
    );
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /Main is not logging/);
    assert.equal(v.fix, 'aws cloudtrail start-logging --region us-east-1 --name Main');
  });

  it('fails on a read-only advanced selector; the fix keeps the data selector', () => {
    const v = verdict(snapshot({ trails: [trail({ Name: 'Main', selectors: readOnlyAdvanced })] }));
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /read-only management events only/);
    assert.match(
      v.fix,
      /put-event-selectors --region us-east-1 --trail-name Main --advanced-event-selectors/,
    );
    const json = /--advanced-event-selectors '(.*)'$/.exec(v.fix)?.[1] ?? '';
    const selectors = JSON.parse(json) as Array<{ Name: string }>;
    assert.deepEqual(
      selectors.map((s) => s.Name),
      ['All management events', 's3 data'],
      'the narrowing management selector is replaced and the data selector kept',
    );
  });

  it('fails on basic selectors that exclude KMS events', () => {
    const selectors = ok(
      {
        EventSelectors: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            ExcludeManagementEventSources: ['kms.amazonaws.com'],
          },
        ],
      },
      'cloudtrail:GetEventSelectors',
    );
    const v = verdict(snapshot({ trails: [trail({ Name: 'Main', selectors })] }));
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /excludes management events from kms\.amazonaws\.com/);
  });

  for (const order of [
    ['a-stopped', 'b-running'],
    ['b-stopped', 'a-running'],
  ]) {
    it(`passes when a stopped trail sorts ${order[0]!.startsWith('a') ? 'before' : 'after'} a logging one`, () => {
      const v = verdict(
        snapshot({
          trails: [
            trail({ Name: order[0]!, status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus') }),
            trail({ Name: order[1]! }),
          ],
        }),
      );
      assert.equal(v.status, 'PASS');
      assert.match(v.text, new RegExp(`Trail ${order[1]} is multi-Region`));
    });
  }

  it('fails when only a single-Region trail logs and the multi-Region one is stopped', () => {
    const v = verdict(
      snapshot({
        trails: [
          trail({ Name: 'local', IsMultiRegionTrail: false }),
          trail({ Name: 'global', status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus') }),
        ],
      }),
    );
    assert.equal(v.status, 'FAIL');
  });

  it('counts an organization trail owned by the management account (seen from a member)', () => {
    const v = verdict(
      snapshot({ trails: [trail({ Name: 'org-trail', owner: '999999999999', IsOrganizationTrail: true })] }),
    );
    assert.equal(v.status, 'PASS');
    assert.match(v.text, /organization trail owned by account 999999999999/);
  });

  it('is UNKNOWN when the status of the only multi-Region trail cannot be read, naming the permission', () => {
    const v = verdict(
      snapshot({ trails: [trail({ Name: 'Main', status: denied('cloudtrail:GetTrailStatus') })] }),
    );
    assert.equal(v.status, 'UNKNOWN');
    assert.match(v.text, /cloudtrail:GetTrailStatus in us-east-1 was denied/);
    assert.deepEqual(v.remediation?.permissions, ['cloudtrail:GetTrailStatus']);
  });

  it('is UNKNOWN when the selectors cannot be read (throttled past retries)', () => {
    const v = verdict(
      snapshot({
        trails: [
          trail({
            Name: 'Main',
            selectors: failed('cloudtrail:GetEventSelectors', 'throttled', 'ThrottlingException'),
          }),
        ],
      }),
    );
    assert.equal(v.status, 'UNKNOWN');
    assert.match(v.text, /throttled/);
  });

  it('passes on one proven trail even when another could not be read', () => {
    const v = verdict(
      snapshot({
        trails: [trail({ Name: 'a', status: denied('cloudtrail:GetTrailStatus') }), trail({ Name: 'b' })],
      }),
    );
    assert.equal(v.status, 'PASS');
  });

  it('fails when a known gap exists even if another fact is missing', () => {
    const v = verdict(
      snapshot({
        trails: [
          trail({
            Name: 'Main',
            status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus'),
            selectors: denied('cloudtrail:GetEventSelectors'),
          }),
        ],
      }),
    );
    assert.equal(v.status, 'FAIL');
  });

  it('is UNKNOWN when trails could not be listed in any Region', () => {
    const v = verdict(
      snapshot({
        trails: [],
        regions: ['us-east-1'],
        failedDiscovery: { 'us-east-1': denied('cloudtrail:DescribeTrails') },
      }),
    );
    assert.equal(v.status, 'UNKNOWN');
    assert.deepEqual(v.remediation?.permissions, ['cloudtrail:DescribeTrails']);
  });

  it('still fails when one Region could not be listed but another could (multi-Region trails show everywhere)', () => {
    const v = verdict(
      snapshot({
        trails: [],
        regions: ['us-east-1', 'eu-west-1'],
        failedDiscovery: { 'eu-west-1': denied('cloudtrail:DescribeTrails', 'eu-west-1') },
      }),
    );
    assert.equal(v.status, 'FAIL');
  });

  it('is UNKNOWN when selectors come back in both forms', () => {
    const selectors = ok(
      {
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
        AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
      },
      'cloudtrail:GetEventSelectors',
    );
    const v = verdict(snapshot({ trails: [trail({ Name: 'Main', selectors })] }));
    assert.equal(v.status, 'UNKNOWN');
  });

  it('is UNKNOWN, not PASS, when the snapshot was collected without trail status', () => {
    const v = verdict(
      snapshot({
        trails: [trail({ Name: 'Main', status: null })],
        collected: ['cloudtrail.trails', 'cloudtrail.eventSelectors'],
      }),
    );
    assert.equal(v.status, 'UNKNOWN');
    assert.match(v.text, /collect again/);
  });
});

describe('CloudTrail.1 with an incomplete status', () => {
  it('is UNKNOWN, not FAIL, when GetTrailStatus answers without IsLogging', () => {
    const v = verdict(
      snapshot({ trails: [trail({ Name: 'Main', status: ok({}, 'cloudtrail:GetTrailStatus') })] }),
    );
    assert.equal(v.status, 'UNKNOWN');
    assert.match(v.text, /did not say whether trail Main is logging/);
  });
});
