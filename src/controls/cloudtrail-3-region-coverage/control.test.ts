import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { Snapshot } from '../../snapshot/schema.js';
import { denied, failed, ok, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';
import { texts } from './texts.js';

/** Findings by Region, each with its message as plain text and its fix as one string. */
function byRegion(snap: Snapshot) {
  const findings = control.evaluate(new SnapshotView(snap));
  assert.deepEqual(
    findings.map((f) => f.resource.name),
    snap.scope.regions,
    'one finding per scanned Region, in scan order',
  );
  const out = new Map<string, (typeof findings)[number] & { text: string; fix: string }>();
  for (const finding of findings) {
    assert.equal(finding.resource.type, 'AwsAccount');
    assert.equal(finding.resource.id, '123456789012');
    assert.equal(finding.resource.region, finding.resource.name);
    assert.ok(finding.evidence.length > 0, 'every verdict carries evidence');
    out.set(finding.resource.name, {
      ...finding,
      text: plain(finding.message),
      fix: finding.remediation?.cli.join('\n') ?? '',
    });
  }
  return out;
}

const stopped = (region = 'us-east-1') => ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus', region);

describe('CloudTrail.3 a logging trail in every Region', () => {
  it('passes every scanned Region covered by one logging multi-Region trail, with its evidence', () => {
    const v = byRegion(snapshot({ trails: [trail({ Name: 'Main' })] }));
    for (const region of ['us-east-1', 'eu-west-1']) {
      const finding = v.get(region)!;
      assert.equal(finding.status, 'PASS');
      assert.equal(finding.text, `Multi-Region trail Main is logging, so ${region} is covered.`);
      assert.equal(finding.remediation, null);
      const config = finding.evidence.find((e) => e.source === 'cloudtrail:DescribeTrails');
      assert.deepEqual(config?.facts, {
        Name: 'Main',
        TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/Main',
        HomeRegion: 'us-east-1',
        IsMultiRegionTrail: true,
        IsOrganizationTrail: false,
      });
      const status = finding.evidence.find((e) => e.source === 'cloudtrail:GetTrailStatus');
      assert.deepEqual(status?.facts, { IsLogging: true });
    }
  });

  it('a single-Region trail covers its home Region only; the other Region fails and the fix converts it', () => {
    const v = byRegion(snapshot({ trails: [trail({ Name: 'Local', IsMultiRegionTrail: false })] }));
    assert.equal(v.get('us-east-1')?.status, 'PASS');
    assert.equal(v.get('us-east-1')?.text, 'Trail Local, homed in us-east-1, is logging.');
    const west = v.get('eu-west-1')!;
    assert.equal(west.status, 'FAIL');
    assert.equal(west.text, 'No trail covers eu-west-1: API activity there is not recorded.');
    assert.deepEqual(
      west.evidence.map((e) => [e.source, e.region, e.facts]),
      [['cloudtrail:DescribeTrails', 'eu-west-1', { TrailARNs: [] }]],
      'the evidence of "no trail" is the Region’s empty trail listing',
    );
    // Local is logging already: making it multi-Region is all it takes.
    assert.deepEqual(west.remediation?.cli, [
      'aws cloudtrail update-trail --region us-east-1 --name Local --is-multi-region-trail',
    ]);
    assert.match(plain(west.remediation.summary), /Turn trail Local into a multi-Region trail/);
  });

  it('prefers naming the trail homed in the Region when a multi-Region trail covers it too', () => {
    const v = byRegion(
      snapshot({
        trails: [
          trail({ Name: 'Global' }),
          trail({ Name: 'Irish', IsMultiRegionTrail: false, HomeRegion: 'eu-west-1' }),
        ],
      }),
    );
    assert.equal(v.get('eu-west-1')?.text, 'Trail Irish, homed in eu-west-1, is logging.');
    assert.equal(v.get('us-east-1')?.text, 'Multi-Region trail Global is logging, so us-east-1 is covered.');
  });

  it('a logging multi-Region trail is not hidden by a stopped single-Region trail, whatever the order', () => {
    for (const names of [
      ['aaa', 'zzz'],
      ['zzz', 'aaa'],
    ]) {
      const v = byRegion(
        snapshot({
          trails: [
            trail({ Name: names[0]!, IsMultiRegionTrail: false, status: stopped() }),
            trail({ Name: names[1]! }),
          ],
        }),
      );
      assert.equal(v.get('us-east-1')?.status, 'PASS');
      assert.match(v.get('us-east-1')!.text, new RegExp(`Multi-Region trail ${names[1]!}`));
    }
  });

  it('an organization trail owned by the management account covers the member account', () => {
    const org = trail({ Name: 'OrgTrail', owner: '999999999999', IsOrganizationTrail: true });
    const v = byRegion(snapshot({ trails: [org] }));
    for (const region of ['us-east-1', 'eu-west-1']) {
      assert.equal(v.get(region)?.status, 'PASS');
      assert.equal(
        v.get(region)?.evidence[0]?.facts?.TrailARN,
        'arn:aws:cloudtrail:us-east-1:999999999999:trail/OrgTrail',
      );
    }
  });

  it('a stopped organization trail fails, and the fix does not try to start another account’s trail', () => {
    const org = trail({
      Name: 'OrgTrail',
      owner: '999999999999',
      IsOrganizationTrail: true,
      status: stopped(),
    });
    const v = byRegion(snapshot({ trails: [org] }));
    const east = v.get('us-east-1')!;
    assert.equal(east.status, 'FAIL');
    assert.equal(east.text, 'No trail is logging in us-east-1: OrgTrail covers it but is stopped.');
    assert.doesNotMatch(east.fix, /start-logging.*OrgTrail/);
    assert.match(plain(east.remediation!.summary), /Create a multi-Region trail/);
  });

  it('fails a Region whose only covering trail is stopped; the fix starts it in its home Region', () => {
    const v = byRegion(
      snapshot({ trails: [trail({ Name: 'Main', HomeRegion: 'eu-west-1', status: stopped('eu-west-1') })] }),
    );
    const east = v.get('us-east-1')!;
    assert.equal(east.status, 'FAIL');
    assert.equal(east.text, 'No trail is logging in us-east-1: Main covers it but is stopped.');
    assert.deepEqual(east.remediation?.cli, ['aws cloudtrail start-logging --region eu-west-1 --name Main']);
    assert.deepEqual(
      east.evidence.find((e) => e.source === 'cloudtrail:GetTrailStatus'),
      { source: 'cloudtrail:GetTrailStatus', region: 'eu-west-1', facts: { IsLogging: false } },
    );
  });

  it('names every stopped trail covering a Region', () => {
    const v = byRegion(
      snapshot({
        trails: [
          trail({ Name: 'One', status: stopped() }),
          trail({ Name: 'Two', IsMultiRegionTrail: false, status: stopped() }),
        ],
      }),
    );
    assert.equal(
      v.get('us-east-1')?.text,
      'No trail is logging in us-east-1: One and Two cover it but are stopped.',
    );
  });

  it('with zero trails every Region fails, and the fix creates a multi-Region trail', () => {
    const v = byRegion(snapshot({ trails: [] }));
    for (const region of ['us-east-1', 'eu-west-1']) {
      const finding = v.get(region)!;
      assert.equal(finding.status, 'FAIL');
      assert.match(plain(finding.remediation!.summary), /Create a multi-Region trail .* and start it/);
      assert.match(
        finding.remediation!.cli.join('\n'),
        /aws cloudtrail create-trail --region us-east-1 --name all-regions-audit-trail/,
      );
      assert.match(finding.remediation!.console.join(' '), /Create trail/);
    }
  });

  it('a multi-Region trail homed outside the scanned Regions still covers them', () => {
    const v = byRegion(
      snapshot({
        regions: ['eu-west-1'],
        trails: [trail({ Name: 'Tokyo', HomeRegion: 'ap-northeast-1', seenIn: ['eu-west-1'] })],
      }),
    );
    assert.equal(v.get('eu-west-1')?.status, 'PASS');
  });

  it('a single-Region trail homed outside the scanned Regions covers none of them', () => {
    const tokyo = trail({ Name: 'Tokyo', HomeRegion: 'ap-northeast-1', IsMultiRegionTrail: false });
    const v = byRegion(snapshot({ regions: ['eu-west-1'], trails: [tokyo] }));
    assert.equal(v.get('eu-west-1')?.status, 'FAIL');
  });

  it('is UNKNOWN, never PASS, when the status of the only covering trail cannot be read', () => {
    const v = byRegion(
      snapshot({ trails: [trail({ Name: 'Main', status: denied('cloudtrail:GetTrailStatus') })] }),
    );
    for (const region of ['us-east-1', 'eu-west-1']) {
      const finding = v.get(region)!;
      assert.equal(finding.status, 'UNKNOWN');
      assert.match(finding.text, new RegExp(`Whether trail Main logs in ${region} could not be read`));
      assert.deepEqual(finding.remediation?.permissions, ['cloudtrail:GetTrailStatus']);
      assert.equal(
        finding.evidence.filter((e) => e.error?.code === 'AccessDenied').length,
        1,
        'the failed call is evidence once, not once per way it was looked at',
      );
    }
  });

  it('is UNKNOWN, not FAIL, when one covering trail is stopped and another cannot be read', () => {
    const v = byRegion(
      snapshot({
        trails: [
          trail({ Name: 'Stopped', status: stopped() }),
          trail({ Name: 'Hidden', status: denied('cloudtrail:GetTrailStatus') }),
        ],
      }),
    );
    assert.equal(v.get('us-east-1')?.status, 'UNKNOWN');
    assert.match(v.get('us-east-1')!.text, /Whether trail Hidden logs/);
  });

  it('passes when one covering trail is logging even if another cannot be read', () => {
    const v = byRegion(
      snapshot({
        trails: [
          trail({ Name: 'Hidden', status: denied('cloudtrail:GetTrailStatus') }),
          trail({ Name: 'Main' }),
        ],
      }),
    );
    assert.equal(v.get('us-east-1')?.status, 'PASS');
    assert.match(v.get('us-east-1')!.text, /Main/);
  });

  it('a Region whose trail listing failed is UNKNOWN when nothing else covers it; the others are judged', () => {
    const v = byRegion(
      snapshot({
        trails: [trail({ Name: 'Local', IsMultiRegionTrail: false })],
        failedDiscovery: { 'eu-west-1': denied('cloudtrail:DescribeTrails', 'eu-west-1') },
      }),
    );
    assert.equal(v.get('us-east-1')?.status, 'PASS');
    const west = v.get('eu-west-1')!;
    assert.equal(west.status, 'UNKNOWN');
    assert.match(
      west.text,
      /Trails homed in eu-west-1 could not be listed \(.*\), and no multi-Region trail is logging/,
    );
    assert.deepEqual(west.remediation?.permissions, ['cloudtrail:DescribeTrails']);
    assert.deepEqual(
      west.evidence.map((e) => [e.source, e.region, e.error?.code]),
      [['cloudtrail:DescribeTrails', 'eu-west-1', 'AccessDenied']],
    );
  });

  it('a Region whose trail listing failed still passes when a logging multi-Region trail covers it', () => {
    const v = byRegion(
      snapshot({
        trails: [trail({ Name: 'Main' })],
        failedDiscovery: {
          'eu-west-1': failed('cloudtrail:DescribeTrails', 'throttled', 'Throttling', 'eu-west-1'),
        },
      }),
    );
    assert.equal(v.get('eu-west-1')?.status, 'PASS');
  });

  it('a Region whose listing failed and whose multi-Region trail is stopped is UNKNOWN, not FAIL', () => {
    const v = byRegion(
      snapshot({
        trails: [trail({ Name: 'Main', status: stopped() })],
        failedDiscovery: { 'eu-west-1': denied('cloudtrail:DescribeTrails', 'eu-west-1') },
      }),
    );
    assert.equal(v.get('us-east-1')?.status, 'FAIL');
    assert.equal(v.get('eu-west-1')?.status, 'UNKNOWN', 'a single-Region trail homed there may be logging');
  });

  it('is UNKNOWN, never PASS, when the snapshot was collected without trail status', () => {
    const v = byRegion(
      snapshot({ trails: [trail({ Name: 'Main', status: null })], collected: ['cloudtrail.trails'] }),
    );
    const finding = v.get('us-east-1')!;
    assert.equal(finding.status, 'UNKNOWN');
    assert.match(finding.text, /the snapshot does not include cloudtrail:GetTrailStatus/);
  });

  it('says in one sentence which Regions are covered', () => {
    const view = new SnapshotView(
      snapshot({ trails: [trail({ Name: 'Local', IsMultiRegionTrail: false })] }),
    );
    const findings = control.evaluate(view);
    assert.equal(plain(texts.meaning({ status: 'FAIL', findings })), 'No logging trail covers eu-west-1.');
    const all = control.evaluate(new SnapshotView(snapshot({ trails: [trail({ Name: 'Main' })] })));
    assert.equal(
      plain(texts.meaning({ status: 'PASS', findings: all })),
      'A logging trail covers all two scanned Regions.',
    );
  });
});
